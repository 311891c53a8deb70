"""The catalog match API: start or cancel a run, read results page by page (MANAGE_CHANNELS)."""

import graphene
from django.db.models import Q
from graphql_relay.connection.arrayconnection import cursor_to_offset, offset_to_cursor

from graphql import GraphQLError
from saleor_amazon_channel.catalog import planning, storage, tasks
from saleor_amazon_channel.catalog.models import MatchStatus
from saleor_amazon_channel.core.host import MANAGE_CHANNELS
from saleor_amazon_channel.errors import DomainError, refusal
from saleor_amazon_channel.graphql.catalog.types import (
    PENDING,
    AmazonCatalogMatchCountableConnection,
    AmazonCatalogMatchRun,
    AmazonCatalogMatchStatus,
)
from saleor_amazon_channel.graphql.core.context import permission_required
from saleor_amazon_channel.graphql.stores.mutations import AmazonStoreMutation, get_store_or_error
from saleor_amazon_channel.outcomes import Outcome

MAX_PAGE_SIZE = 100
MAX_SEARCH = 255

REFUSAL_CODES = {
    "no_channel": Outcome.INVALID,
    "not_connected": Outcome.NOT_CONNECTED,
    "authorization_revoked": Outcome.AUTHORIZATION_REVOKED,
    "plugin_not_configured": Outcome.PLUGIN_NOT_CONFIGURED,
}


class AmazonCatalogMatchFilterInput(graphene.InputObjectType):
    status = graphene.List(graphene.NonNull(AmazonCatalogMatchStatus), description="Only results of these statuses.")
    search = graphene.String(description="Matches the variant name or SKU, the identifier, the ASIN or the title.")


class AmazonCatalogMatchStart(AmazonStoreMutation):
    catalog_match_run = graphene.Field(AmazonCatalogMatchRun, description="The new run, or the one already running.")

    class Arguments:
        store_id = graphene.ID(required=True)

    class Meta:
        description = (
            "Look up the store's channel variants in Amazon's catalog through the store's identifier mapping. "
            "Returns the running match instead when one is on. Requires MANAGE_CHANNELS."
        )

    @classmethod
    def perform_mutation(cls, root, info, store_id):
        store = get_store_or_error(store_id, field="store_id")
        try:
            run, _ = tasks.start_run(store, actor=info.context.requestor.label)
        except planning.StartRefused as refused:
            raise refusal("store_id", refused.message, REFUSAL_CODES[refused.reason]) from None
        return cls(amazon_store=store, catalog_match_run=run, errors=[])


class AmazonCatalogMatchCancel(AmazonStoreMutation):
    catalog_match_run = graphene.Field(AmazonCatalogMatchRun, description="The run, now cancelled.")

    class Arguments:
        store_id = graphene.ID(required=True)

    class Meta:
        description = (
            "Stop the store's running catalog match: its workers stop before their next batch, the results found "
            "so far stay, and the run ends FAILED with lastErrorCode `cancelled`. Requires MANAGE_CHANNELS."
        )

    @classmethod
    def perform_mutation(cls, root, info, store_id):
        store = get_store_or_error(store_id, field="store_id")
        run = storage.cancel(store, actor=info.context.requestor.label)
        if run is None:
            raise refusal("store_id", "The store has no catalog match running.", Outcome.NOT_FOUND)
        return cls(amazon_store=store, catalog_match_run=run, errors=[])


def filter_matches(queryset, filter):
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


def paginate_matches(queryset, store, first, after):
    """Offset cursors as graphql-relay spells them; two queries a page (count and rows)."""
    if first is None or not 0 <= first <= MAX_PAGE_SIZE:
        raise GraphQLError(f"You must provide a 'first' value between 0 and {MAX_PAGE_SIZE}.")
    offset = 0
    if after:
        position = cursor_to_offset(after) if isinstance(after, str) and len(after) < 100 else None
        if position is None or position < 0:
            raise GraphQLError("'after' is not a cursor of this list.")
        offset = position + 1
    total = queryset.count()
    rows = list(queryset[offset:offset + first]) if first else []
    for row in rows:
        row.store = store  # every row's store: no query per row
    Edge = AmazonCatalogMatchCountableConnection.Edge
    edges = [Edge(node=row, cursor=offset_to_cursor(offset + i)) for i, row in enumerate(rows)]
    page_info = graphene.relay.PageInfo(
        start_cursor=edges[0].cursor if edges else None,
        end_cursor=edges[-1].cursor if edges else None,
        has_previous_page=offset > 0,
        has_next_page=offset + len(rows) < total,
    )
    return AmazonCatalogMatchCountableConnection(edges=edges, page_info=page_info, total_count=total)


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
    def resolve_amazon_catalog_matches(root, info, store_id, filter=None, first=None, after=None):
        try:
            store = get_store_or_error(store_id, field="store_id")
        except DomainError:
            return None
        queryset = store.catalog_matches.filter(mapping=planning.mapping_key(store)).order_by("name", "variant_id")
        return paginate_matches(filter_matches(queryset, filter), store, first, after)


__all__ = ["AmazonCatalogMatchCancel", "AmazonCatalogMatchStart", "CatalogQuery", "MatchStatus"]
