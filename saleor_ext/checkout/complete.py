"""checkoutComplete: turn a paid (or payable-at-pickup) cart into one order with a vendor order per shop.

Runs in one transaction: lock the checkout, check it, create the order and its lines, allocate
the stock under row locks (``allocate_stocks`` — the loser of a race for a unique item gets
INSUFFICIENT_STOCK and nothing is kept), copy the addresses, and delete the checkout. A second
call with the same checkout returns the order made the first time.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from saleor_ext.account.models import Address
from saleor_ext.order.models import Order, OrderEvent, OrderEvents, OrderLine, OrderStatus, VendorOrder
from saleor_ext.order.services import notify_order_placed
from saleor_ext.payment import services as payment_services
from saleor_ext.plugins.manager import get_plugins_manager
from saleor_ext.warehouse.management import InsufficientStock, StockDemand, allocate_stocks, available_quantities

from .error_codes import CheckoutErrorCode as Codes
from .fetch import CheckoutInfo, fetch_checkout_info
from .models import Checkout, CheckoutAuthorizeStatus, CheckoutChargeStatus
from .services import _variant_global_id, error, refresh_deliveries


def _copy(address: Address | None) -> Address | None:
    if address is None:
        return None
    fields = {f.name: getattr(address, f.name) for f in Address._meta.concrete_fields if not f.primary_key}
    return Address.objects.create(**fields)


def validate_for_completion(info: CheckoutInfo) -> None:
    checkout = info.checkout
    if not checkout.channel.is_active:
        raise error("channel", "Channel is inactive.", Codes.CHANNEL_INACTIVE)
    if not checkout.email:
        raise error("email", "Give an e-mail address.", Codes.EMAIL_NOT_SET)
    if not info.lines:
        raise error("lines", "The cart is empty.", Codes.NO_LINES)
    unavailable = [
        line.variant.pk
        for line in info.lines
        if not line.is_priced or line.product_listing is None or not line.product_listing.is_available_for_purchase()
    ]
    if unavailable:
        raise error(
            "lines",
            "Some items are no longer for sale in this channel.",
            Codes.UNAVAILABLE_VARIANT_IN_CHANNEL,
            variants=[_variant_global_id(pk) for pk in unavailable],
        )
    if checkout.billing_address_id is None:
        raise error("billingAddress", "Give a billing address.", Codes.BILLING_ADDRESS_NOT_SET)
    shipped = [group for group in info.groups if group.is_shipping_required]
    if any(group.delivery is not None for group in shipped) and checkout.shipping_address_id is None:
        raise error("shippingAddress", "Give a shipping address.", Codes.SHIPPING_ADDRESS_NOT_SET)
    missing = [group.vendor.name for group in shipped if not group.has_delivery]
    if missing:
        raise error(
            "shippingMethod",
            f"Choose how to receive the items of: {', '.join(missing)}.",
            Codes.SHIPPING_METHOD_NOT_SET,
        )
    if any(group.delivery is not None for group in shipped):
        refresh_deliveries(info)
        valid = {offer.pk for group in info.groups for offer in group.offers}
        stale = [g.vendor.name for g in shipped if g.delivery is not None and g.delivery.pk not in valid]
        if stale:
            raise error(
                "shippingMethod",
                f"The delivery chosen for {', '.join(stale)} no longer applies to the cart.",
                Codes.INVALID_SHIPPING_METHOD,
            )
    # An item sold to someone else is reported as sold, not as "not paid": paying cannot fix it.
    tracked = [line for line in info.lines if line.variant.track_inventory]
    available = available_quantities(
        [line.variant.pk for line in tracked], checkout.channel, exclude_checkout=checkout.pk
    )
    sold = [line.variant.pk for line in tracked if available.get(line.variant.pk, 0) < line.line.quantity]
    if sold:
        raise error(
            "lines",
            "Some items were just sold: they are no longer in stock.",
            Codes.INSUFFICIENT_STOCK,
            variants=[_variant_global_id(pk) for pk in sold],
        )
    paid = checkout.charge_status in (CheckoutChargeStatus.FULL, CheckoutChargeStatus.OVERCHARGED)
    # A pay-at-pickup promise counts as authorized; it covers the order like a charge.
    covered = paid or checkout.authorize_status == CheckoutAuthorizeStatus.FULL
    if not covered and not checkout.channel.allow_unpaid_orders:
        raise error("id", "The checkout is not fully paid.", Codes.CHECKOUT_NOT_FULLY_PAID)


def _order_from(info: CheckoutInfo, user) -> Order:
    checkout = info.checkout
    currency = info.currency
    order = Order.objects.create(
        status=OrderStatus.UNFULFILLED,
        user=checkout.user or user,
        user_email=checkout.email or "",
        language_code=checkout.language_code,
        channel=checkout.channel,
        billing_address=_copy(checkout.billing_address),
        shipping_address=_copy(checkout.shipping_address),
        currency=currency,
        subtotal_net_amount=info.subtotal.net.amount,
        subtotal_gross_amount=info.subtotal.gross.amount,
        shipping_price_net_amount=info.shipping_price.net.amount,
        shipping_price_gross_amount=info.shipping_price.gross.amount,
        total_net_amount=info.total.net.amount,
        total_gross_amount=info.total.gross.amount,
        customer_note=checkout.note,
        checkout_token=str(checkout.pk),
        redirect_url=checkout.redirect_url,
        lines_count=len(info.lines),
    )
    return order


def complete_checkout(token, *, user=None) -> Order:
    with transaction.atomic():
        checkout = (
            Checkout.objects.select_for_update(of=("self",))
            .select_related("channel", "shipping_address", "billing_address", "user")
            .filter(pk=token)
            .first()
        )
        if checkout is None:
            existing = Order.objects.filter(checkout_token=str(token)).first()
            if existing is not None:
                return existing
            raise error("id", "Couldn't resolve to a node.", Codes.NOT_FOUND)
        info = fetch_checkout_info(checkout)
        # The cart may have changed since it was paid: compare what was paid with today's total.
        payment_services.update_payment_statuses(checkout, info.total.gross.amount)
        validate_for_completion(info)
        order = _order_from(info, user)
        demands = []
        for group in info.groups:
            vendor_order = VendorOrder.objects.create(
                order=order,
                vendor=group.vendor,
                shipping_method_id=group.delivery.built_in_shipping_method_id if group.delivery else None,
                shipping_method_name=group.delivery.name if group.delivery else "",
                collection_point=group.collection_point,
                collection_point_name=group.collection_point.name if group.collection_point else "",
                currency=info.currency,
                subtotal_net_amount=group.subtotal.net.amount,
                subtotal_gross_amount=group.subtotal.gross.amount,
                shipping_price_net_amount=group.shipping_price.net.amount,
                shipping_price_gross_amount=group.shipping_price.gross.amount,
                shipping_tax_rate=group.shipping_tax_rate,
                total_net_amount=group.total.net.amount,
                total_gross_amount=group.total.gross.amount,
                commission_rate=(group.vendor.commission_rate or Decimal(0)),
            )
            lines = OrderLine.objects.bulk_create(
                OrderLine(
                    order=order,
                    vendor_order=vendor_order,
                    vendor_id=group.vendor.pk,
                    variant=line.variant,
                    product_name=line.product.name,
                    variant_name=line.variant.name,
                    product_sku=line.variant.sku,
                    product_variant_id=str(line.variant.pk),
                    is_shipping_required=line.product.product_type.is_shipping_required,
                    quantity=line.line.quantity,
                    currency=info.currency,
                    unit_price_net_amount=line.unit_price.net.amount,
                    unit_price_gross_amount=line.unit_price.gross.amount,
                    total_price_net_amount=line.total_price.net.amount,
                    total_price_gross_amount=line.total_price.gross.amount,
                    tax_rate=line.tax_rate,
                )
                for line in group.lines
            )
            preferred = group.collection_point.pk if group.collection_point else None
            demands += [
                StockDemand(order_line.variant_id, order_line.quantity, order_line.pk, preferred)
                for order_line in lines
                if order_line.variant.track_inventory
            ]
        try:
            allocate_stocks(demands, checkout.channel, checkout_token=checkout.pk)
        except InsufficientStock as short:
            raise ValidationError(
                {
                    "lines": [
                        ValidationError(
                            "Some items were just sold: they are no longer in stock.",
                            code=Codes.INSUFFICIENT_STOCK.value,
                            params={"variants": [_variant_global_id(item.variant_id) for item in short.items]},
                        )
                    ]
                }
            ) from None
        OrderEvent.objects.create(order=order, type=OrderEvents.PLACED, user=checkout.user or user)
        payment_services.move_transactions_to_order(checkout, order)
        payment_services.update_payment_statuses(order)
        # After commit: the confirmation e-mail, each shop's notice, and the plugins' hook.
        notify_order_placed(order)
        transaction.on_commit(lambda: get_plugins_manager().order_created(order))
        _save_addresses_to_account(checkout)
        private = [pk for pk in (checkout.billing_address_id, checkout.shipping_address_id) if pk]
        checkout.delete()
        Address.objects.filter(pk__in=private).delete()
    return order


def _save_addresses_to_account(checkout: Checkout) -> None:
    user = checkout.user
    if user is None:
        return
    for kind in ("shipping", "billing"):
        address = getattr(checkout, f"{kind}_address")
        if address is None or not getattr(checkout, f"save_{kind}_address"):
            continue
        known = user.addresses.filter(
            street_address_1=address.street_address_1, postal_code=address.postal_code, country=address.country
        ).exists()
        if not known:
            user.addresses.add(_copy(address))
