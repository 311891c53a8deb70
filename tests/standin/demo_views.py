"""Demo-only views of the stand-in host: the dashboard shell page and its token."""

import pathlib
from datetime import timedelta

from django.http import FileResponse, HttpResponseNotFound, JsonResponse

from .account.models import User
from .tokens import create_access_token

ROOT = pathlib.Path(__file__).resolve().parents[2]
SHELL_DIR = ROOT / "dashboard-extension" / "shell"
SHELL_PAGE = SHELL_DIR / "index.html"
SHELL_SCRIPT = SHELL_DIR / "dashboard-urls.js"
DEMO_STAFF_EMAIL = "admin@example.com"


def shell_view(request, subpath=""):
    """The shell for /dashboard/ and every path below it (the Dashboard's index fallback)."""
    if subpath == SHELL_SCRIPT.name:
        return FileResponse(open(SHELL_SCRIPT, "rb"), content_type="text/javascript; charset=utf-8")
    if not SHELL_PAGE.is_file():
        return HttpResponseNotFound("dashboard-extension/shell/index.html is missing")
    return FileResponse(open(SHELL_PAGE, "rb"), content_type="text/html; charset=utf-8")


def token_view(request):
    """A dashboard-style extension token: thirdparty, 5 minutes, app ∩ user permissions."""
    if request.method != "POST":
        return JsonResponse({"error": "Use POST."}, status=405)
    user = User.objects.filter(email=DEMO_STAFF_EMAIL).first()
    if user is None:
        return JsonResponse({"error": "Run the demo set-up first."}, status=503)
    token = create_access_token(
        user, type="thirdparty", permissions=["MANAGE_CHANNELS", "MANAGE_ORDERS"], ttl=timedelta(minutes=5)
    )
    return JsonResponse({"token": token})


def fulfill_order_view(request):
    """What the merchant does in Saleor's order page, for the demo: fulfil every unfulfilled line of an
    order (``{"order": <Order global ID or id>, "tracking_number", "carrier"?}``), stock leaving the
    warehouse that held it, then the plugin's ``fulfillment_created`` hook, as Saleor's plugin manager
    calls it after ``orderFulfill``. Answers ``{"fulfillment": <id>, "status": <the order's status>}``."""
    import json

    from django.db import transaction
    from django.db.models import F
    from graphql_relay import from_global_id

    from saleor_amazon_channel.orders.hooks import fulfillment_created

    from .order.models import Fulfillment, FulfillmentLine, Order
    from .warehouse.models import Allocation, Stock

    if request.method != "POST":
        return JsonResponse({"error": "Use POST."}, status=405)
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        return JsonResponse({"error": "The body is not JSON."}, status=400)
    if not isinstance(body, dict) or not isinstance(body.get("order"), str):
        return JsonResponse({"error": "Give the order's ID as \"order\"."}, status=400)
    raw = body["order"][:200]
    try:
        kind, pk = from_global_id(raw)
    except Exception:  # not a global ID: the order's own id
        kind, pk = "", raw
    pk = pk if kind == "Order" else raw
    with transaction.atomic():
        order = Order.objects.select_for_update().filter(pk=pk).first() if _is_uuid(pk) else None
        if order is None:
            return JsonResponse({"error": "No order has this ID."}, status=404)
        if order.status not in ("unfulfilled", "partially fulfilled"):
            return JsonResponse({"error": f"An order {order.status} cannot be fulfilled."}, status=400)
        carrier = str(body.get("carrier") or "")
        fulfillment = Fulfillment.objects.create(
            order=order, fulfillment_order=order.fulfillments.count() + 1,
            tracking_number=str(body.get("tracking_number") or "")[:255],
            metadata={"carrier": carrier} if carrier else {},
        )
        for line in order.lines.all():
            quantity = line.quantity - line.quantity_fulfilled
            if quantity <= 0:
                continue
            FulfillmentLine.objects.create(order_line=line, fulfillment=fulfillment, quantity=quantity)
            line.quantity_fulfilled += quantity
            line.save(update_fields=["quantity_fulfilled"])
            # Saleor's fulfilment: the allocated units leave the warehouse.
            for allocation in Allocation.objects.filter(order_line_id=line.pk):
                Stock.objects.filter(pk=allocation.stock_id).update(
                    quantity=F("quantity") - allocation.quantity_allocated,
                    quantity_allocated=F("quantity_allocated") - allocation.quantity_allocated)
                allocation.delete()
        order.status = "fulfilled"
        order.save(update_fields=["status"])
        fulfillment_created(str(order.pk), fulfillment.pk)
    return JsonResponse({"fulfillment": fulfillment.pk, "status": order.status})


def _is_uuid(value) -> bool:
    import uuid

    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def variant_stock_view(request):
    """What the merchant does in Saleor's product pages, for the demo: ``{"sku", "quantity"?, "channel"?
    ("default-channel")}`` makes sure a variant with this SKU exists, is sold in the channel, and (with
    ``quantity``) has that many units in the channel's demo warehouse. Answers ``{"variant": <id>, "sku",
    "quantity", "allocated"}`` (the warehouse's units and those held by orders)."""
    import json

    from django.db import transaction

    from .channel.models import Channel
    from .product.models import Product, ProductType, ProductVariant, ProductVariantChannelListing
    from .warehouse.models import ChannelWarehouse, Stock, Warehouse

    if request.method != "POST":
        return JsonResponse({"error": "Use POST."}, status=405)
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        return JsonResponse({"error": "The body is not JSON."}, status=400)
    sku = body.get("sku") if isinstance(body, dict) else None
    quantity = body.get("quantity")
    if not isinstance(sku, str) or not 0 < len(sku.strip()) <= 40:
        return JsonResponse({"error": "Give a SKU of 1 to 40 characters as \"sku\"."}, status=400)
    if quantity is not None and (not isinstance(quantity, int) or isinstance(quantity, bool) or quantity < 0):
        return JsonResponse({"error": "\"quantity\" is a whole number, 0 or more."}, status=400)
    channel = Channel.objects.filter(slug=str(body.get("channel") or "default-channel")).first()
    if channel is None:
        return JsonResponse({"error": "No channel has this slug."}, status=404)
    sku = sku.strip()
    with transaction.atomic():
        variant = ProductVariant.objects.filter(sku=sku).first()
        if variant is None:
            product_type, _ = ProductType.objects.get_or_create(name="Demo goods")
            product = Product.objects.create(product_type=product_type, name=f"Demo product {sku}",
                                             slug=f"demo-product-{sku.lower()}")
            variant = ProductVariant.objects.create(product=product, name=sku, sku=sku)
        ProductVariantChannelListing.objects.get_or_create(
            variant=variant, channel=channel, defaults={"currency": channel.currency_code, "price_amount": 20})
        warehouse, _ = Warehouse.objects.get_or_create(slug=f"demo-{channel.slug}",
                                                       defaults={"name": f"Demo warehouse ({channel.name})"})
        ChannelWarehouse.objects.get_or_create(channel=channel, warehouse=warehouse)
        stock, _ = Stock.objects.get_or_create(warehouse=warehouse, product_variant=variant)
        if quantity is not None:
            stock.quantity = quantity
            stock.save(update_fields=["quantity"])
    return JsonResponse({"variant": variant.pk, "sku": sku, "quantity": stock.quantity,
                         "allocated": stock.quantity_allocated})
