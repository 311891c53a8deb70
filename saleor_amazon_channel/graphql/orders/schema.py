"""The Amazon orders API: order settings (MANAGE_CHANNELS); orders, their buyer data and retries
(MANAGE_ORDERS, as Saleor's own orders)."""

from collections.abc import Mapping
from typing import Any

import graphene
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from saleor_amazon_channel.core import ids, text
from saleor_amazon_channel.core.host import MANAGE_CHANNELS, MANAGE_ORDERS
from saleor_amazon_channel.errors import DomainError, refusal
from saleor_amazon_channel.graphql.core.context import Info, permission_required
from saleor_amazon_channel.graphql.core.mutations import AmazonMutation
from saleor_amazon_channel.graphql.core.pagination import MAX_PAGE_SIZE, paginate
from saleor_amazon_channel.graphql.core.request_errors import InvalidArgument
from saleor_amazon_channel.graphql.orders.types import (
    AmazonOrder,
    AmazonOrderCountableConnection,
    AmazonOrderCustomerMode,
    AmazonOrderProblem,
    AmazonOrderReference,
    AmazonOrderSettings,
    AmazonOrderStatus,
    AmazonShipment,
)
from saleor_amazon_channel.graphql.stores.mutations import AmazonStoreMutation, get_store_or_error
from saleor_amazon_channel.orders import shipments, sync
from saleor_amazon_channel.orders.models import AmazonOrder as AmazonOrderModel
from saleor_amazon_channel.orders.models import AmazonShipment as AmazonShipmentModel
from saleor_amazon_channel.orders.models import OrderSettings
from saleor_amazon_channel.outcomes import Outcome

MAX_SEARCH = 255


def settings_object(row: OrderSettings) -> AmazonOrderSettings:
    return AmazonOrderSettings(
        import_enabled=row.import_enabled, import_from=row.import_from, reserve_pending=row.reserve_pending,
        import_fba=row.import_fba, customer=row.customer, order_reference=row.order_reference,
    )


class AmazonOrderFilterInput(graphene.InputObjectType):
    status = graphene.List(graphene.NonNull(AmazonOrderStatus), description="Only orders in these Amazon statuses.")
    problem = graphene.List(graphene.NonNull(AmazonOrderProblem), description="Only orders with these problems.")
    has_problem = graphene.Boolean(description="Only orders waiting (true) or settled (false).")
    search = graphene.String(description="Matches the Amazon order ID, a seller SKU or the buyer's name.")


def filter_orders(queryset: QuerySet[AmazonOrderModel], filter: Mapping[str, Any] | None) -> QuerySet[AmazonOrderModel]:
    if not filter:
        return queryset
    if filter.get("status"):
        queryset = queryset.filter(amazon_status__in=list(filter["status"]))
    if filter.get("problem"):
        queryset = queryset.filter(problem__in=list(filter["problem"]))
    if filter.get("has_problem") is not None:
        queryset = queryset.exclude(problem="") if filter["has_problem"] else queryset.filter(problem="")
    raw = filter.get("search") or ""
    if len(raw) > MAX_SEARCH:
        raise InvalidArgument(f"filter.search is longer than {MAX_SEARCH} characters.")
    search = text.clean(raw)
    if search is None:
        raise InvalidArgument("filter.search contains control or invisible characters.")
    if search:
        queryset = queryset.filter(
            Q(amazon_order_id__icontains=search) | Q(lines__seller_sku__iexact=search)
            | Q(buyer_name__icontains=search)
        ).distinct()
    return queryset


class OrdersQuery(graphene.ObjectType):
    amazon_orders = graphene.ConnectionField(
        AmazonOrderCountableConnection,
        store_id=graphene.ID(required=True),
        filter=AmazonOrderFilterInput(),
        description=f"The store's Amazon orders: waiting ones first, then newest first. Page size at most "
        f"{MAX_PAGE_SIZE}. Requires MANAGE_ORDERS.",
    )
    amazon_order_settings = graphene.Field(
        AmazonOrderSettings, required=False, store_id=graphene.ID(required=True),
        description="How the store imports Amazon orders. Requires MANAGE_CHANNELS.",
    )

    @staticmethod
    @permission_required(MANAGE_ORDERS)
    def resolve_amazon_orders(
        root: object, info: Info, /, store_id: str, filter: Mapping[str, Any] | None = None, **args: Any
    ) -> graphene.relay.Connection | None:
        try:
            store = get_store_or_error(store_id, field="store_id")
        except DomainError:
            return None
        queryset = AmazonOrderModel.objects.filter(store=store).annotate(
            waiting=Case(When(problem="", then=Value(1)), default=Value(0), output_field=IntegerField())
        ).order_by("waiting", "-purchased_at", "-pk")
        page: graphene.relay.Connection = paginate(
            filter_orders(queryset, filter), args, AmazonOrderCountableConnection
        )
        return page

    @staticmethod
    @permission_required(MANAGE_CHANNELS)
    def resolve_amazon_order_settings(root: object, info: Info, store_id: str) -> AmazonOrderSettings | None:
        try:
            store = get_store_or_error(store_id, field="store_id")
        except DomainError:
            return None
        return settings_object(sync.settings_for(store))


class AmazonOrderSettingsInput(graphene.InputObjectType):
    import_enabled = graphene.Boolean()
    import_from = graphene.DateTime()
    reserve_pending = graphene.Boolean()
    import_fba = graphene.Boolean()
    customer = AmazonOrderCustomerMode()
    order_reference = AmazonOrderReference()


class AmazonOrderSettingsUpdate(AmazonStoreMutation):
    order_settings = graphene.Field(AmazonOrderSettings)

    class Arguments:
        store_id = graphene.ID(required=True)
        input = AmazonOrderSettingsInput(required=True)

    class Meta:
        description = "Change how the store imports Amazon orders. Requires MANAGE_CHANNELS."

    @classmethod
    def perform_mutation(
        cls, root: object, info: Info, store_id: str, input: Mapping[str, Any]
    ) -> "AmazonOrderSettingsUpdate":
        store = get_store_or_error(store_id, field="store_id")
        row = sync.settings_for(store)
        import_from = row.import_from
        for name in ("import_enabled", "import_from", "reserve_pending", "import_fba", "customer", "order_reference"):
            if input.get(name) is not None:
                setattr(row, name, input[name])
        if row.import_from.tzinfo is None:
            raise refusal("import_from", "Give the date with its time zone.", Outcome.INVALID)
        row.save()
        if row.import_from < import_from:
            from saleor_amazon_channel.orders import poller

            # An earlier date: the next poll reads Amazon's orders from it, not from where it had got to.
            poller.read_again_from(store, row.import_from)
        # Settings decide what is created: waiting orders are looked at again on the next poll.
        AmazonOrderModel.objects.filter(store=store, saleor_order_id="").update(needs_sync=True)
        return cls(amazon_store=store, order_settings=settings_object(row), errors=[])


class AmazonOrdersRead(AmazonStoreMutation):
    permissions = (MANAGE_ORDERS,)

    class Arguments:
        store_id = graphene.ID(required=True)

    class Meta:
        description = "Read the store's orders from Amazon now, as the periodic poll does: one poll, in this " \
                      "request (Amazon's pace and its 2-minute rule apply; while another poll runs, this one " \
                      "reads nothing). Requires MANAGE_ORDERS."

    @classmethod
    def perform_mutation(cls, root: object, info: Info, store_id: str) -> "AmazonOrdersRead":
        from saleor_amazon_channel.orders import poller

        store = get_store_or_error(store_id, field="store_id")
        if not poller.pollable(store):
            raise refusal("store_id", "Connect the store to Amazon, activate it and choose its channel first.",
                          Outcome.NOT_CONNECTED)
        poller.poll(store.pk)
        return cls(amazon_store=store, errors=[])


class AmazonOrderMutation(AmazonMutation):
    """A mutation about an Amazon order (MANAGE_ORDERS)."""

    class Meta:
        abstract = True

    permissions = (MANAGE_ORDERS,)


def get_order_or_error(global_id: object, field: str = "id") -> AmazonOrderModel:
    pk = ids.decode(global_id, "AmazonOrder")
    order = AmazonOrderModel.objects.select_related("store").filter(pk=pk).first() if pk else None
    if order is None:
        raise refusal(field, "No Amazon order has this ID.", Outcome.NOT_FOUND)
    return order


class AmazonOrderRetry(AmazonOrderMutation):
    amazon_order = graphene.Field(AmazonOrder)

    class Arguments:
        id = graphene.ID(required=True, description="The Amazon order (AmazonOrder ID).")
        refresh = graphene.Boolean(default_value=False, description="Read the order from Amazon first (getOrder).")

    class Meta:
        description = "Create (or update) the Saleor order of an Amazon order now, e.g. after fixing its problem. " \
                      "Requires MANAGE_ORDERS."

    @classmethod
    def perform_mutation(cls, root: object, info: Info, id: str, refresh: bool = False) -> "AmazonOrderRetry":
        from saleor_amazon_channel.orders import poller

        order = get_order_or_error(id)
        if refresh and not poller.refresh_order(order.store, order.amazon_order_id):
            raise refusal("refresh", "Amazon could not be asked now; try again in a minute.",
                          Outcome.AMAZON_UNAVAILABLE)
        sync.retry(order)
        return cls(amazon_order=AmazonOrderModel.objects.get(pk=order.pk), errors=[])


class AmazonShipmentRetry(AmazonOrderMutation):
    shipment = graphene.Field(AmazonShipment)

    class Arguments:
        id = graphene.ID(required=True, description="The shipment (AmazonShipment ID).")

    class Meta:
        description = "Send a refused or failed shipment confirmation to Amazon again. Requires MANAGE_ORDERS."

    @classmethod
    def perform_mutation(cls, root: object, info: Info, id: str) -> "AmazonShipmentRetry":
        pk = ids.decode(id, "AmazonShipment")
        shipment = AmazonShipmentModel.objects.filter(pk=pk).first() if pk else None
        if shipment is None:
            raise refusal("id", "No shipment has this ID.", Outcome.NOT_FOUND)
        if not shipments.retry(shipment):
            raise refusal("id", "Only a refused or failed shipment can be sent again.", Outcome.INVALID)
        return cls(shipment=AmazonShipmentModel.objects.get(pk=shipment.pk), errors=[])


class OrdersMutation(graphene.ObjectType):
    amazon_order_settings_update = AmazonOrderSettingsUpdate.Field()
    amazon_orders_read = AmazonOrdersRead.Field()
    amazon_order_retry = AmazonOrderRetry.Field()
    amazon_shipment_retry = AmazonShipmentRetry.Field()


__all__ = ["AmazonOrder", "OrdersMutation", "OrdersQuery"]
