"""The payment core: gateways from plugins, transactions and their events, payment statuses.

Amounts of a transaction are always recomputed from its events (sums per type), so events that
arrive twice (same idempotency key: ignored) or out of order (a refund before the charge's
webhook) still leave the right totals. What a checkout or an order asks for, and what must hold
before paying it (a checkout reserves its items, DESIGN.md §5), comes from their apps through
``sources`` (payment sits below both).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q

from saleor_ext.core import sql
from saleor_ext.core.errors import validation_error as error
from saleor_ext.plugins.manager import get_plugins_manager

# The values shared by every payment enum (NOT_FOUND, INVALID) are taken from this one.
from .error_codes import TransactionInitializeErrorCode as Codes
from .interface import PaymentGatewayData, TransactionSession, TransactionSessionResult
from .lock_objects import lock_transaction_item
from .models import ProcessedWebhookEvent, TransactionAction, TransactionEvent, TransactionEventType, TransactionItem
from .sources import source_rules

T = TransactionEventType


# --- gateways --------------------------------------------------------------------------------------


def list_gateways(channel_slug: str, currency: str, checkout=None) -> list[PaymentGatewayData]:
    gateways = get_plugins_manager().run_method(
        "get_payment_gateways", [], currency, checkout, channel_slug=channel_slug
    )
    return [gateway for gateway in gateways if currency in gateway.currencies]


def _gateway_plugin(gateway_id: str, channel_slug: str):
    plugins = get_plugins_manager().get_plugins(channel_slug, plugin_ids=[gateway_id])
    if not plugins:
        raise error("paymentGateway", f"No active payment gateway '{gateway_id}' in this channel.", Codes.NOT_FOUND)
    return plugins[0]


def initialize_gateways(source, channel_slug: str, requests: list[tuple[str, dict | None]], amount: Decimal):
    """Per requested gateway: ``(id, data, errors)`` as paymentGatewayInitialize returns them."""
    results = []
    for gateway_id, data in requests:
        try:
            plugin = _gateway_plugin(gateway_id, channel_slug)
        except ValidationError as failure:
            results.append((gateway_id, None, failure))
            continue
        method = getattr(plugin, "payment_gateway_initialize_session", None)
        answer = method(amount, source, data or {}, previous_value={}) if method else {}
        results.append((gateway_id, answer, None))
    return results


# --- amounts and statuses ---------------------------------------------------------------------------


def recalculate_transaction_amounts(item: TransactionItem) -> None:
    sums: dict[str, Decimal] = {}
    for event_type, amount in item.events.filter(include_in_calculations=True).values_list("type", "amount_value"):
        sums[event_type] = sums.get(event_type, Decimal(0)) + amount

    def total(*types: str) -> Decimal:
        return sum((sums.get(t, Decimal(0)) for t in types), Decimal(0))

    refunded = total(T.REFUND_SUCCESS) - total(T.REFUND_REVERSE)
    charged = total(T.CHARGE_SUCCESS) - total(T.CHARGE_BACK) - refunded
    cancelled = total(T.CANCEL_SUCCESS)
    # Charging an authorized amount (pay at pickup, paid in the shop) uses the authorization up.
    authorized = total(T.AUTHORIZATION_SUCCESS) - cancelled
    if authorized > 0:
        authorized -= total(T.CHARGE_SUCCESS)
    settled_charges = total(T.CHARGE_SUCCESS, T.CHARGE_FAILURE)
    # An "action required" answer is a state of a charge already requested, not a second charge; it
    # counts alone only when a gateway reports it without a request event.
    requested_charges = max(total(T.CHARGE_REQUEST), total(T.CHARGE_ACTION_REQUIRED))
    settled_refunds = total(T.REFUND_SUCCESS, T.REFUND_FAILURE)
    item.charged_value = max(charged, Decimal(0))
    item.refunded_value = max(refunded, Decimal(0))
    item.authorized_value = max(authorized, Decimal(0))
    item.canceled_value = cancelled
    item.charge_pending_value = max(requested_charges - settled_charges, Decimal(0))
    item.refund_pending_value = max(total(T.REFUND_REQUEST) - settled_refunds, Decimal(0))
    item.save(
        update_fields=[
            "charged_value",
            "refunded_value",
            "authorized_value",
            "canceled_value",
            "charge_pending_value",
            "refund_pending_value",
            "modified_at",
        ]
    )


def _status(paid: Decimal, total: Decimal, *, overcharge: bool) -> str:
    if paid <= 0 and total > 0:
        return "none"
    if paid < total:
        return "partial"
    if overcharge and paid > total:
        return "overcharged"
    return "full"


def source_totals(source, total: Decimal | None = None) -> tuple[Decimal, Decimal, Decimal]:
    """(total gross, charged, authorized-or-charged) of a checkout or an order; ``total`` spares
    pricing a checkout again when the caller has just done it."""
    rules = source_rules(source)
    if total is None:
        total = rules.total(source)
    items = TransactionItem.objects.filter(**{rules.field: source})
    charged = sum((i.charged_value for i in items), Decimal(0))
    authorized = sum((i.authorized_value for i in items), Decimal(0))
    return total, charged, charged + authorized


def payment_statuses(total: Decimal, charged: Decimal, covered: Decimal) -> tuple[str, str]:
    """(charge status, authorize status) of a checkout or order to be paid ``total``."""
    return _status(charged, total, overcharge=True), _status(covered, total, overcharge=False)


def checkout_payment_totals(checkout_token) -> tuple[Decimal, Decimal]:
    """(charged, authorized-or-charged) by a checkout's transactions, as ``source_totals`` counts
    them, in one fixed query (checkoutComplete reads them once for the checkout and its order)."""
    [(charged, authorized)] = sql.fetch(
        "SELECT COALESCE(SUM(charged_value), 0), COALESCE(SUM(authorized_value), 0)"
        f" FROM {sql.table(TransactionItem)} WHERE checkout_id = %s",
        [checkout_token],
    )
    return charged, charged + authorized


def update_payment_statuses(source, total: Decimal | None = None) -> None:
    total, charged, covered = source_totals(source, total)
    source.charge_status, source.authorize_status = payment_statuses(total, charged, covered)
    fields = ["charge_status", "authorize_status"]
    if hasattr(source, "total_charged_amount"):
        source.total_charged_amount = charged
        fields.append("total_charged_amount")
    source.save(update_fields=fields)


# --- events ------------------------------------------------------------------------------------------


def record_event(
    item: TransactionItem,
    *,
    type: str,
    amount: Decimal,
    psp_reference: str | None = None,
    message: str = "",
    external_url: str = "",
    idempotency_key: str | None = None,
    user=None,
) -> TransactionEvent | None:
    """Add an event and recompute the transaction; None when the key was already recorded."""
    try:
        with transaction.atomic():
            event = TransactionEvent.objects.create(
                transaction=item,
                type=type,
                amount_value=amount,
                currency=item.currency,
                psp_reference=psp_reference,
                message=message[:512],
                external_url=external_url,
                idempotency_key=idempotency_key,
                user=user,
            )
    except IntegrityError:
        return None
    if psp_reference and not item.psp_reference:
        item.psp_reference = psp_reference
        item.save(update_fields=["psp_reference"])
    recalculate_transaction_amounts(item)
    return event


# Outcomes that happen once per PSP reference: their key is the reference itself, so the same fact
# reported by the API answer and later by a webhook is counted once.
SETTLED = {
    T.CHARGE_SUCCESS,
    T.CHARGE_FAILURE,
    T.REFUND_SUCCESS,
    T.REFUND_FAILURE,
    T.AUTHORIZATION_SUCCESS,
    T.CANCEL_SUCCESS,
    T.CHARGE_BACK,
}


def fact_key(result_type: str, psp_reference: str | None, fallback: str) -> str:
    return f"{result_type}:{psp_reference}" if psp_reference and result_type in SETTLED else fallback


def _apply_result(item: TransactionItem, result: TransactionSessionResult, *, key: str, user=None) -> TransactionEvent:
    if result.actions:
        item.available_actions = [a for a in result.actions if a in dict(TransactionAction.CHOICES)]
    if result.external_url:
        item.external_url = result.external_url
    item.message = result.message[:512]
    item.save(update_fields=["available_actions", "external_url", "message"])
    event = record_event(
        item,
        type=result.result,
        amount=result.amount,
        psp_reference=result.psp_reference,
        message=result.message,
        external_url=result.external_url,
        idempotency_key=fact_key(result.result, result.psp_reference, key),
        user=user,
    )
    return event or item.events.get(idempotency_key=fact_key(result.result, result.psp_reference, key))


# --- flows ----------------------------------------------------------------------------------------------


def transaction_initialize(
    *,
    source,
    gateway_id: str,
    data: dict | None,
    amount: Decimal | None,
    action: str = "charge",
    user=None,
    idempotency_key: str | None = None,
    customer_ip_address: str | None = None,
) -> tuple[TransactionItem, TransactionEvent, dict | None]:
    rules = source_rules(source)
    channel_slug = source.channel.slug
    plugin = _gateway_plugin(gateway_id, channel_slug)
    if idempotency_key:
        existing = TransactionItem.objects.filter(app_identifier=gateway_id, idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing, existing.events.order_by("-pk").first(), None
    total, charged, covered = source_totals(source)
    if amount is None:
        amount = max(total - covered, Decimal(0))
    if amount <= 0:
        raise error("amount", "Nothing is left to pay.", Codes.INVALID)
    if rules.before_payment is not None:
        rules.before_payment(source)
    item = TransactionItem.objects.create(
        name=getattr(plugin, "PLUGIN_NAME", gateway_id),
        currency=source.currency,
        **{rules.field: source},
        user=user,
        app_identifier=gateway_id,
        idempotency_key=idempotency_key,
    )
    request_type = T.CHARGE_REQUEST if action == "charge" else T.AUTHORIZATION_REQUEST
    record_event(item, type=request_type, amount=amount, idempotency_key=f"request:{item.token}", user=user)
    session = TransactionSession(
        transaction=item,
        source=source,
        action=action,
        amount=amount,
        currency=source.currency,
        data=data,
        customer_ip_address=customer_ip_address,
        idempotency_key=f"pi:{item.token}",
    )
    result = plugin.transaction_initialize_session(session, previous_value=None)
    event = _apply_result(item, result, key=f"initialize:{item.token}", user=user)
    update_payment_statuses(source)
    return item, event, result.data


def transaction_process(
    *, item: TransactionItem, data: dict | None, customer_ip_address: str | None = None
) -> tuple[TransactionItem, TransactionEvent, dict | None]:
    source = item.checkout or item.order
    if source is None:
        raise error("id", "The transaction has no checkout or order any more.", Codes.INVALID)
    plugin = _gateway_plugin(item.app_identifier, source.channel.slug)
    session = TransactionSession(
        transaction=item,
        source=source,
        action="charge",
        amount=item.charge_pending_value or item.authorize_pending_value,
        currency=item.currency,
        data=data,
        customer_ip_address=customer_ip_address,
        idempotency_key=f"pi:{item.token}",
    )
    result = plugin.transaction_process_session(session, previous_value=None)
    event = _apply_result(item, result, key=f"process:{item.token}:{item.events.count()}")
    update_payment_statuses(source)
    return item, event, result.data


def handle_gateway_notification(
    *,
    gateway_id: str,
    event_id: str,
    event_type: str,
    psp_reference: str,
    type: str,
    amount: Decimal,
    message: str = "",
    fact_reference: str | None = None,
) -> str:
    """A PSP's webhook about one of our transactions: applied once per ``event_id``, in any order.

    ``psp_reference`` finds the transaction (the payment); ``fact_reference`` names the fact when it
    has its own id (a refund). Returns "processed", "duplicate" (a replay), or "unknown": no
    transaction has that reference yet (its API answer may still be on its way), so nothing is
    kept and the gateway's retry will find it.
    """
    with transaction.atomic():
        try:
            with transaction.atomic():
                ProcessedWebhookEvent.objects.create(gateway=gateway_id, event_id=event_id, type=event_type)
        except IntegrityError:
            return "duplicate"
        matching = TransactionItem.objects.filter(app_identifier=gateway_id).filter(
            Q(psp_reference=psp_reference) | Q(events__psp_reference=psp_reference)
        )
        item = lock_transaction_item(matching)
        if item is None:
            transaction.set_rollback(True)
            return "unknown"
        record_event(
            item,
            type=type,
            amount=amount,
            psp_reference=psp_reference,
            message=message,
            # The same fact (a refund id, a payment's success) counts once however it reached us.
            idempotency_key=fact_key(type, fact_reference or psp_reference, f"webhook:{event_id}"),
        )
        source = item.order or item.checkout
        if source is not None:
            update_payment_statuses(source)
    return "processed"


def refund_order_amount(order, amount: Decimal, *, reason: str = "", user=None) -> list[TransactionEvent]:
    """Refund ``amount`` of an order through the gateways that charged it, newest charge first."""
    remaining = amount
    events = []
    items = list(TransactionItem.objects.filter(order=order, charged_value__gt=0).order_by("-pk"))
    for item in items:
        if remaining <= 0:
            break
        portion = min(remaining, item.charged_value)
        plugin = _gateway_plugin(item.app_identifier, order.channel.slug)
        method = getattr(plugin, "transaction_refund_requested", None)
        if method is None:
            continue
        key = f"refund:{item.token}:{item.events.count()}"
        record_event(item, type=T.REFUND_REQUEST, amount=portion, idempotency_key=f"{key}:request", user=user)
        result = method(item, portion, reason, previous_value=None)
        events.append(_apply_result(item, result, key=key, user=user))
        remaining -= portion
    order.total_refunded_amount = sum(
        (i.refunded_value for i in TransactionItem.objects.filter(order=order)), Decimal(0)
    )
    order.save(update_fields=["total_refunded_amount"])
    return events


def transactions_move(checkout_token, order_id) -> tuple[str, list]:
    """The statement (SQL, params) giving a checkout's transactions to the order made from it."""
    return (
        f"UPDATE {sql.table(TransactionItem)} SET order_id = %s, checkout_id = NULL WHERE checkout_id = %s",
        [order_id, checkout_token],
    )


def checkout_transactions(checkout) -> Iterable[TransactionItem]:
    return TransactionItem.objects.filter(checkout=checkout)
