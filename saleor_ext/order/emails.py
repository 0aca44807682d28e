"""E-mails about an order, in the shopper's language (FR, NL or EN, from ``order.language_code``).

Each function renders a subject and a plain-text body from ``order/emails/<language>/``, sends
them with Django's mail backend and records an ``EMAIL_SENT`` event. The order confirmation and
the shop's new-order notice are sent once per order (a retried task does not send them twice).
Amounts are formatted here (Belgian conventions for FR and NL), so templates only place them.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from decimal import Decimal

from babel import Locale
from babel.dates import get_day_names
from babel.numbers import format_currency, format_decimal
from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation

from .models import Fulfillment, Order, OrderEvent, OrderEvents, OrderLine, VendorOrder
from .selectors import vat_totals

logger = logging.getLogger(__name__)

LANGUAGES = ("fr", "nl", "en")
BABEL_LOCALES = {"fr": "fr_BE", "nl": "nl_BE", "en": "en_IE"}
WEEK = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class EmailType:
    """``emailType`` of the EMAIL_SENT event (Saleor's OrderEventsEmailsEnum values, plus the shops' own)."""

    ORDER_CONFIRMATION = "order_confirmation"
    SHIPPING_CONFIRMATION = "shipping_confirmation"
    TRACKING_UPDATED = "tracking_updated"
    ORDER_REFUND = "order_refund"
    VENDOR_NEW_ORDER = "vendor_new_order"
    READY_FOR_PICKUP = "ready_for_pickup"


def email_language(code: str | None) -> str:
    language = (code or "")[:2].lower()
    return language if language in LANGUAGES else settings.LANGUAGE_CODE[:2]


def money(amount: Decimal, currency: str, language: str) -> str:
    return format_currency(amount, currency, locale=BABEL_LOCALES[language])


def percent(rate: Decimal, language: str) -> str:
    return f"{format_decimal(Decimal(rate) * 100, format='#,##0.##', locale=BABEL_LOCALES[language])} %"


# --- what the templates receive --------------------------------------------------------------------


@dataclass
class LineRow:
    name: str
    quantity: int
    unit_price: str
    total: str


@dataclass
class VatRow:
    rate: str
    net: str
    tax: str
    gross: str


@dataclass
class Part:
    """One shop's part of the order as the shopper reads it."""

    vendor: str
    delivery: str
    is_pickup: bool
    lines: list[LineRow]
    subtotal: str
    shipping: str
    total: str


def _line_name(line: OrderLine) -> str:
    if line.variant_name and line.variant_name != line.product_name:
        return f"{line.product_name} ({line.variant_name})"
    return line.product_name


def _line_rows(lines, language: str, quantities: dict | None = None) -> list[LineRow]:
    rows = []
    for line in lines:
        quantity = line.quantity if quantities is None else quantities.get(str(line.pk), 0)
        if not quantity:
            continue
        rows.append(
            LineRow(
                name=_line_name(line),
                quantity=quantity,
                unit_price=money(line.unit_price_gross_amount, line.currency, language),
                total=money(line.unit_price_gross_amount * quantity, line.currency, language),
            )
        )
    return rows


def _delivery(vendor_order: VendorOrder) -> str:
    return vendor_order.collection_point_name or vendor_order.shipping_method_name


def _part(vendor_order: VendorOrder, lines, language: str) -> Part:
    currency = vendor_order.currency
    return Part(
        vendor=vendor_order.vendor.name,
        delivery=_delivery(vendor_order),
        is_pickup=bool(vendor_order.collection_point_id or vendor_order.collection_point_name),
        lines=_line_rows(lines, language),
        subtotal=money(vendor_order.subtotal_gross_amount, currency, language),
        shipping=money(vendor_order.shipping_price_gross_amount, currency, language),
        total=money(vendor_order.total_gross_amount, currency, language),
    )


def vat_breakdown(vendor_orders, lines, language: str) -> list[VatRow]:
    """Net, VAT and gross per rate, formatted for the e-mail (see ``selectors.vat_totals``)."""
    currency = next((vo.currency for vo in vendor_orders), settings.DEFAULT_CURRENCY)
    return [
        VatRow(
            rate=percent(row.rate, language),
            net=money(row.net, currency, language),
            tax=money(row.tax, currency, language),
            gross=money(row.gross, currency, language),
        )
        for row in vat_totals(vendor_orders, lines)
    ]


def address_lines(address, language: str) -> list[str]:
    if address is None:
        return []
    name = " ".join(part for part in (address.first_name, address.last_name) if part)
    country = Locale.parse(BABEL_LOCALES[language]).territories.get(address.country, address.country)
    rows = [
        name,
        address.company_name,
        address.street_address_1,
        address.street_address_2,
        " ".join(part for part in (address.postal_code, address.city) if part),
        country,
    ]
    return [row for row in rows if row]


def opening_hours(hours: dict | None, language: str) -> list[tuple[str, str]]:
    """(day name, hours) Monday first; an empty value means closed that day (``""`` for the template)."""
    if not hours:
        return []
    names = get_day_names("wide", locale=BABEL_LOCALES[language])
    return [(names[index].capitalize(), str(hours.get(day) or "")) for index, day in enumerate(WEEK)]


def _customer_name(order: Order) -> str:
    address = order.billing_address or order.shipping_address
    if address is not None and (address.first_name or address.last_name):
        return " ".join(part for part in (address.first_name, address.last_name) if part)
    if order.user is not None and (order.user.first_name or order.user.last_name):
        return f"{order.user.first_name} {order.user.last_name}".strip()
    return ""


def _recipient(order: Order) -> str:
    return order.user_email or (order.user.email if order.user is not None else "")


# --- sending ---------------------------------------------------------------------------------------


def render(template: str, language: str, context: dict) -> tuple[str, str]:
    with translation.override(language):
        subject = render_to_string(f"order/emails/{language}/{template}_subject.txt", context)
        body = render_to_string(f"order/emails/{language}/{template}.txt", context)
    return " ".join(subject.split()), body


def _already_sent(order: Order, email_type: str, vendor_order: VendorOrder | None = None) -> bool:
    return OrderEvent.objects.filter(
        order=order, vendor_order=vendor_order, type=OrderEvents.EMAIL_SENT, parameters__email_type=email_type
    ).exists()


def _send(
    order: Order,
    *,
    to: str,
    email_type: str,
    template: str,
    context: dict,
    vendor_order: VendorOrder | None = None,
) -> bool:
    if not to:
        logger.warning("No address to send the %s e-mail of order %s to", email_type, order.number)
        return False
    language = email_language(order.language_code)
    subject, body = render(template, language, {"order": order, "language": language, **context})
    EmailMessage(subject, body, from_email=settings.DEFAULT_FROM_EMAIL, to=[to]).send()
    OrderEvent.objects.create(
        order=order,
        vendor_order=vendor_order,
        type=OrderEvents.EMAIL_SENT,
        parameters={"email": to, "email_type": email_type},
    )
    return True


def _order(order_id) -> Order:
    return Order.objects.select_related("user", "billing_address", "shipping_address", "channel").get(pk=order_id)


def _vendor_order(vendor_order_id) -> VendorOrder:
    vendor_order = VendorOrder.objects.select_related(
        "vendor", "collection_point__address", "order__user", "order__shipping_address", "order__billing_address"
    ).get(pk=vendor_order_id)
    return vendor_order


def send_order_confirmation(order_id) -> bool:
    """The shopper's confirmation: every shop's part, the totals and the VAT per rate."""
    order = _order(order_id)
    if _already_sent(order, EmailType.ORDER_CONFIRMATION):
        return False
    language = email_language(order.language_code)
    vendor_orders = list(order.vendor_orders.select_related("vendor").order_by("vendor__name", "pk"))
    lines = list(order.lines.all())
    parts = [_part(vo, [line for line in lines if line.vendor_order_id == vo.pk], language) for vo in vendor_orders]
    context = {
        "customer_name": _customer_name(order),
        "parts": parts,
        "subtotal": money(order.subtotal_gross_amount, order.currency, language),
        "shipping": money(order.shipping_price_gross_amount, order.currency, language),
        "total": money(order.total_gross_amount, order.currency, language),
        "vat": vat_breakdown(vendor_orders, lines, language),
        "shipping_address": address_lines(order.shipping_address, language),
    }
    return _send(
        order,
        to=_recipient(order),
        email_type=EmailType.ORDER_CONFIRMATION,
        template="order_confirmation",
        context=context,
    )


def send_vendor_new_order(vendor_order_id) -> bool:
    """The shop's notice of a new order: its own lines only, who bought and how they get them."""
    vendor_order = _vendor_order(vendor_order_id)
    order = vendor_order.order
    if _already_sent(order, EmailType.VENDOR_NEW_ORDER, vendor_order):
        return False
    language = email_language(order.language_code)
    part = _part(vendor_order, list(vendor_order.lines.all()), language)
    context = {
        "vendor_order": vendor_order,
        "part": part,
        "customer_name": _customer_name(order),
        "customer_email": _recipient(order),
        "shipping_address": [] if part.is_pickup else address_lines(order.shipping_address, language),
    }
    return _send(
        order,
        to=vendor_order.vendor.email,
        email_type=EmailType.VENDOR_NEW_ORDER,
        template="vendor_new_order",
        context=context,
        vendor_order=vendor_order,
    )


def send_ready_for_pickup(vendor_order_id) -> bool:
    """Where and when the shopper can collect a shop's part."""
    vendor_order = _vendor_order(vendor_order_id)
    order = vendor_order.order
    language = email_language(order.language_code)
    warehouse = vendor_order.collection_point
    lines = [line for line in vendor_order.lines.all() if line.quantity_unfulfilled > 0]
    context = {
        "vendor_order": vendor_order,
        "vendor": vendor_order.vendor.name,
        "customer_name": _customer_name(order),
        "pickup_point": vendor_order.collection_point_name or (warehouse.name if warehouse else ""),
        "pickup_address": address_lines(warehouse.address if warehouse else None, language),
        "opening_hours": opening_hours(vendor_order.vendor.opening_hours, language),
        "lines": _line_rows(lines, language, {str(line.pk): line.quantity_unfulfilled for line in lines}),
    }
    return _send(
        order,
        to=_recipient(order),
        email_type=EmailType.READY_FOR_PICKUP,
        template="ready_for_pickup",
        context=context,
        vendor_order=vendor_order,
    )


def _send_fulfillment(fulfillment_id, email_type: str) -> bool:
    fulfillment = Fulfillment.objects.select_related("vendor_order__vendor").get(pk=fulfillment_id)
    order = _order(fulfillment.order_id)
    language = email_language(order.language_code)
    quantities = {str(row.order_line_id): row.quantity for row in fulfillment.lines.all()}
    lines = OrderLine.objects.filter(pk__in=list(quantities)).order_by("created_at", "pk")
    context = {
        "fulfillment": fulfillment,
        "vendor": fulfillment.vendor_order.vendor.name,
        "customer_name": _customer_name(order),
        "tracking_number": fulfillment.tracking_number,
        "updated": email_type == EmailType.TRACKING_UPDATED,
        "lines": _line_rows(lines, language, quantities),
        "shipping_address": address_lines(order.shipping_address, language),
    }
    return _send(
        order,
        to=_recipient(order),
        email_type=email_type,
        template="shipped",
        context=context,
        vendor_order=fulfillment.vendor_order,
    )


def send_fulfillment_shipped(fulfillment_id) -> bool:
    """The items of one fulfilment are on their way, with the parcel's tracking number."""
    return _send_fulfillment(fulfillment_id, EmailType.SHIPPING_CONFIRMATION)


def send_tracking_updated(fulfillment_id) -> bool:
    return _send_fulfillment(fulfillment_id, EmailType.TRACKING_UPDATED)


def send_refund_notice(order_id, quantities: dict[str, int], amount) -> bool:
    """Which items a shop cancelled and how much the shopper gets back."""
    order = _order(order_id)
    language = email_language(order.language_code)
    lines = list(order.lines.select_related("vendor").filter(pk__in=list(quantities)).order_by("created_at", "pk"))
    vendors = sorted({line.vendor.name for line in lines})
    context = {
        "customer_name": _customer_name(order),
        "vendors": ", ".join(vendors),
        "lines": _line_rows(lines, language, quantities),
        "amount": money(Decimal(amount), order.currency, language),
        "refunded": Decimal(amount) > 0 and order.total_charged_amount + order.total_refunded_amount > 0,
    }
    return _send(
        order, to=_recipient(order), email_type=EmailType.ORDER_REFUND, template="refund", context=context
    )
