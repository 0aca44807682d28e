"""checkoutComplete: turn a paid (or payable-at-pickup) cart into one order with a vendor order per shop.

Runs in one transaction, in a fixed number of statements whatever the size of the cart: lock
the checkout (with its channel, addresses and customer), price and check it, lock the stock
rows of its tracked items and read what they can still give (``plan_allocations`` — the loser
of a race for a unique item gets INSUFFICIENT_STOCK and nothing is kept), read what was paid;
then one statement writes the order (it takes the cart's own address rows), its vendor orders,
lines and allocations, the stock counters, the PLACED event, moves the payments to the order and
deletes the cart with everything hanging from it. A second call with the same checkout returns
the order made the first time.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import connection, transaction
from prices import TaxedMoney

from saleor_ext.account.address import copy_address
from saleor_ext.core import sql
from saleor_ext.order.models import Order, OrderEvent, OrderEvents, OrderLine, OrderStatus, VendorOrder
from saleor_ext.order.services import notify_order_placed
from saleor_ext.payment import services as payment_services
from saleor_ext.payment.models import TransactionItem
from saleor_ext.plugins.manager import get_plugins_manager
from saleor_ext.warehouse.management import InsufficientStock, StockDemand, allocation_writes, plan_allocations
from saleor_ext.warehouse.models import Reservation

from .error_codes import CheckoutErrorCode as Codes
from .fetch import CheckoutInfo, fetch_checkout_info
from .lock_objects import lock_checkout_for_completion
from .models import (
    Checkout,
    CheckoutAuthorizeStatus,
    CheckoutChargeStatus,
    CheckoutDelivery,
    CheckoutLine,
    CheckoutVendorDelivery,
)
from .services import error, refresh_deliveries

# Every row that points to a completed checkout, its lines or its offers, and what becomes of
# it: deleted with the checkout by ``_checkout_deletion``, or given to the order
# (``transactions_move``). tests/checkout/test_complete_cost.py compares this with the models,
# so a new relation cannot be forgotten here (the deletion does not go through Django's collector).
HANDLED_RELATIONS = {
    (CheckoutLine, "checkout"): "deleted",
    (CheckoutDelivery, "checkout"): "deleted",
    (CheckoutVendorDelivery, "checkout"): "deleted",
    (CheckoutVendorDelivery, "delivery"): "deleted",
    (Reservation, "checkout_line"): "deleted",
    (TransactionItem, "checkout"): "moved to the order",
}


def validate_for_completion(info: CheckoutInfo) -> None:
    """The checks that need no lock: sale, e-mail, addresses, deliveries. Stock and payment
    are checked by ``complete_checkout`` (the stock under the stock rows' locks)."""
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
            variants=unavailable,
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


def _check_paid(checkout: Checkout) -> None:
    paid = checkout.charge_status in (CheckoutChargeStatus.FULL, CheckoutChargeStatus.OVERCHARGED)
    # A pay-at-pickup promise counts as authorized; it covers the order like a charge.
    covered = paid or checkout.authorize_status == CheckoutAuthorizeStatus.FULL
    if not covered and not checkout.channel.allow_unpaid_orders:
        raise error("id", "The checkout is not fully paid.", Codes.CHECKOUT_NOT_FULLY_PAID)


def _checkout_deletion(token) -> list[tuple[str, list]]:
    """Deleting the checkout with its lines, their reservations, its offers and delivery choices
    (see ``HANDLED_RELATIONS``). Foreign keys are checked at commit (Django makes them
    DEFERRABLE INITIALLY DEFERRED), so these may run in any order within one statement."""
    line = sql.table(CheckoutLine)
    return [
        (
            f"DELETE FROM {sql.table(Reservation)} r USING {line} l"
            " WHERE r.checkout_line_id = l.id AND l.checkout_id = %s",
            [token],
        ),
        (f"DELETE FROM {sql.table(CheckoutVendorDelivery)} WHERE checkout_id = %s", [token]),
        (f"DELETE FROM {sql.table(CheckoutDelivery)} WHERE checkout_id = %s", [token]),
        (f"DELETE FROM {line} WHERE checkout_id = %s", [token]),
        (f"DELETE FROM {sql.table(Checkout)} WHERE token = %s", [token]),
    ]


def _run_as_one(statements: list[tuple[str, list]]) -> tuple:
    """Run data-changing statements as one (each a WITH part, all on the same snapshot, none
    touching a row another one touches): one round trip. Returns the first one's RETURNING row."""
    parts = ", ".join(f"w{number} AS ({text})" for number, (text, _params) in enumerate(statements))
    params = [value for _text, values in statements for value in values]
    return sql.fetch(f"WITH {parts} SELECT * FROM w0", params)[0]


def _amounts(**prices: TaxedMoney) -> dict[str, Decimal]:
    """The ``<name>_net_amount`` and ``<name>_gross_amount`` columns of each taxed price."""
    return {
        f"{name}_{part}_amount": getattr(price, part).amount
        for name, price in prices.items()
        for part in ("net", "gross")
    }


def _new_order(info: CheckoutInfo, user) -> tuple[Order, list[VendorOrder], list[OrderLine], list[StockDemand]]:
    """The order, its vendor orders and lines as unsaved instances (their UUIDs already drawn), and
    what the tracked lines need from the stock."""
    checkout = info.checkout
    currency = info.currency
    order = Order(
        status=OrderStatus.UNFULFILLED,
        user=checkout.user or user,
        user_email=checkout.email or "",
        language_code=checkout.language_code,
        channel=checkout.channel,
        # The cart's addresses are its own private copies (checkout/addresses.py): the order takes them.
        billing_address=checkout.billing_address,
        shipping_address=checkout.shipping_address,
        currency=currency,
        **_amounts(subtotal=info.subtotal, shipping_price=info.shipping_price, total=info.total),
        customer_note=checkout.note,
        checkout_token=str(checkout.pk),
        redirect_url=checkout.redirect_url,
        lines_count=len(info.lines),
    )
    vendor_orders, order_lines, demands = [], [], []
    for group in info.groups:
        vendor_order = VendorOrder(
            order=order,
            vendor=group.vendor,
            shipping_method_id=group.delivery.built_in_shipping_method_id if group.delivery else None,
            shipping_method_name=group.delivery.name if group.delivery else "",
            collection_point=group.collection_point,
            collection_point_name=group.collection_point.name if group.collection_point else "",
            currency=currency,
            **_amounts(subtotal=group.subtotal, shipping_price=group.shipping_price, total=group.total),
            shipping_tax_rate=group.shipping_tax_rate,
            commission_rate=(group.vendor.commission_rate or Decimal(0)),
        )
        vendor_orders.append(vendor_order)
        preferred = group.collection_point.pk if group.collection_point else None
        for line in group.lines:
            order_line = OrderLine(
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
                currency=currency,
                **_amounts(unit_price=line.unit_price, total_price=line.total_price),
                tax_rate=line.tax_rate,
            )
            order_lines.append(order_line)
            if line.variant.track_inventory:
                demands.append(StockDemand(line.variant.pk, order_line.quantity, order_line.pk, preferred))
    return order, vendor_orders, order_lines, demands


def complete_checkout(token, *, user=None) -> Order:
    token = Checkout._meta.pk.to_python(token)
    with transaction.atomic():
        checkout = lock_checkout_for_completion(token)
        if checkout is None:
            existing = Order.objects.filter(checkout_token=str(token)).first()
            if existing is not None:
                return existing
            raise error("id", "Couldn't resolve to a node.", Codes.NOT_FOUND)
        info = fetch_checkout_info(checkout)
        validate_for_completion(info)
        order, vendor_orders, order_lines, demands = _new_order(info, user)
        # An item sold to someone else is reported as sold, not as "not paid": paying cannot fix it.
        try:
            plan = plan_allocations(demands, checkout.channel, checkout_token=checkout.pk) if demands else []
        except InsufficientStock as short:
            sold = {item.variant_id for item in short.items}
            variants = list(dict.fromkeys(line.variant.pk for line in info.lines if line.variant.pk in sold))
            raise error(
                "lines",
                "Some items were just sold: they are no longer in stock.",
                Codes.INSUFFICIENT_STOCK,
                variants=variants,
            ) from None
        # The cart may have changed since it was paid: compare what was paid with today's total.
        # The order gets the same statuses (same total, same transactions); the cart is not
        # updated, it is about to be deleted.
        charged, covered = payment_services.checkout_payment_totals(checkout.pk)
        statuses = payment_services.payment_statuses(info.total.gross.amount, charged, covered)
        checkout.charge_status, checkout.authorize_status = statuses
        _check_paid(checkout)
        order.charge_status, order.authorize_status = statuses
        order.total_charged_amount = charged
        placed = OrderEvent(order=order, type=OrderEvents.PLACED, user=checkout.user or user)
        (order.number,) = _run_as_one(
            [
                sql.insert_statement(Order, [order], returning=True),
                sql.insert_statement(VendorOrder, vendor_orders),
                sql.insert_statement(OrderLine, order_lines),
                *allocation_writes(plan),
                sql.insert_statement(OrderEvent, [placed]),
                payment_services.transactions_move(checkout.pk, order.pk),
                *_checkout_deletion(checkout.pk),
            ]
        )
        order._state.adding, order._state.db = False, connection.alias
        # After commit: the confirmation e-mail, each shop's notice, and the plugins' hook.
        notify_order_placed(order)
        transaction.on_commit(lambda: get_plugins_manager().order_created(order))
        _save_addresses_to_account(checkout)
    return order


def _save_addresses_to_account(checkout: Checkout) -> None:
    """A logged-in shopper's addresses go to their address book (as copies) unless they said not to,
    or the book has them already."""
    user = checkout.user
    if user is None:
        return
    wanted = [
        address
        for kind in ("shipping", "billing")
        if (address := getattr(checkout, f"{kind}_address")) is not None and getattr(checkout, f"save_{kind}_address")
    ]
    if not wanted:
        return

    def key(street: str, postal_code: str, country) -> tuple[str, str, str]:
        return street, postal_code, str(country)

    known = {
        key(*row)
        for row in user.addresses.filter(street_address_1__in=[a.street_address_1 for a in wanted]).values_list(
            "street_address_1", "postal_code", "country"
        )
    }
    for address in wanted:
        found = key(address.street_address_1, address.postal_code, address.country)
        if found not in known:
            user.addresses.add(copy_address(address))
            known.add(found)
