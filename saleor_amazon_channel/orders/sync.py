"""An Amazon order into one Saleor order, exactly once: record, then apply.

**Record** (:func:`record`) writes what Amazon said into the store's :class:`AmazonOrder` row
(unique per store and Amazon order ID) and its lines, in a transaction of its own that locks
the row, and marks it ``needs_sync``. A read older than what is stored changes nothing, so
re-reads, overlapping windows and repeated pages are harmless.

**Apply** (:func:`apply`) locks the row (``SKIP LOCKED``: a row another worker is applying is
left to it; it reads the latest record since recording waits for its lock) and makes the Saleor
order match Amazon's status through the host, in the same transaction: the Saleor order
is created and the row linked to it in one commit, so a killed worker leaves either both or
neither. The Saleor order's ``external_reference`` (unique in Saleor) is the Amazon order ID: an
order that exists already is linked, never created twice.

Status rules (Adobe's, with the settings): Pending creates nothing unless the store reserves
stock for Pending orders (then an UNCONFIRMED order holding stock); Unshipped, Partially Shipped
and Shipped create (or confirm) an UNFULFILLED order with stock allocated; Cancelled cancels the
Saleor order (releasing its stock). FBA orders, when imported, are created once Shipped as
FULFILLED with no stock movement. An order that cannot be created keeps its reason
(``problem``) and ``needs_sync``: every poll retries it, and so does the retry mutation.
"""

import logging
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from saleor_amazon_channel.amazon import orders as amazon_orders
from saleor_amazon_channel.core.host import (
    Host,
    NewOrder,
    NewOrderLine,
    OrderAddress,
    OrderRefused,
    OrderStatus,
    get_host,
)
from saleor_amazon_channel.orders.mapping import resolve_variants
from saleor_amazon_channel.orders.models import (
    AmazonOrder,
    AmazonOrderLine,
    AmazonStatus,
    CustomerMode,
    OrderReference,
    OrderSettings,
    Problem,
)
from saleor_amazon_channel.stores.models import AmazonStore

logger = logging.getLogger(__name__)

CENT = Decimal("0.01")
# Marketplaces whose prices exclude tax (Amazon adds it); elsewhere Amazon's item price includes it.
TAX_EXCLUSIVE_COUNTRIES = frozenset({"US", "CA"})
SHIPPED_STATUSES = (AmazonStatus.UNSHIPPED, AmazonStatus.PARTIALLY_SHIPPED, AmazonStatus.SHIPPED)
PENDING_STATUSES = (AmazonStatus.PENDING, AmazonStatus.PENDING_AVAILABILITY)
REFUSAL_PROBLEMS = {
    "insufficient_stock": Problem.INSUFFICIENT_STOCK,
    "variant_missing": Problem.VARIANT_MISSING,
    "channel_missing": Problem.NO_CHANNEL,
    "reference_taken": Problem.REFERENCE_TAKEN,
}


def settings_for(store: AmazonStore) -> OrderSettings:
    found = OrderSettings.objects.filter(store=store).first()
    if found is not None:
        return found
    # First use: import orders from now on (orders that existed before are never imported).
    try:
        with transaction.atomic():
            return OrderSettings.objects.create(store=store)
    except IntegrityError:
        return OrderSettings.objects.get(store=store)


def wanted(order: amazon_orders.Order, settings: OrderSettings) -> bool:
    """Whether the plugin keeps a record of this Amazon order at all."""
    if order.created_at < settings.import_from:
        return False
    return order.fulfilled_by != "AMAZON" or settings.import_fba


# --- Record -------------------------------------------------------------------------------------


def record(store: AmazonStore, order: amazon_orders.Order) -> tuple[AmazonOrder, bool]:
    """Write Amazon's order into its row; (row, changed). Its own transaction."""
    with transaction.atomic():
        row = AmazonOrder.objects.select_for_update().filter(store=store, amazon_order_id=order.order_id).first()
        if row is None:
            try:
                with transaction.atomic():
                    row = AmazonOrder.objects.create(
                        store=store, amazon_order_id=order.order_id, amazon_status=order.status,
                        amazon_updated_at=order.updated_at,
                    )
                created = True
            except IntegrityError:  # another poller recorded it first
                row = AmazonOrder.objects.select_for_update().get(store=store, amazon_order_id=order.order_id)
                created = False
        else:
            created = False
        if not created and row.amazon_updated_at > order.updated_at:
            return row, False  # an older read (a late page, an overlapping window)
        if not created and row.amazon_updated_at == order.updated_at and row.amazon_status == order.status \
                and row.lines.count() == len(order.items):
            return row, False  # the same read again
        _fill(row, order)
        row.needs_sync = True
        row.save()
        _write_lines(row, order)
        return row, True


def _fill(row: AmazonOrder, order: amazon_orders.Order) -> None:
    row.amazon_status = order.status
    row.fulfilled_by = order.fulfilled_by
    row.purchased_at = order.created_at
    row.amazon_updated_at = order.updated_at
    row.currency = order.currency
    row.total_amount = order.total
    row.shipping_amount = sum((item.shipping_amount for item in order.items), Decimal(0))
    row.shipping_tax_amount = sum((item.shipping_tax for item in order.items), Decimal(0))
    # Withheld data never erases what an earlier read (with the roles) gave.
    row.buyer_name = order.buyer_name or row.buyer_name
    row.buyer_email = order.buyer_email or row.buyer_email
    if order.address is not None and (order.address.line1 or not row.address):
        row.address = {key: value for key, value in vars(order.address).items() if value}
    row.pii_withheld = not row.buyer_email or not row.address.get("line1")
    row.buyer_cancel_requested = order.buyer_cancel_requested
    row.cancel_reason = next((item.cancel_reason for item in order.items if item.cancel_reason), "")[:255]
    row.raw = order.raw


def _write_lines(row: AmazonOrder, order: amazon_orders.Order) -> None:
    existing = {line.order_item_id: line for line in row.lines.all()}
    for item in order.items:
        line = existing.get(item.order_item_id) or AmazonOrderLine(order=row, order_item_id=item.order_item_id)
        line.seller_sku = item.seller_sku
        line.asin = item.asin
        line.title = item.title
        line.quantity = item.quantity
        line.quantity_shipped = max(line.quantity_shipped, item.quantity_shipped)
        quantity = max(item.quantity, 1)
        if item.item_amount is not None:
            line.unit_price = ((item.item_amount - item.discount) / quantity).quantize(CENT, ROUND_HALF_UP)
            line.unit_tax = (item.item_tax / quantity).quantize(CENT, ROUND_HALF_UP)
        line.shipping_amount = item.shipping_amount
        line.shipping_tax_amount = item.shipping_tax
        line.cancel_requested = item.cancel_requested
        line.save()


# --- Apply --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Applied:
    order_id: int
    action: str  # created, confirmed, cancelled, linked, problem, nothing, busy


def apply(order_id: int) -> Applied:
    """Make the Saleor order match the row (locked; one transaction with the host's writes)."""
    with transaction.atomic():
        row = (AmazonOrder.objects.select_for_update(skip_locked=True, of=("self",))
               .select_related("store").filter(pk=order_id).first())
        if row is None:
            return Applied(order_id, "busy")
        action = _apply_locked(row)
        row.save()
        return Applied(order_id, action)


def _apply_locked(row: AmazonOrder) -> str:
    store = row.store
    settings = settings_for(store)
    row.needs_sync = False
    if not settings.import_enabled:
        return "nothing"
    host = get_host()
    is_fba = row.fulfilled_by == "AMAZON"
    status = row.amazon_status
    if status == AmazonStatus.CANCELLED:
        return _cancel(row, host)
    if row.saleor_order_id:
        if row.saleor_state == OrderStatus.UNCONFIRMED and status in SHIPPED_STATUSES:
            return _confirm(row, host)
        if row.problem != Problem.CANCELLED_IN_SALEOR:
            _clear_problem(row)
        return "nothing"
    if is_fba:
        if status != AmazonStatus.SHIPPED:
            return "nothing"
        return _create(row, settings, OrderStatus.FULFILLED, allocate=False)
    if status in PENDING_STATUSES:
        if not settings.reserve_pending:
            _clear_problem(row)
            return "nothing"
        return _create(row, settings, OrderStatus.UNCONFIRMED, allocate=True)
    if status in SHIPPED_STATUSES:
        return _create(row, settings, OrderStatus.UNFULFILLED, allocate=True)
    return "nothing"  # UNFULFILLABLE (multi-channel fulfilment), unknown statuses


def _clear_problem(row: AmazonOrder) -> None:
    row.problem, row.problem_message = "", ""


def _set_problem(row: AmazonOrder, problem: str, message: str) -> str:
    row.problem, row.problem_message = problem, message[:500]
    row.attempts += 1
    row.needs_sync = True  # retried by every poll until it goes through
    return "problem"


def _create(row: AmazonOrder, settings: OrderSettings, status: str, *, allocate: bool) -> str:
    store = row.store
    host = get_host()
    if store.channel_id is None:
        return _set_problem(row, Problem.NO_CHANNEL, "The store has no Saleor channel: choose one to import orders.")
    existing = host.find_orders([row.amazon_order_id]).get(row.amazon_order_id)
    if existing is not None:
        # Created before (a restored database, a link lost some other way): link it, never a second one.
        row.saleor_order_id, row.saleor_state = existing.id, existing.status
        _clear_problem(row)
        return "linked"
    lines = list(row.lines.all())
    if not lines:
        return _set_problem(row, Problem.UNKNOWN_SKU, "Amazon sent no items for this order yet.")
    variants = resolve_variants(store, [line.seller_sku for line in lines])
    unknown = sorted({line.seller_sku or line.order_item_id for line in lines if line.seller_sku not in variants})
    if unknown:
        return _set_problem(row, Problem.UNKNOWN_SKU,
                            "No Saleor variant has the seller SKU " + ", ".join(unknown)[:400] + ".")
    for line in lines:
        line.variant_id = variants[line.seller_sku]
    AmazonOrderLine.objects.bulk_update(lines, ["variant_id"])
    new_order = build_order(row, settings, lines, status, allocate)
    try:
        with transaction.atomic():
            created = host.create_order(new_order)
    except OrderRefused as refusal:
        return _set_problem(row, REFUSAL_PROBLEMS.get(refusal.code, Problem.HOST_ERROR), refusal.message)
    row.saleor_order_id, row.saleor_state = created.id, created.status
    _clear_problem(row)
    logger.info("amazon_channel.orders.created", extra={"amazon_order_id": row.amazon_order_id, "store": store.pk})
    return "created"


def _confirm(row: AmazonOrder, host: Host) -> str:
    try:
        with transaction.atomic():
            confirmed = host.confirm_order(row.saleor_order_id, allocate=True)
    except OrderRefused as refusal:
        return _set_problem(row, REFUSAL_PROBLEMS.get(refusal.code, Problem.HOST_ERROR), refusal.message)
    row.saleor_state = confirmed.status
    _clear_problem(row)
    return "confirmed"


def _cancel(row: AmazonOrder, host: Host) -> str:
    if not row.saleor_order_id:
        _clear_problem(row)  # nothing in Saleor: a waiting order cancelled on Amazon waits no more
        return "nothing"
    if row.saleor_state == OrderStatus.CANCELED:
        _clear_problem(row)
        return "nothing"
    try:
        with transaction.atomic():
            cancelled = host.cancel_order(row.saleor_order_id)
    except OrderRefused as refusal:
        row.problem, row.problem_message = Problem.CANCEL_REFUSED, refusal.message[:500]
        return "problem"
    row.saleor_state = cancelled.status
    _clear_problem(row)
    return "cancelled"


def _split(amount: Decimal, tax: Decimal, tax_inclusive: bool) -> tuple[Decimal, Decimal]:
    """(net, gross) from Amazon's amount and its tax."""
    if tax_inclusive:
        return amount - tax, amount
    return amount, amount + tax


def build_order(row: AmazonOrder, settings: OrderSettings, lines: list[AmazonOrderLine], status: str,
                allocate: bool) -> NewOrder:
    store = row.store
    marketplace = store.marketplace
    inclusive = marketplace.country_code not in TAX_EXCLUSIVE_COUNTRIES
    new_lines = []
    for line in lines:
        unit = line.unit_price if line.unit_price is not None else Decimal(0)
        net, gross = _split(unit, line.unit_tax, inclusive)
        rate = (line.unit_tax / net).quantize(Decimal("0.0001")) if net else Decimal(0)
        new_lines.append(NewOrderLine(
            variant_id=int(line.variant_id or 0), quantity=line.quantity, unit_price_net=net, unit_price_gross=gross,
            tax_rate=rate, product_name=line.title[:386], sku=line.seller_sku,
        ))
    ship_net, ship_gross = _split(row.shipping_amount, row.shipping_tax_amount, inclusive)
    address = _address(row)
    note = ""
    if settings.order_reference == OrderReference.EXTERNAL_REFERENCE_AND_NOTE:
        note = f"Amazon order {row.amazon_order_id} ({marketplace.domain})"
    return NewOrder(
        channel_id=int(store.channel_id or 0),
        external_reference=row.amazon_order_id,
        currency=row.currency or marketplace.currency_code,
        lines=tuple(new_lines),
        status=status,
        shipping_price_net=ship_net,
        shipping_price_gross=ship_gross,
        shipping_method_name="Amazon",
        user_email=row.buyer_email if settings.customer == CustomerMode.GUEST_EMAIL else "",
        shipping_address=address,
        billing_address=address,
        allocate=allocate,
        customer_note=note,
        metadata={
            "amazon.order_id": row.amazon_order_id,
            "amazon.store_id": str(store.pk),
            "amazon.marketplace_id": store.marketplace_id,
            "amazon.fulfilled_by": row.fulfilled_by,
            "amazon.pii_withheld": "true" if row.pii_withheld else "false",
        },
        created_at=row.purchased_at,
    )


def _address(row: AmazonOrder) -> OrderAddress | None:
    data = row.address or {}
    if not data.get("country"):
        return None
    first, _, last = (data.get("name") or "").partition(" ")
    return OrderAddress(
        first_name=first[:256], last_name=last[:256], company_name=data.get("company_name", "")[:256],
        street_address_1=data.get("line1", "")[:256], street_address_2=data.get("line2", "")[:256],
        city=data.get("city", "")[:256], city_area=data.get("district", "")[:128],
        postal_code=data.get("postal_code", "")[:20], country=data.get("country", ""),
        country_area=data.get("state", "")[:128], phone=data.get("phone", "")[:40],
    )


def retry(order: AmazonOrder) -> Applied:
    """Apply again now (the retry mutation); the poll retries waiting orders by itself."""
    AmazonOrder.objects.filter(pk=order.pk).update(needs_sync=True, updated_at=timezone.now())
    return apply(order.pk)


def apply_waiting(store: AmazonStore, limit: int = 100) -> int:
    """Apply the store's rows that still need it (problems retried, statuses left by a killed worker)."""
    ids = list(AmazonOrder.objects.filter(store=store, needs_sync=True).order_by("updated_at")
               .values_list("pk", flat=True)[:limit])
    for pk in ids:
        apply(pk)
    return len(ids)
