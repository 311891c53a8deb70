"""The one mutation shape of the API, Saleor's: a permission check, then the domain's refusals as field errors
(``errors``, each with a code) instead of exceptions."""

from typing import Any, Self

import graphene

from saleor_amazon_channel.errors import DomainError
from saleor_amazon_channel.graphql.core.context import Info, require_permission
from saleor_amazon_channel.graphql.core.errors import errors_from_domain
from saleor_amazon_channel.graphql.core.types import AmazonStoreError


class AmazonMutation(graphene.Mutation):
    class Meta:
        abstract = True

    # graphene 2 collects fields along the MRO: every mutation answers with these.
    errors = graphene.List(graphene.NonNull(AmazonStoreError), required=True)

    permissions: tuple[str, ...] = ()

    @classmethod
    def mutate(cls, root: object, info: Info, **data: Any) -> Self:
        require_permission(info, *cls.permissions)
        try:
            return cls.perform_mutation(root, info, **data)
        except DomainError as error:
            return cls(errors=errors_from_domain(error))

    @classmethod
    def perform_mutation(cls, root: object, info: Info, *args: Any, **data: Any) -> Self:
        raise NotImplementedError  # each mutation's own
