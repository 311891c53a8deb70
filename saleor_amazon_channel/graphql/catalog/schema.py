"""The catalog match API: start or cancel a run, read results page by page (MANAGE_CHANNELS)."""

from collections.abc import Mapping
from typing import Any

import graphene
from django.db.models import Q, QuerySet

from graphql import GraphQLError
from saleor_amazon_channel.catalog import planning, storage, tasks
from saleor_amazon_channel.catalog.models import CatalogMatch, MatchStatus
from saleor_amazon_channel.core.host import MANAGE_CHANNELS
from saleor_amazon_channel.errors import DomainError, refusal
from saleor_amazon_channel.graphql.catalog.types import (
    PENDING,
    AmazonCatalogMatchCountableConnection,
    AmazonCatalogMatchRun,
    AmazonCatalogMatchStatus,
)
from saleor_amazon_channel.graphql.core.context import Info, permission_required
from saleor_amazon_channel.graphql.core.errors import start_refusal
from saleor_amazon_channel.graphql.core.pagination import MAX_PAGE_SIZE, paginate, sharing
from saleor_amazon_channel.graphql.stores.mutations import AmazonStoreByIdMutation, get_store_or_error
from saleor_amazon_channel.outcomes import Outcome
from saleor_amazon_channel.stores.models import AmazonStore as AmazonStoreModel

MAX_SEARCH = 255

class AmazonCatalogMatchFilterInput(graphene.InputObjectType):
    status = graphene.List(graphene.NonNull(AmazonCatalogMatchStatus), description="Only results of these statuses.")
    search = graphene.String(description="Matches the variant name or SKU, the identifier, the ASIN or the title.")


class AmazonCatalogMatchStart(AmazonStoreByIdMutation):
    catalog_match_run = graphene.Field(AmazonCatalogMatchRun, description="The new run, or the one already running.")

    class Arguments:
        store_id = graphene.ID(required=True)

    class Meta:
        description = (
            "Look up the store's channel variants in Amazon's catalog through the store's identifier mapping. "
            "Returns the running match instead when one is on. Requires MANAGE_CHANNELS."
        )

    store_argument = "store_id"

    @classmethod
    def perform_on_store(cls, info: Info, store: AmazonStoreModel) -> "AmazonCatalogMatchStart":
        try:
            run, _ = tasks.start_run(store, actor=info.context.requestor.label)
        except planning.StartRefused as refused:
            raise start_refusal(refused.reason, refused.message) from None
        return cls(amazon_store=store, catalog_match_run=run, errors=[])


class AmazonCatalogMatchCancel(AmazonStoreByIdMutation):
    catalog_match_run = graphene.Field(AmazonCatalogMatchRun, description="The run, now cancelled.")

    class Arguments:
        store_id = graphene.ID(required=True)

    class Meta:
        description = (
            "Stop the store's running catalog match: its workers stop before their next batch, the results found "
            "so far stay, and the run ends FAILED with lastErrorCode `cancelled`. Requires MANAGE_CHANNELS."
        )

    store_argument = "store_id"

    @classmethod
    def perform_on_store(cls, info: Info, store: AmazonStoreModel) -> "AmazonCatalogMatchCancel":
        run = storage.cancel(store, actor=info.context.requestor.label)
        if run is None:
            raise refusal("store_id", "The store has no catalog match running.", Outcome.NOT_FOUND)
        return cls(amazon_store=store, catalog_match_run=run, errors=[])


def filter_matches(queryset: QuerySet[CatalogMatch], filter: Mapping[str, Any] | None) -> QuerySet[CatalogMatch]:
    if not filter:
        return queryset
    statuses = filter.get("status")
    if statuses:
        condition = Q(status__in=[s for s in statuses if s != PENDING])
        if PENDING in statuses:
            condition |= Q(status__isnull=True)
        queryset = queryset.filter(condition)
    search = (filter.get("search") or "").strip()
    if search:
        if len(search) > MAX_SEARCH:
            raise GraphQLError(f"filter.search is longer than {MAX_SEARCH} characters.")
        queryset = queryset.filter(
            Q(name__icontains=search) | Q(sku__icontains=search) | Q(identifier__icontains=search)
            | Q(asin__iexact=search) | Q(title__icontains=search)
        )
    return queryset


def paginate_matches(
    queryset: QuerySet[CatalogMatch], store: AmazonStoreModel, first: int | None, after: str | None
) -> graphene.relay.Connection:
    return paginate(queryset, {"first": first, "after": after}, AmazonCatalogMatchCountableConnection,
                    max_page_size=MAX_PAGE_SIZE, prepare=sharing(store=store))


class CatalogQuery(graphene.ObjectType):
    amazon_catalog_matches = graphene.Field(
        AmazonCatalogMatchCountableConnection,
        store_id=graphene.ID(required=True),
        filter=AmazonCatalogMatchFilterInput(),
        first=graphene.Int(description=f"At most {MAX_PAGE_SIZE}."),
        after=graphene.String(),
        description="The store's catalog match results, by variant name. Requires MANAGE_CHANNELS.",
    )

    @staticmethod
    @permission_required(MANAGE_CHANNELS)
    def resolve_amazon_catalog_matches(
        root: object,
        info: Info,
        store_id: str,
        filter: Mapping[str, Any] | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> graphene.relay.Connection | None:
        try:
            store = get_store_or_error(store_id, field="store_id")
        except DomainError:
            return None
        queryset = store.catalog_matches.filter(mapping=planning.mapping_key(store)).order_by("name", "variant_id")
        return paginate_matches(filter_matches(queryset, filter), store, first, after)


__all__ = ["AmazonCatalogMatchCancel", "AmazonCatalogMatchStart", "CatalogQuery", "MatchStatus"]
