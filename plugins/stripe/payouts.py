"""Shops' shares: a Stripe Connect transfer per handed-over vendor order, reversed on refunds."""

from __future__ import annotations

import logging
from decimal import ROUND_HALF_UP, Decimal

import stripe
from django.db import transaction

from saleor_ext.order.calculations import vendor_order_due
from saleor_ext.order.lock_objects import lock_vendor_order_with_order
from saleor_ext.order.models import OrderEvent, OrderEvents, VendorOrder
from saleor_ext.payment.models import Payout, PayoutStatus, TransactionItem

from . import client as stripe_client
from .client import to_minor_units

logger = logging.getLogger(__name__)
CENT = Decimal("0.01")


def vendor_share(vendor_order: VendorOrder) -> tuple[Decimal, Decimal, Decimal]:
    """(gross kept by the order, commission, amount for the shop) for what was not cancelled."""
    gross = vendor_order_due(vendor_order, vendor_order.lines.all())
    commission = (gross * vendor_order.commission_rate / 100).quantize(CENT, rounding=ROUND_HALF_UP)
    return gross, commission, gross - commission


def _charge_id(order) -> tuple[str | None, str | None]:
    """The Stripe charge that paid the order (``source_transaction`` of the transfers) and its group."""
    item = (
        TransactionItem.objects.filter(order=order, app_identifier="saleor.payments.stripe", charged_value__gt=0)
        .order_by("pk")
        .first()
    )
    if item is None or not item.psp_reference:
        return None, None
    intent = stripe_client.plain(stripe_client.client().v1.payment_intents.retrieve(item.psp_reference))
    return intent.get("latest_charge"), intent.get("transfer_group")


def pay_vendor_order(vendor_order_id) -> Payout:
    with transaction.atomic():
        vendor_order = lock_vendor_order_with_order(vendor_order_id)
        payout, _ = Payout.objects.get_or_create(
            vendor_order=vendor_order,
            defaults={"vendor": vendor_order.vendor, "currency": vendor_order.currency, "gateway": "stripe"},
        )
        if payout.status == PayoutStatus.PAID:
            return payout
        gross, commission, amount = vendor_share(vendor_order)
        payout.gross_amount, payout.commission_amount, payout.amount = gross, commission, amount
        account = vendor_order.vendor.stripe_account_id
        if not account or amount <= 0:
            payout.status = PayoutStatus.FAILED
            payout.error = "The shop has no Stripe account." if not account else "Nothing to pay."
            payout.save()
            return payout
        order = vendor_order.order
        try:
            charge, group = _charge_id(order)
            params = {
                "amount": to_minor_units(amount, payout.currency),
                "currency": payout.currency.lower(),
                "destination": account,
                "transfer_group": group or f"cart-{order.checkout_token}",
                "metadata": {"order": str(order.number), "vendor": vendor_order.vendor.slug},
            }
            if charge:
                params["source_transaction"] = charge
            transfer = stripe_client.client().v1.transfers.create(
                params=params, options={"idempotency_key": f"transfer:{order.pk}:{vendor_order.vendor_id}"}
            )
        except stripe.StripeError as error:
            logger.warning("Payout of vendor order %s failed: %s", vendor_order.pk, error)
            payout.status = PayoutStatus.FAILED
            payout.error = str(error)[:2000]
            payout.save()
            return payout
        payout.status = PayoutStatus.PAID
        payout.psp_reference = transfer["id"]
        payout.transfer_group = params["transfer_group"]
        payout.error = ""
        payout.save()
        OrderEvent.objects.create(
            order=order,
            vendor_order=vendor_order,
            type=OrderEvents.PAYOUT_SENT,
            parameters={"amount": str(amount), "commission": str(commission), "transfer": transfer["id"]},
        )
    return payout


def reverse_for_cancelled_lines(order, lines) -> list[Payout]:
    """Take back from shops already paid the share of lines refunded afterwards."""
    reversed_payouts = []
    by_vendor_order: dict = {}
    for line in lines:
        by_vendor_order.setdefault(line.vendor_order_id, []).append(line)
    for vendor_order_id in by_vendor_order:
        payout = Payout.objects.filter(vendor_order_id=vendor_order_id, status__in=[
            PayoutStatus.PAID, PayoutStatus.PARTIALLY_REVERSED
        ]).select_related("vendor_order").first()
        if payout is None:
            continue
        _gross, _commission, now_due = vendor_share(payout.vendor_order)
        to_reverse = payout.amount - payout.reversed_amount - now_due
        if to_reverse <= 0:
            continue
        try:
            stripe_client.client().v1.transfers.reversals.create(
                payout.psp_reference,
                params={"amount": to_minor_units(to_reverse, payout.currency)},
                options={"idempotency_key": f"reversal:{payout.pk}:{payout.reversed_amount}"},
            )
        except stripe.StripeError as error:
            logger.warning("Reversal for payout %s failed: %s", payout.pk, error)
            continue
        payout.reversed_amount += to_reverse
        fully = payout.reversed_amount >= payout.amount
        payout.status = PayoutStatus.REVERSED if fully else PayoutStatus.PARTIALLY_REVERSED
        payout.save(update_fields=["reversed_amount", "status", "updated_at"])
        OrderEvent.objects.create(
            order=order,
            vendor_order=payout.vendor_order,
            type=OrderEvents.PAYOUT_REVERSED,
            parameters={"amount": str(to_reverse)},
        )
        reversed_payouts.append(payout)
    return reversed_payouts
