"""GraphQL types of the Amazon orders; loaders keep a page at a constant number of queries."""

from collections import defaultdict
from decimal import Decimal

import graphene
from django.db.models import Count, Q
from promise import Promise

from saleor_amazon_channel.core import ids
from saleor_amazon_channel.core.host import HostOrder
from saleor_amazon_channel.graphql.core.context import ContextLoader, GraphQLContext, Info
from saleor_amazon_channel.orders.models import AmazonOrder as AmazonOrderModel
from saleor_amazon_channel.orders.models import (
    AmazonOrderLine as AmazonOrderLineModel,
)
from saleor_amazon_channel.orders.models import (
    AmazonShipment as AmazonShipmentModel,
)
from saleor_amazon_channel.orders.models import (
    AmazonStatus,
    CustomerMode,
    OrderReference,
    OrderSync,
    Problem,
    ShipmentStatus,
)

AmazonOrderStatus = graphene.Enum(
    "AmazonOrderStatus", [(s.value, s.value) for s in AmazonStatus],
    description="Amazon's fulfillment status of the order (Orders API v2026-01-01).",
)
AmazonOrderProblem = graphene.Enum(
    "AmazonOrderProblem", [(p.value, p.value) for p in Problem],
    description="Why the order has no up-to-date Saleor order; it is retried on every poll and by amazonOrderRetry.",
)
AmazonShipmentStatus = graphene.Enum(
    "AmazonShipmentStatus", [(s.value, s.value) for s in ShipmentStatus],
    description="Where a Saleor fulfillment's confirmation to Amazon stands.",
)
AmazonOrderCustomerMode = graphene.Enum(
    "AmazonOrderCustomerMode", [(m.value, m.value) for m in CustomerMode],
    description="How the Saleor order records the buyer: a guest with Amazon's (masked) buyer e-mail, or none.",
)
AmazonOrderReference = graphene.Enum(
    "AmazonOrderReference", [(r.value, r.value) for r in OrderReference],
    description="Saleor numbers orders itself; Amazon's order ID is the order's external reference, "
    "and with EXTERNAL_REFERENCE_AND_NOTE also its customer note.",
)


class AmazonOrderSettings(graphene.ObjectType):
    import_enabled = graphene.Boolean(required=True, description="Off: orders are listed here, none is created.")
    import_from = graphene.DateTime(
        required=True, description="Orders placed before this are never imported. Moved earlier than where the poll "
                                   "has read, the next poll reads Amazon's orders from it (orders already imported "
                                   "are not created again).")
    reserve_pending = graphene.Boolean(
        required=True, description="Pending orders become unconfirmed Saleor orders holding stock.")
    import_fba = graphene.Boolean(
        required=True, description="Orders fulfilled by Amazon are imported once Shipped, without stock movement.")
    customer = AmazonOrderCustomerMode(required=True)
    order_reference = AmazonOrderReference(required=True)


class SaleorOrderRef(graphene.ObjectType):
    id = graphene.ID(required=True, description="The Saleor order's global ID (opens it in the Dashboard).")
    number = graphene.String(required=True)
    status = graphene.String(required=True, description="Saleor's order status (lower case, as Saleor stores it).")


class AmazonOrderAddress(graphene.ObjectType):
    name = graphene.String()
    company_name = graphene.String()
    line1 = graphene.String()
    line2 = graphene.String()
    city = graphene.String()
    district = graphene.String()
    state = graphene.String()
    postal_code = graphene.String()
    country = graphene.String()
    phone = graphene.String()


class AmazonOrderLine(graphene.ObjectType):
    order_item_id = graphene.String(required=True)
    seller_sku = graphene.String(required=True)
    asin = graphene.String(required=True)
    title = graphene.String(required=True)
    quantity = graphene.Int(required=True)
    quantity_shipped = graphene.Int(required=True)
    unit_price = graphene.Decimal(description="As Amazon charged it, per unit; null while Amazon has no price.")
    unit_tax = graphene.Decimal(required=True)
    variant_id = graphene.ID(description="The Saleor variant the seller SKU maps to.")
    cancel_requested = graphene.Boolean(required=True)

    @staticmethod
    def resolve_variant_id(root: AmazonOrderLineModel, info: Info) -> str | None:
        return ids.to_global_id("ProductVariant", root.variant_id) if root.variant_id else None


class AmazonShipment(graphene.ObjectType):
    id = graphene.ID(required=True)
    fulfillment_id = graphene.ID(required=True, description="The Saleor fulfillment.")
    status = AmazonShipmentStatus(required=True)
    carrier_code = graphene.String(required=True)
    carrier_name = graphene.String(required=True)
    tracking_number = graphene.String(required=True)
    ship_date = graphene.DateTime()
    attempts = graphene.Int(required=True)
    error_code = graphene.String(required=True, description="Amazon's code when it refused the confirmation.")
    error_message = graphene.String(required=True)
    confirmed_at = graphene.DateTime()

    @staticmethod
    def resolve_id(root: AmazonShipmentModel, info: Info) -> str:
        return ids.to_global_id("AmazonShipment", root.pk)

    @staticmethod
    def resolve_fulfillment_id(root: AmazonShipmentModel, info: Info) -> str:
        return ids.to_global_id("Fulfillment", root.fulfillment_id)


class LinesByOrderLoader(ContextLoader):
    def batch_load_fn(self, order_ids: list[int]) -> Promise[list[list[AmazonOrderLineModel]]]:
        by_order = defaultdict(list)
        for line in AmazonOrderLineModel.objects.filter(order_id__in=order_ids).order_by("pk"):
            by_order[line.order_id].append(line)
        return Promise.resolve([by_order.get(pk, []) for pk in order_ids])


class ShipmentsByOrderLoader(ContextLoader):
    def batch_load_fn(self, order_ids: list[int]) -> Promise[list[list[AmazonShipmentModel]]]:
        by_order = defaultdict(list)
        for shipment in AmazonShipmentModel.objects.filter(order_id__in=order_ids).order_by("pk"):
            by_order[shipment.order_id].append(shipment)
        return Promise.resolve([by_order.get(pk, []) for pk in order_ids])


class SaleorOrderLoader(ContextLoader):
    """The host's orders of a page, in one host call."""

    def __init__(self, context: GraphQLContext) -> None:
        super().__init__(context)
        self.host = context.host

    def batch_load_fn(self, order_ids: list[str]) -> Promise[list[HostOrder | None]]:
        found = self.host.get_orders([pk for pk in order_ids if pk])
        return Promise.resolve([found.get(pk) for pk in order_ids])


class AmazonOrder(graphene.ObjectType):
    amazon_order_id = graphene.String(required=True)
    status = AmazonOrderStatus(required=True)
    fulfilled_by = graphene.String(required=True, description="MERCHANT or AMAZON.")
    purchased_at = graphene.DateTime()
    amazon_updated_at = graphene.DateTime(required=True)
    currency = graphene.String(required=True)
    total = graphene.Decimal()
    buyer_name = graphene.String(required=True, description="Empty when Amazon withholds it.")
    buyer_email = graphene.String(required=True, description="Amazon's masked address; empty when withheld.")
    pii_withheld = graphene.Boolean(
        required=True, description="Amazon withheld the buyer or the street address (the application lacks the "
        "PII roles, or the order is FBA): print labels in Seller Central or Buy Shipping.")
    shipping_address = graphene.Field(AmazonOrderAddress)
    buyer_cancel_requested = graphene.Boolean(required=True)
    cancel_reason = graphene.String(required=True)
    saleor_order = graphene.Field(SaleorOrderRef, description="Null until the Saleor order exists.")
    problem = AmazonOrderProblem(description="Null when nothing waits.")
    problem_message = graphene.String(required=True)
    attempts = graphene.Int(required=True, description="How many times creating the Saleor order failed.")
    lines = graphene.List(graphene.NonNull(AmazonOrderLine), required=True)
    shipments = graphene.List(graphene.NonNull(AmazonShipment), required=True)

    class Meta:
        interfaces = (graphene.relay.Node,)
        description = "An Amazon order of a store, and the Saleor order it became."

    @classmethod
    def get_node(cls, info: Info, id: str) -> None:
        return None  # read through amazonOrders (the store and MANAGE_ORDERS are checked there)

    @staticmethod
    def resolve_id(root: AmazonOrderModel, info: Info) -> int:
        return root.pk

    @staticmethod
    def resolve_status(root: AmazonOrderModel, info: Info) -> str:
        return root.amazon_status

    @staticmethod
    def resolve_total(root: AmazonOrderModel, info: Info) -> Decimal | None:
        return root.total_amount

    @staticmethod
    def resolve_problem(root: AmazonOrderModel, info: Info) -> str | None:
        return root.problem or None

    @staticmethod
    def resolve_shipping_address(root: AmazonOrderModel, info: Info) -> AmazonOrderAddress | None:
        data = root.address or {}
        return AmazonOrderAddress(**{key: data.get(key, "") for key in AmazonOrderAddress._meta.fields}) \
            if data else None

    @staticmethod
    def resolve_saleor_order(root: AmazonOrderModel, info: Info) -> Promise[SaleorOrderRef | None] | None:
        if not root.saleor_order_id:
            return None
        return info.context.loader(SaleorOrderLoader).load(root.saleor_order_id).then(
            lambda order: SaleorOrderRef(id=order.graphql_id, number=order.number, status=order.status)
            if order is not None else None
        )

    @staticmethod
    def resolve_lines(root: AmazonOrderModel, info: Info) -> Promise[list[AmazonOrderLineModel]]:
        return info.context.loader(LinesByOrderLoader).load(root.pk)

    @staticmethod
    def resolve_shipments(root: AmazonOrderModel, info: Info) -> Promise[list[AmazonShipmentModel]]:
        return info.context.loader(ShipmentsByOrderLoader).load(root.pk)


class AmazonOrderCountableConnection(graphene.relay.Connection):
    total_count = graphene.Int(description="How many orders match, across all pages.")

    class Meta:
        node = AmazonOrder


class AmazonOrderSync(graphene.ObjectType):
    last_poll_at = graphene.DateTime()
    last_success_at = graphene.DateTime()
    next_poll_at = graphene.DateTime()
    cursor = graphene.DateTime(description="Amazon's orders updated before this are read (less an overlap).")
    in_progress = graphene.Boolean(required=True, description="A window is being read page by page.")
    last_error_code = graphene.String(required=True)
    last_error_message = graphene.String(required=True)
    waiting_orders = graphene.Int(required=True, description="Orders with a problem (lost and found).")
    refused_shipments = graphene.Int(required=True, description="Shipments Amazon refused or that failed.")


class OrderSyncByStoreLoader(ContextLoader):
    def batch_load_fn(self, store_ids: list[int]) -> Promise[list[AmazonOrderSync]]:
        rows = {row.store_id: row for row in OrderSync.objects.filter(store_id__in=store_ids)}
        waiting = dict(AmazonOrderModel.objects.filter(store_id__in=store_ids).exclude(problem="")
                       .values("store_id").annotate(n=Count("pk")).values_list("store_id", "n"))
        refused = dict(AmazonShipmentModel.objects.filter(order__store_id__in=store_ids).filter(
            Q(status=ShipmentStatus.REFUSED) | Q(status=ShipmentStatus.FAILED))
            .values("order__store_id").annotate(n=Count("pk")).values_list("order__store_id", "n"))
        result = []
        for store_id in store_ids:
            row = rows.get(store_id)
            result.append(AmazonOrderSync(
                last_poll_at=row.last_poll_at if row else None,
                last_success_at=row.last_success_at if row else None,
                next_poll_at=row.next_poll_at if row else None,
                cursor=row.cursor if row else None,
                in_progress=bool(row and row.window_before),
                last_error_code=row.last_error_code if row else "",
                last_error_message=row.last_error_message if row else "",
                waiting_orders=waiting.get(store_id, 0),
                refused_shipments=refused.get(store_id, 0),
            ))
        return Promise.resolve(result)
