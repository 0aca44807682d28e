"""What a member shop (or the federation) does with an order after checkout.

Every change runs in one transaction that first locks the order row, then the vendor orders and
their lines (``lock_objects``: always in that order and by primary key, so two shops working on
one order wait for each other instead of deadlocking, and the order's status is computed from
committed lines), then the stock rows (the project's lock order: ``saleor_ext.core.locks``).
Stock moves through ``saleor_ext.warehouse.management``. Each change writes an ``OrderEvent``
naming who acted; plugin hooks, refunds and e-mails run once the transaction has committed.
Invalid requests raise ``ValidationError`` with ``OrderErrorCode`` values.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterable
from decimal import Decimal

from babel.numbers import get_currency_precision
from django.db import transaction
from django.db.models import Max, Sum
from prices import Money

from saleor_ext.core.errors import validation_error as error
from saleor_ext.payment import services as payment_services
from saleor_ext.plugins.manager import PluginsManager, get_plugins_manager
from saleor_ext.warehouse.lock_objects import lock_allocations
from saleor_ext.warehouse.management import deallocate_order_lines, decrease_stock_for_fulfilment
from saleor_ext.warehouse.models import Allocation, Stock

from . import tasks
from .error_codes import OrderErrorCode as Codes
from .lock_objects import lock_fulfillment, lock_order, lock_order_lines, lock_vendor_orders
from .models import (
    Fulfillment,
    FulfillmentLine,
    Order,
    OrderEvent,
    OrderEvents,
    OrderLine,
    OrderStatus,
    VendorOrder,
    VendorOrderStatus,
)

logger = logging.getLogger(__name__)
S = VendorOrderStatus

# Orders whose lines a shop may still hand over or cancel.
OPEN_ORDER_STATUSES = {OrderStatus.UNCONFIRMED, OrderStatus.UNFULFILLED, OrderStatus.PARTIALLY_FULFILLED}


def _line_pks(lines: Iterable) -> list:
    """The pks of lines (or line ids) for an error's ``order_lines``: the API shows them as global IDs."""
    return [getattr(line, "pk", line) for line in lines]


def _rounded(amount: Decimal, currency: str) -> Decimal:
    """An amount to the currency's smallest unit (the columns keep three decimals)."""
    return Decimal(amount).quantize(Decimal(1).scaleb(-get_currency_precision(currency)))


def _status_label(status: str) -> str:
    return dict(S.CHOICES).get(status, status).lower()


# --- locks ----------------------------------------------------------------------------------------


def _lock_order(order_id) -> Order:
    order = lock_order(order_id)
    if order is None:
        raise error("id", "Couldn't resolve to an order.", Codes.NOT_FOUND)
    return order


# --- shared steps ---------------------------------------------------------------------------------


def _event(order: Order, type: str, user, vendor_order: VendorOrder | None = None, **parameters) -> OrderEvent:
    return OrderEvent.objects.create(
        order=order,
        vendor_order=vendor_order,
        type=type,
        user=user if user is not None and user.is_authenticated else None,
        parameters=parameters,
    )


def _move(vendor_order: VendorOrder, target: str, *, code: Codes = Codes.INVALID) -> None:
    """Change a vendor order's status along ``VendorOrderStatus.TRANSITIONS`` only."""
    if target not in S.TRANSITIONS[vendor_order.status]:
        raise error(
            "id",
            f"The vendor order is {_status_label(vendor_order.status)}: it cannot become {_status_label(target)}.",
            code,
        )
    vendor_order.status = target
    vendor_order.save(update_fields=["status", "updated_at"])


def _accept_if_new(vendor_order: VendorOrder, user) -> None:
    # Handing items over implies the shop accepted the order; the history says so.
    if vendor_order.status == S.NEW:
        _move(vendor_order, S.ACCEPTED)
        _event(vendor_order.order, OrderEvents.VENDOR_ORDER_ACCEPTED, user, vendor_order, implicit=True)


def is_click_and_collect(vendor_order: VendorOrder) -> bool:
    return bool(vendor_order.collection_point_id or vendor_order.collection_point_name)


def refresh_order_status(order: Order) -> str:
    """Saleor's order status from the lines' quantities: fulfilled, partly, none, or all cancelled."""
    if order.status not in OPEN_ORDER_STATUSES | {OrderStatus.FULFILLED, OrderStatus.CANCELED}:
        return order.status
    totals = OrderLine.objects.filter(order_id=order.pk).aggregate(
        quantity=Sum("quantity"), fulfilled=Sum("quantity_fulfilled"), cancelled=Sum("quantity_cancelled")
    )
    if totals["quantity"] is None:
        return order.status
    kept = totals["quantity"] - totals["cancelled"]
    if kept <= 0:
        status = OrderStatus.CANCELED
    elif totals["fulfilled"] >= kept:
        status = OrderStatus.FULFILLED
    elif totals["fulfilled"] > 0:
        status = OrderStatus.PARTIALLY_FULFILLED
    else:
        status = OrderStatus.UNCONFIRMED if order.status == OrderStatus.UNCONFIRMED else OrderStatus.UNFULFILLED
    if status != order.status:
        order.status = status
        order.save(update_fields=["status", "updated_at"])
    return status


def _check_order_open(order: Order, code: Codes = Codes.INVALID) -> None:
    if order.status not in OPEN_ORDER_STATUSES:
        raise error("id", f"The order is {order.get_status_display().lower()}: it can no longer change.", code)


def _next_fulfillment_number(order: Order) -> int:
    # Safe without a sequence: the order row is locked by the caller.
    last = Fulfillment.objects.filter(order_id=order.pk).aggregate(last=Max("fulfillment_order"))["last"]
    return (last or 0) + 1


def _fulfil(
    order: Order,
    vendor_order: VendorOrder,
    quantities: dict[OrderLine, int],
    user,
    *,
    tracking_number: str = "",
    warehouse_ids: dict | None = None,
) -> Fulfillment:
    """Hand ``quantities`` over in one fulfilment: stock and allocations go down, lines count them."""
    fulfillment = Fulfillment.objects.create(
        order=order,
        vendor_order=vendor_order,
        fulfillment_order=_next_fulfillment_number(order),
        tracking_number=tracking_number or "",
    )
    fulfillment.order = order
    # Every line's allocations and stock rows at once, in stock id order (the lock order), before
    # ``decrease_stock_for_fulfilment`` goes through them line by line.
    lock_allocations([line.pk for line in quantities])
    rows = []
    for line, quantity in quantities.items():
        stock = decrease_stock_for_fulfilment(line.pk, quantity)
        warehouse_id = (warehouse_ids or {}).get(str(line.pk))
        if stock is None and warehouse_id and line.variant_id:
            # Untracked items keep no allocation; the line still names where it left from.
            stock = Stock.objects.filter(warehouse_id=warehouse_id, product_variant_id=line.variant_id).first()
        rows.append(FulfillmentLine(fulfillment=fulfillment, order_line=line, quantity=quantity, stock=stock))
        line.quantity_fulfilled += quantity
    FulfillmentLine.objects.bulk_create(rows)
    OrderLine.objects.bulk_update(list(quantities), ["quantity_fulfilled"])
    _event(
        order,
        OrderEvents.FULFILLMENT_FULFILLED_ITEMS,
        user,
        vendor_order,
        fulfilled_items=[row.pk for row in rows],
        composed_id=fulfillment.composed_id(),
        quantity=sum(quantities.values()),
        tracking_number=fulfillment.tracking_number,
    )
    return fulfillment


def _manager(manager: PluginsManager | None) -> PluginsManager:
    return manager or get_plugins_manager()


def _after_commit(fn) -> None:
    """Run ``fn`` once the transaction commits; a failing follow-up is logged, the change stays."""

    def run():
        try:
            fn()
        except Exception:
            logger.exception("Order follow-up %s failed", getattr(fn, "__name__", fn))

    transaction.on_commit(run)


def _announce(
    order: Order, vendor_orders: Iterable[VendorOrder], manager: PluginsManager | None, *, fulfilled=()
) -> None:
    vendor_orders, fulfilled = list(vendor_orders), list(fulfilled)

    def plugin_hooks():
        plugins = _manager(manager)
        for vendor_order in vendor_orders:
            plugins.vendor_order_updated(vendor_order)
        for vendor_order in fulfilled:
            plugins.vendor_order_fulfilled(vendor_order)
        plugins.order_updated(order)

    _after_commit(plugin_hooks)


def _queue(task_name: str, *args) -> None:
    """Send an e-mail task after commit (in-process when no Celery broker is configured)."""
    task = getattr(tasks, task_name)
    _after_commit(lambda: task.delay(*args))


# --- vendor order steps ---------------------------------------------------------------------------


def _locked_vendor_order(vendor_order: VendorOrder) -> tuple[Order, VendorOrder]:
    order = _lock_order(vendor_order.order_id)
    found = lock_vendor_orders(order, [vendor_order.pk])
    if vendor_order.pk not in found:
        raise error("id", "Couldn't resolve to a vendor order.", Codes.NOT_FOUND)
    return order, found[vendor_order.pk]


def accept_vendor_order(vendor_order: VendorOrder, user, *, manager: PluginsManager | None = None) -> VendorOrder:
    """The shop confirms it will prepare its part (new → accepted)."""
    with transaction.atomic():
        order, vendor_order = _locked_vendor_order(vendor_order)
        _check_order_open(order)
        _move(vendor_order, S.ACCEPTED)
        _event(order, OrderEvents.VENDOR_ORDER_ACCEPTED, user, vendor_order)
        _announce(order, [vendor_order], manager)
    return vendor_order


def mark_ready_for_pickup(vendor_order: VendorOrder, user, *, manager: PluginsManager | None = None) -> VendorOrder:
    """A click & collect part is packed and waits in the shop; the shopper is told where and when."""
    with transaction.atomic():
        order, vendor_order = _locked_vendor_order(vendor_order)
        _check_order_open(order)
        if not is_click_and_collect(vendor_order):
            raise error("id", "Only click & collect vendor orders wait for pickup; ship this one.", Codes.INVALID)
        _move(vendor_order, S.READY_FOR_PICKUP)
        _event(
            order,
            OrderEvents.VENDOR_ORDER_READY_FOR_PICKUP,
            user,
            vendor_order,
            warehouse=vendor_order.collection_point_name,
        )
        _announce(order, [vendor_order], manager)
        _queue("send_ready_for_pickup_task", str(vendor_order.pk))
    return vendor_order


def mark_collected(vendor_order: VendorOrder, user, *, manager: PluginsManager | None = None) -> Fulfillment:
    """The shopper took the items: every remaining unit is fulfilled and leaves the shop's stock."""
    with transaction.atomic():
        order, vendor_order = _locked_vendor_order(vendor_order)
        _check_order_open(order)
        if vendor_order.status != S.READY_FOR_PICKUP:
            raise error(
                "id",
                f"The vendor order is {_status_label(vendor_order.status)}: mark it ready for pickup first.",
                Codes.INVALID,
            )
        lines = lock_order_lines([vendor_order.pk])
        remaining = {line: line.quantity_unfulfilled for line in lines if line.quantity_unfulfilled > 0}
        if not remaining:
            raise error("id", "Nothing is left to hand over in this vendor order.", Codes.INVALID)
        fulfillment = _fulfil(order, vendor_order, remaining, user)
        _move(vendor_order, S.COLLECTED)
        _event(order, OrderEvents.VENDOR_ORDER_COLLECTED, user, vendor_order, composed_id=fulfillment.composed_id())
        refresh_order_status(order)
        _announce(order, [vendor_order], manager, fulfilled=[vendor_order])
    return fulfillment


def _wanted(lines: dict) -> dict[str, int]:
    """{order line id as text: quantity} from what the caller passed."""
    return {str(line_id): int(quantity) for line_id, quantity in lines.items()}


def _check_lines_exist(order: Order, wanted: dict[str, int]) -> dict:
    """{line id: vendor order id} of the order's lines named in ``wanted``; unknown ids raise NOT_FOUND."""
    found = {
        str(pk): vendor_order_id
        for pk, vendor_order_id in OrderLine.objects.filter(order_id=order.pk, pk__in=list(wanted)).values_list(
            "pk", "vendor_order_id"
        )
    }
    missing = sorted(set(wanted) - set(found))
    if missing:
        raise error(
            "orderLineId",
            "Couldn't resolve some lines of this order.",
            Codes.NOT_FOUND,
            order_lines=_line_pks(missing),
        )
    return found


def fulfil_lines(
    order: Order,
    lines: dict,
    user,
    tracking_number: str = "",
    *,
    warehouse_ids: dict | None = None,
    allow_stock_to_be_exceeded: bool = False,
    notify_customer: bool = True,
    manager: PluginsManager | None = None,
) -> Fulfillment:
    """Ship ``lines`` ({order line id: quantity}) of ONE shop (Saleor's orderFulfill).

    A new vendor order is accepted on the way; once all its lines are fulfilled it is shipped.
    ``warehouse_ids`` ({order line id: warehouse id}) names where untracked items left from.
    """
    wanted = _wanted(lines)
    if any(quantity < 0 for quantity in wanted.values()):
        raise error("quantity", "Quantities cannot be negative.", Codes.INVALID_QUANTITY)
    wanted = {line_id: quantity for line_id, quantity in wanted.items() if quantity > 0}
    if not wanted:
        raise error("lines", "Total quantity must be larger than 0.", Codes.ZERO_QUANTITY)
    with transaction.atomic():
        order = _lock_order(order.pk)
        _check_order_open(order)
        vendor_order_ids = set(_check_lines_exist(order, wanted).values())
        if len(vendor_order_ids) > 1:
            raise error("lines", "Fulfil the items of one shop at a time.", Codes.INVALID)
        vendor_order = next(iter(lock_vendor_orders(order, vendor_order_ids).values()))
        if vendor_order.status not in (S.NEW, S.ACCEPTED):
            raise error(
                "lines",
                f"The vendor order is {_status_label(vendor_order.status)}: nothing is left to ship.",
                Codes.FULFILL_ORDER_LINE,
            )
        if is_click_and_collect(vendor_order):
            raise error("lines", "This part is collected in the shop: use vendorOrderMarkCollected.", Codes.INVALID)
        all_lines = lock_order_lines([vendor_order.pk])
        quantities = {line: wanted[str(line.pk)] for line in all_lines if str(line.pk) in wanted}
        too_many = [line for line, quantity in quantities.items() if quantity > line.quantity_unfulfilled]
        if too_many:
            line = too_many[0]
            raise error(
                "orderLineId",
                f"Only {line.quantity_unfulfilled} of {line.product_name} left to fulfil.",
                Codes.FULFILL_ORDER_LINE,
                order_lines=_line_pks(too_many),
            )
        if not allow_stock_to_be_exceeded:
            _check_allocations(quantities)
        _accept_if_new(vendor_order, user)
        fulfillment = _fulfil(
            order, vendor_order, quantities, user, tracking_number=tracking_number, warehouse_ids=warehouse_ids
        )
        fulfilled = []
        if all(line.quantity_unfulfilled == 0 for line in all_lines):
            _move(vendor_order, S.SHIPPED)
            fulfilled.append(vendor_order)
        if tracking_number:
            vendor_order.tracking_number = tracking_number
            vendor_order.save(update_fields=["tracking_number", "updated_at"])
        refresh_order_status(order)
        _announce(order, [vendor_order], manager, fulfilled=fulfilled)
        if notify_customer:
            _queue("send_fulfillment_shipped_task", fulfillment.pk)
    return fulfillment


def _check_allocations(quantities: dict[OrderLine, int]) -> None:
    """Tracked items leave only from the stock promised to them at checkout."""
    tracked = [line for line in quantities if line.variant is not None and line.variant.track_inventory]
    allocated = dict(
        Allocation.objects.filter(order_line_id__in=[line.pk for line in tracked])
        .values("order_line_id")
        .annotate(total=Sum("quantity_allocated"))
        .values_list("order_line_id", "total")
    )
    short = [line for line in tracked if allocated.get(line.pk, 0) < quantities[line]]
    if short:
        raise error(
            "orderLineId",
            f"Not enough stock allocated to {short[0].product_name}.",
            Codes.INSUFFICIENT_STOCK,
            order_lines=_line_pks(short),
            variants=[line.variant_id for line in short],
        )


def update_tracking_number(
    fulfillment: Fulfillment,
    user,
    tracking_number: str,
    *,
    notify_customer: bool = False,
    manager: PluginsManager | None = None,
) -> Fulfillment:
    """Set a fulfilment's parcel number (also kept on its vendor order); the shopper may be told."""
    with transaction.atomic():
        order = _lock_order(fulfillment.order_id)
        vendor_order = lock_vendor_orders(order, [fulfillment.vendor_order_id])[fulfillment.vendor_order_id]
        fulfillment = lock_fulfillment(fulfillment.pk)
        fulfillment.order = order
        fulfillment.tracking_number = tracking_number or ""
        fulfillment.save(update_fields=["tracking_number"])
        vendor_order.tracking_number = fulfillment.tracking_number
        vendor_order.save(update_fields=["tracking_number", "updated_at"])
        _event(
            order,
            OrderEvents.TRACKING_UPDATED,
            user,
            vendor_order,
            tracking_number=fulfillment.tracking_number,
            composed_id=fulfillment.composed_id(),
        )
        _announce(order, [vendor_order], manager)
        if notify_customer and fulfillment.tracking_number:
            _queue("send_tracking_updated_task", fulfillment.pk)
    return fulfillment


# --- cancellations ----------------------------------------------------------------------------------


@dataclasses.dataclass
class Cancellation:
    """What a cancellation did: units cancelled per line, the shopper's refund, the vendor orders it ended."""

    order: Order
    quantities: dict[OrderLine, int]
    amount: Money
    cancelled_vendor_orders: list[VendorOrder] = dataclasses.field(default_factory=list)

    @property
    def lines(self) -> list[OrderLine]:
        return list(self.quantities)


def _cancellable(vendor_order: VendorOrder) -> None:
    if vendor_order.status in S.DONE or vendor_order.status == S.CANCELLED:
        raise error(
            "id",
            f"The vendor order is {_status_label(vendor_order.status)}: it cannot be cancelled.",
            Codes.CANNOT_CANCEL_ORDER,
        )


def _cancel(
    order: Order,
    vendor_orders: dict,
    all_lines: list[OrderLine],
    quantities: dict[OrderLine, int],
    user,
    reason: str,
    manager: PluginsManager | None,
) -> Cancellation:
    """Cancel ``quantities`` inside the caller's transaction, which holds the order, its vendor orders
    and ``all_lines`` (every line of those vendor orders) locked."""
    deallocate_order_lines([line.pk for line in quantities], {line.pk: q for line, q in quantities.items()})
    for line, quantity in quantities.items():
        line.quantity_cancelled += quantity
    OrderLine.objects.bulk_update(list(quantities), ["quantity_cancelled"])
    result = Cancellation(order=order, quantities=quantities, amount=Money(Decimal(0), order.currency))
    fulfilled, total = [], Decimal(0)
    for vendor_order_id in sorted({line.vendor_order_id for line in quantities}):
        vendor_order = vendor_orders[vendor_order_id]
        cancelled = {line: q for line, q in quantities.items() if line.vendor_order_id == vendor_order_id}
        part = sum((line.unit_price_gross_amount * q for line, q in cancelled.items()), Decimal(0))
        own_lines = [line for line in all_lines if line.vendor_order_id == vendor_order_id]
        shipping_included = False
        if all(line.quantity_unfulfilled == 0 for line in own_lines):
            if any(line.quantity_fulfilled for line in own_lines):
                # What was kept has been handed over already: the part is done, not cancelled.
                _move(vendor_order, S.SHIPPED)
                fulfilled.append(vendor_order)
            else:
                _move(vendor_order, S.CANCELLED, code=Codes.CANNOT_CANCEL_ORDER)
                part += vendor_order.shipping_price_gross_amount
                shipping_included = True
                result.cancelled_vendor_orders.append(vendor_order)
        total += part
        _event(
            order,
            OrderEvents.LINES_CANCELED,
            user,
            vendor_order,
            lines=[
                {"line_pk": str(line.pk), "item": line.product_name, "quantity": q} for line, q in cancelled.items()
            ],
            amount=str(_rounded(part, order.currency)),
            reason=reason,
            shipping_costs_included=shipping_included,
        )
    result.amount = Money(_rounded(total, order.currency), order.currency)
    if refresh_order_status(order) == OrderStatus.CANCELED:
        _event(order, OrderEvents.CANCELED, user, reason=reason)
    _after_cancel(result, user, reason, manager)
    touched = [vendor_orders[pk] for pk in sorted({line.vendor_order_id for line in quantities})]
    _announce(order, touched, manager, fulfilled=fulfilled)
    return result


def _after_cancel(result: Cancellation, user, reason: str, manager: PluginsManager | None) -> None:
    order, lines, amount = result.order, result.lines, result.amount

    def refund_and_hooks():
        refund_cancelled_amount(order, amount.amount, reason=reason, user=user)
        plugins = _manager(manager)
        plugins.order_lines_cancelled(order, lines, amount)
        if order.status == OrderStatus.CANCELED:
            plugins.order_cancelled(order)

    _after_commit(refund_and_hooks)
    cancelled = {str(line.pk): quantity for line, quantity in result.quantities.items()}
    _queue("send_refund_notice_task", str(order.pk), cancelled, str(amount.amount))


def refund_cancelled_amount(order: Order, amount: Decimal, *, reason: str = "", user=None) -> Decimal:
    """Give the shopper back ``amount`` (at most what is still charged) through the gateways that
    charged it; returns what was asked of them. Nothing charged (pay at pickup): nothing to do."""
    order.refresh_from_db(fields=["total_charged_amount", "total_refunded_amount", "charge_status"])
    refundable = min(amount, order.total_charged_amount)
    if refundable <= 0:
        return Decimal(0)
    payment_services.refund_order_amount(order, refundable, reason=reason, user=user)
    payment_services.update_payment_statuses(order)
    _event(order, OrderEvents.PAYMENT_REFUNDED, user, amount=str(_rounded(refundable, order.currency)), reason=reason)
    return refundable


def cancel_lines(
    order: Order, lines: dict, user, reason: str = "", *, manager: PluginsManager | None = None
) -> Cancellation:
    """Cancel units ({order line id: quantity}) that were not handed over yet.

    Their stock is released, so the items can be bought again; a vendor order with nothing left is
    cancelled and its shipping refunded too. The shopper gets back the gross of the cancelled
    units (plus that shipping); the ``order_lines_cancelled`` hook hears the same amount.
    """
    wanted = _wanted(lines)
    if not wanted:
        raise error("lines", "Name the lines to cancel.", Codes.REQUIRED)
    for quantity in wanted.values():
        if quantity <= 0:
            code = Codes.ZERO_QUANTITY if quantity == 0 else Codes.INVALID_QUANTITY
            raise error("quantity", "The quantity to cancel must be larger than 0.", code)
    with transaction.atomic():
        order = _lock_order(order.pk)
        _check_order_open(order, Codes.CANNOT_CANCEL_ORDER)
        vendor_orders = lock_vendor_orders(order, set(_check_lines_exist(order, wanted).values()))
        for vendor_order in vendor_orders.values():
            _cancellable(vendor_order)
        all_lines = lock_order_lines(list(vendor_orders))
        quantities = {line: wanted[str(line.pk)] for line in all_lines if str(line.pk) in wanted}
        too_many = [line for line, quantity in quantities.items() if quantity > line.quantity_unfulfilled]
        if too_many:
            line = too_many[0]
            raise error(
                "quantity",
                f"Only {line.quantity_unfulfilled} of {line.product_name} can still be cancelled.",
                Codes.INVALID_QUANTITY,
                order_lines=_line_pks(too_many),
            )
        return _cancel(order, vendor_orders, all_lines, quantities, user, reason, manager)


def cancel_vendor_order(
    vendor_order: VendorOrder, user, reason: str = "", *, manager: PluginsManager | None = None
) -> Cancellation:
    """The shop cannot deliver its part at all: every line is cancelled and refunded with the shipping."""
    with transaction.atomic():
        order, vendor_order = _locked_vendor_order(vendor_order)
        _check_order_open(order, Codes.CANNOT_CANCEL_ORDER)
        _cancellable(vendor_order)
        all_lines = lock_order_lines([vendor_order.pk])
        if any(line.quantity_fulfilled for line in all_lines):
            raise error(
                "id",
                "Some items were already handed over: cancel the remaining lines one by one.",
                Codes.CANNOT_CANCEL_ORDER,
            )
        quantities = {line: line.quantity_unfulfilled for line in all_lines if line.quantity_unfulfilled > 0}
        if not quantities:
            raise error("id", "Nothing is left to cancel in this vendor order.", Codes.CANNOT_CANCEL_ORDER)
        return _cancel(order, {vendor_order.pk: vendor_order}, all_lines, quantities, user, reason, manager)


def cancel_order(order: Order, user, reason: str = "", *, manager: PluginsManager | None = None) -> Cancellation:
    """Saleor's orderCancel: every shop's part, allowed only while nothing was handed over."""
    with transaction.atomic():
        order = _lock_order(order.pk)
        _check_order_open(order, Codes.CANNOT_CANCEL_ORDER)
        ids = VendorOrder.objects.filter(order_id=order.pk).values_list("pk", flat=True)
        vendor_orders = lock_vendor_orders(order, ids)
        all_lines = lock_order_lines(list(vendor_orders))
        if any(line.quantity_fulfilled for line in all_lines):
            raise error(
                "id", "Some items were already handed over: the order cannot be cancelled.", Codes.CANNOT_CANCEL_ORDER
            )
        quantities = {line: line.quantity_unfulfilled for line in all_lines if line.quantity_unfulfilled > 0}
        if not quantities:
            raise error("id", "Nothing is left to cancel in this order.", Codes.CANNOT_CANCEL_ORDER)
        for vendor_order_id in {line.vendor_order_id for line in quantities}:
            _cancellable(vendor_orders[vendor_order_id])
        return _cancel(order, vendor_orders, all_lines, quantities, user, reason, manager)


# --- new orders -------------------------------------------------------------------------------------


def notify_order_placed(order: Order) -> None:
    """Once the order's transaction commits: the confirmation to the shopper, a notice to each shop
    (one task for all of them: queuing a task costs more than the worker's look-up of the shops)."""
    _queue("send_order_placed_emails_task", str(order.pk))
