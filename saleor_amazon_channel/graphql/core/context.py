from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Concatenate, ParamSpec, Protocol, TypeVar

from promise.dataloader import DataLoader

from graphql import GraphQLError
from saleor_amazon_channel.core.config import AmazonChannelConfig
from saleor_amazon_channel.core.host import Host, Requestor

P = ParamSpec("P")
R = TypeVar("R")
Loader = TypeVar("Loader", bound="ContextLoader")


class ContextLoader(DataLoader):
    """A DataLoader made once per request by :meth:`GraphQLContext.loader` (batch_load_fn: the subclass's)."""

    def __init__(self, context: "GraphQLContext") -> None:
        super().__init__()


@dataclass
class GraphQLContext:
    request: object
    requestor: Requestor
    config: AmazonChannelConfig
    host: Host
    loaders: dict[type[ContextLoader], ContextLoader] = field(default_factory=dict)

    def loader(self, cls: type[Loader]) -> Loader:
        """One DataLoader of each kind per request."""
        loader = self.loaders.get(cls)
        if not isinstance(loader, cls):
            loader = self.loaders[cls] = cls(self)
        return loader


class Info(Protocol):
    """What resolvers read of graphql-core's ResolveInfo: the context is the plugin's."""

    @property
    def context(self) -> GraphQLContext: ...


class PermissionDenied(GraphQLError):
    """Same message and code as Saleor's permission error."""

    def __init__(self, permissions: tuple[str, ...]) -> None:
        names = ", ".join(permissions)
        super().__init__(f"To access this path, you need one of the following permissions: {names}")


def require_permission(info: Info, *permissions: str) -> None:
    requestor = info.context.requestor
    if not any(requestor.has_perm(p) for p in permissions):
        raise PermissionDenied(permissions)


def permission_required(
    *permissions: str,
) -> Callable[[Callable[Concatenate[Any, Info, P], R]], Callable[Concatenate[Any, Info, P], R]]:
    """Decorator for resolvers and ``mutate``: raise Saleor's permission error unless granted.
    (The first argument is graphene's root, or the class of a classmethod ``mutate``: any.)"""

    def decorator(resolver: Callable[Concatenate[Any, Info, P], R]) -> Callable[Concatenate[Any, Info, P], R]:
        def wrapper(root: Any, info: Info, /, *args: P.args, **kwargs: P.kwargs) -> R:
            require_permission(info, *permissions)
            return resolver(root, info, *args, **kwargs)

        wrapper.__name__ = resolver.__name__
        wrapper.__doc__ = resolver.__doc__
        return wrapper

    return decorator
