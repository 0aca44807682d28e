"""Orders built directly from rows (Order, VendorOrder, OrderLine, Allocation), as a completed
checkout leaves them, without going through the checkout."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F

from saleor_ext.account.models import User
from saleor_ext.channel.models import Channel
from saleor_ext.order.models import Order, OrderEvent, OrderEvents, OrderLine, OrderStatus, VendorOrder
from saleor_ext.product.models import Product, ProductVariantChannelListing
from saleor_ext.vendor.models import Vendor
from saleor_ext.warehouse.models import Allocation, Stock, Warehouse
from tests.factories import make_address

CENT = Decimal("0.01")
VAT = Decimal("0.21")


def net_of(gross: Decimal, rate: Decimal = VAT) -> Decimal:
    return (gross / (1 + rate)).quantize(CENT)


@dataclass
class Part:
    """One shop's part of an order: its items (product, quantity) and how the shopper gets them."""

    vendor: Vendor
    items: list[tuple[Product, int]]
    pickup: Warehouse | None = None
    shipping: Decimal = Decimal("0")
    method_name: str = "bpost à domicile"
    tax_rates: dict = field(default_factory=dict)  # product pk -> rate, default 21 %


def make_order(
    channel: Channel,
    parts: list[Part],
    *,
    user: User | None = None,
    email: str | None = None,
    language_code: str = "fr",
    status: str = OrderStatus.UNFULFILLED,
    allocate: bool = True,
) -> Order:
    """An order with one vendor order per part, its lines priced from the channel and their stock
    allocated (as checkout completion leaves it)."""
    shipping_address = make_address(first_name="Anne", last_name="Dupont")
    billing_address = make_address(first_name="Anne", last_name="Dupont")
    order = Order.objects.create(
        status=status,
        user=user,
        user_email=email or (user.email if user else "guest@example.org"),
        language_code=language_code,
        channel=channel,
        currency=channel.currency_code,
        billing_address=billing_address,
        shipping_address=shipping_address,
        checkout_token="",
    )
    order.refresh_from_db()
    totals = dict.fromkeys(("subtotal_net", "subtotal_gross", "ship_net", "ship_gross"), Decimal(0))
    for part in parts:
        shipping_gross = Decimal(part.shipping)
        shipping_net = net_of(shipping_gross)
        vendor_order = VendorOrder.objects.create(
            order=order,
            vendor=part.vendor,
            shipping_method_name="" if part.pickup else part.method_name,
            collection_point=part.pickup,
            collection_point_name=part.pickup.name if part.pickup else "",
            currency=order.currency,
            shipping_price_net_amount=shipping_net,
            shipping_price_gross_amount=shipping_gross,
            shipping_tax_rate=VAT if shipping_gross else Decimal(0),
        )
        sub_net = sub_gross = Decimal(0)
        for product, quantity in part.items:
            variant = product.default_variant
            rate = part.tax_rates.get(product.pk, VAT)
            unit_gross = ProductVariantChannelListing.objects.get(variant=variant, channel=channel).price_amount
            unit_net = net_of(unit_gross, rate)
            line = OrderLine.objects.create(
                order=order,
                vendor_order=vendor_order,
                vendor=part.vendor,
                variant=variant,
                product_name=product.name,
                variant_name=variant.name,
                product_sku=variant.sku,
                product_variant_id=str(variant.pk),
                quantity=quantity,
                currency=order.currency,
                unit_price_net_amount=unit_net,
                unit_price_gross_amount=unit_gross,
                total_price_net_amount=unit_net * quantity,
                total_price_gross_amount=unit_gross * quantity,
                tax_rate=rate,
            )
            sub_net += unit_net * quantity
            sub_gross += unit_gross * quantity
            if allocate:
                stock = Stock.objects.filter(product_variant=variant).order_by("pk").first()
                Allocation.objects.create(order_line=line, stock=stock, quantity_allocated=quantity)
                Stock.objects.filter(pk=stock.pk).update(quantity_allocated=F("quantity_allocated") + quantity)
        VendorOrder.objects.filter(pk=vendor_order.pk).update(
            subtotal_net_amount=sub_net,
            subtotal_gross_amount=sub_gross,
            total_net_amount=sub_net + shipping_net,
            total_gross_amount=sub_gross + shipping_gross,
        )
        totals["subtotal_net"] += sub_net
        totals["subtotal_gross"] += sub_gross
        totals["ship_net"] += shipping_net
        totals["ship_gross"] += shipping_gross
    Order.objects.filter(pk=order.pk).update(
        subtotal_net_amount=totals["subtotal_net"],
        subtotal_gross_amount=totals["subtotal_gross"],
        shipping_price_net_amount=totals["ship_net"],
        shipping_price_gross_amount=totals["ship_gross"],
        total_net_amount=totals["subtotal_net"] + totals["ship_net"],
        total_gross_amount=totals["subtotal_gross"] + totals["ship_gross"],
        lines_count=OrderLine.objects.filter(order=order).count(),
    )
    OrderEvent.objects.create(order=order, type=OrderEvents.PLACED, user=user)
    order.refresh_from_db()
    return order


def pay(order: Order) -> None:
    """Charge the whole order with the dummy gateway, as a storefront's payment leaves it."""
    from saleor_ext.payment import services as payment_services

    payment_services.transaction_initialize(
        source=order,
        gateway_id="mirumee.payments.dummy",
        data={"event": {"type": "CHARGE_SUCCESS", "includePspReference": True}},
        amount=order.total_gross_amount,
    )
    order.refresh_from_db()


def line_of(order: Order, product: Product) -> OrderLine:
    return OrderLine.objects.get(order=order, variant=product.default_variant)


def vendor_order_of(order: Order, vendor: Vendor) -> VendorOrder:
    return VendorOrder.objects.get(order=order, vendor=vendor)


def stock_of(product: Product) -> Stock:
    return Stock.objects.get(product_variant=product.default_variant)
