from dataclasses import dataclass, field

from graphql import GraphQLError
from saleor_amazon_channel.core.config import AmazonChannelConfig
from saleor_amazon_channel.core.host import Host, Requestor


@dataclass
class GraphQLContext:
    request: object
    requestor: Requestor
    config: AmazonChannelConfig
    host: Host
    loaders: dict = field(default_factory=dict)

    def loader(self, cls):
        """One DataLoader of each kind per request."""
        if cls not in self.loaders:
            self.loaders[cls] = cls(self)
        return self.loaders[cls]


class PermissionDenied(GraphQLError):
    """Same message and code as Saleor's permission error."""

    def __init__(self, permissions):
        names = ", ".join(permissions)
        super().__init__(f"To access this path, you need one of the following permissions: {names}")


def require_permission(info, *permissions):
    requestor = info.context.requestor
    if not any(requestor.has_perm(p) for p in permissions):
        raise PermissionDenied(permissions)


def permission_required(*permissions):
    """Decorator for resolvers and ``mutate``: raise Saleor's permission error unless granted."""

    def decorator(resolver):
        def wrapper(root, info, *args, **kwargs):
            require_permission(info, *permissions)
            return resolver(root, info, *args, **kwargs)

        wrapper.__name__ = resolver.__name__
        wrapper.__doc__ = resolver.__doc__
        return wrapper

    return decorator
