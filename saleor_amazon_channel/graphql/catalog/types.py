"""GraphQL types of the catalog match (their loaders, with every other, are in graphql/core/dataloaders)."""

from collections.abc import Mapping

import graphene
from django.utils import timezone
from promise import Promise

from saleor_amazon_channel.catalog.models import CatalogMatch, CatalogMatchRun, MatchStatus, RunStatus
from saleor_amazon_channel.core import identifiers, ids
from saleor_amazon_channel.graphql.core.context import Info
from saleor_amazon_channel.graphql.core.dataloaders import CountsByStoreLoader
from saleor_amazon_channel.graphql.core.types import RunErrorResolvers

PENDING = "PENDING"

AmazonCatalogMatchStatus = graphene.Enum(
    "AmazonCatalogMatchStatus",
    [(s.value, s.value) for s in MatchStatus] + [(PENDING, PENDING)],
    description="What Amazon's catalog knows of a variant's identifier; PENDING until the running match reaches it.",
)
AmazonCatalogMatchRunStatus = graphene.Enum(
    "AmazonCatalogMatchRunStatus",
    [(s.value, s.value) for s in RunStatus],
    description="Where a catalog match run stands.",
)

# Rate of Amazon's usage plan (20 identifiers x 2 requests/s): the ETA before the first batch is done.
PLANNED_VARIANTS_PER_SECOND = 40.0


class AmazonCatalogMatchCounts(graphene.ObjectType):
    total = graphene.Int(required=True)
    matched = graphene.Int(required=True)
    multiple_matches = graphene.Int(required=True)
    no_match = graphene.Int(required=True)
    invalid_identifier = graphene.Int(required=True)
    no_identifier = graphene.Int(required=True)
    error = graphene.Int(required=True)
    pending = graphene.Int(required=True)


def counts_object(by_status: Mapping[str, int]) -> AmazonCatalogMatchCounts:
    return AmazonCatalogMatchCounts(
        total=sum(by_status.values()),
        matched=by_status.get(MatchStatus.MATCHED, 0),
        multiple_matches=by_status.get(MatchStatus.MULTIPLE_MATCHES, 0),
        no_match=by_status.get(MatchStatus.NO_MATCH, 0),
        invalid_identifier=by_status.get(MatchStatus.INVALID_IDENTIFIER, 0),
        no_identifier=by_status.get(MatchStatus.NO_IDENTIFIER, 0),
        error=by_status.get(MatchStatus.ERROR, 0),
        pending=by_status.get(PENDING, 0),
    )


class AmazonCatalogMatchRun(RunErrorResolvers, graphene.ObjectType):
    id = graphene.ID(required=True)
    status = AmazonCatalogMatchRunStatus(required=True)
    total = graphene.Int(required=True, description="Variants listed in the store's channel.")
    done = graphene.Int(required=True, description="Variants settled so far.")
    progress = graphene.Float(required=True, description="done / total, from 0 to 1.")
    estimated_seconds_left = graphene.Int(description="While running: the time left at the pace so far.")
    amazon_calls = graphene.Int(required=True, description="searchCatalogItems calls the run made.")
    counts = graphene.Field(
        AmazonCatalogMatchCounts, required=True, description="The store's results per status, as they stand now."
    )
    created_at = graphene.DateTime(required=True)
    started_at = graphene.DateTime()
    finished_at = graphene.DateTime()
    last_error_code = graphene.String()
    last_error = graphene.String(description="Why the run failed, for a person.")

    @staticmethod
    def resolve_id(root: CatalogMatchRun, info: Info) -> str:
        return ids.to_global_id("AmazonCatalogMatchRun", root.pk)

    @staticmethod
    def resolve_progress(root: CatalogMatchRun, info: Info) -> float:
        return (
            1.0
            if root.total == 0 and root.status == RunStatus.SUCCEEDED
            else (root.done / root.total if root.total else 0.0)
        )

    @staticmethod
    def resolve_estimated_seconds_left(root: CatalogMatchRun, info: Info) -> int | None:
        if not root.is_active:
            return None
        if root.status == RunStatus.PENDING or root.started_at is None:
            return None
        left = max(0, root.total - root.done)
        looked_up = root.done - root.planned_done
        elapsed = (timezone.now() - root.started_at).total_seconds()
        rate = looked_up / elapsed if looked_up > 0 and elapsed > 0 else PLANNED_VARIANTS_PER_SECOND
        return int(round(left / rate))

    @staticmethod
    def resolve_counts(root: CatalogMatchRun, info: Info) -> Promise[AmazonCatalogMatchCounts]:
        return info.context.loader(CountsByStoreLoader).load(root.store_id).then(counts_object)


class AmazonCatalogVariant(graphene.ObjectType):
    id = graphene.ID(required=True, description="Saleor's ProductVariant global ID.")
    sku = graphene.String()
    name = graphene.String(required=True, description="Product name, and the variant's own name when it has one.")


class AmazonCatalogMatch(graphene.ObjectType):
    id = graphene.ID(required=True)
    variant = graphene.Field(AmazonCatalogVariant, required=True)
    identifier_type = graphene.String(required=True, description="The store's identifier type (EAN, UPC, ...).")
    identifier = graphene.String(description="The identifier read from Saleor; null when there is none.")
    status = AmazonCatalogMatchStatus(required=True)
    reason = graphene.String(
        description="Why an identifier is invalid or missing, or the error code of a failed lookup."
    )
    asin = graphene.String(description="The matched Amazon item.")
    asins = graphene.List(graphene.NonNull(graphene.String), required=True, description="Every ASIN found.")
    title = graphene.String()
    brand = graphene.String()
    image_url = graphene.String()
    product_url = graphene.String(description="The item's page on the store's Amazon marketplace.")
    error_code = graphene.String()
    checked_at = graphene.DateTime(description="When Amazon was last asked about this identifier.")

    @staticmethod
    def resolve_id(root: CatalogMatch, info: Info) -> str:
        return ids.to_global_id("AmazonCatalogMatch", root.pk)

    @staticmethod
    def resolve_variant(root: CatalogMatch, info: Info) -> AmazonCatalogVariant:
        return AmazonCatalogVariant(
            id=ids.to_global_id("ProductVariant", root.variant_id), sku=root.sku or None, name=root.name
        )

    @staticmethod
    def resolve_identifier_type(root: CatalogMatch, info: Info) -> str:
        return root.store.product_id_type

    @staticmethod
    def resolve_identifier(root: CatalogMatch, info: Info) -> str | None:
        return root.identifier or None

    @staticmethod
    def resolve_status(root: CatalogMatch, info: Info) -> str:
        return root.status or PENDING

    @staticmethod
    def resolve_reason(root: CatalogMatch, info: Info) -> str | None:
        if root.status in (MatchStatus.INVALID_IDENTIFIER, MatchStatus.NO_IDENTIFIER):
            return identifiers.check(root.store.product_id_type, root.identifier).reason or None
        if root.status == MatchStatus.ERROR:
            return f"Amazon answered with an error ({root.error_code}); the next run asks again."
        return None

    @staticmethod
    def resolve_asin(root: CatalogMatch, info: Info) -> str | None:
        return root.asin or None

    @staticmethod
    def resolve_asins(root: CatalogMatch, info: Info) -> list[str]:
        return list(root.asins or [])

    @staticmethod
    def resolve_title(root: CatalogMatch, info: Info) -> str | None:
        return root.title or None

    @staticmethod
    def resolve_brand(root: CatalogMatch, info: Info) -> str | None:
        return root.brand or None

    @staticmethod
    def resolve_image_url(root: CatalogMatch, info: Info) -> str | None:
        return root.image_url or None

    @staticmethod
    def resolve_product_url(root: CatalogMatch, info: Info) -> str | None:
        if not root.asin:
            return None
        return f"https://{root.store.marketplace.domain}/dp/{root.asin}"

    @staticmethod
    def resolve_error_code(root: CatalogMatch, info: Info) -> str | None:
        return root.error_code or None


class AmazonCatalogMatchCountableConnection(graphene.relay.Connection):
    total_count = graphene.Int(description="How many results match the filter, across all pages.")

    class Meta:
        node = AmazonCatalogMatch
