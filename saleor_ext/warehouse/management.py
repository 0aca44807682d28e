"""Stock that can still be sold, reservations while a payment runs, allocations of an order.

Available = on hand − allocated to orders − live reservations of other checkouts, per stock,
never below zero, summed over the warehouses of the channel (DESIGN.md §5). Reservations and
allocations take the stock rows' locks (``SELECT … FOR UPDATE`` in primary-key order, so two
checkouts never deadlock) and only then read the sums they compare against: two shoppers racing
for one unique item serialise on its stock row, and the second one sees the first one's claim.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from saleor_ext.channel.models import Channel
from saleor_ext.core import sql

from .models import Allocation, ChannelWarehouse, Reservation, Stock


class InsufficientStock(Exception):
    """Some lines cannot get the quantity they ask for; ``items`` tells which."""

    def __init__(self, items: list[InsufficientStockItem]):
        self.items = items
        super().__init__(", ".join(f"variant {item.variant_id}: {item.available} left" for item in items))


@dataclass(frozen=True)
class InsufficientStockItem:
    variant_id: int
    line_id: object | None
    requested: int
    available: int


@dataclass(frozen=True)
class StockDemand:
    """What one checkout line (or order line) needs: ``quantity`` units of ``variant_id``."""

    variant_id: int
    quantity: int
    line_id: object | None = None
    # A pickup warehouse the shopper chose: its stock is used first.
    preferred_warehouse_id: object | None = None


def reserved_sql(exclude_checkout=None) -> tuple[str, list]:
    """SQL for the live reservations on stock row ``s`` held by carts other than
    ``exclude_checkout``, with its parameters."""
    from saleor_ext.checkout.models import CheckoutLine

    token = str(exclude_checkout) if exclude_checkout else None
    return (
        f"COALESCE((SELECT SUM(r.quantity_reserved) FROM {sql.table(Reservation)} r"
        f" JOIN {sql.table(CheckoutLine)} cl ON cl.id = r.checkout_line_id"
        " WHERE r.stock_id = s.id AND r.reserved_until > %s"
        " AND (%s::uuid IS NULL OR cl.checkout_id <> %s::uuid)), 0)",
        [timezone.now(), token, token],
    )


def stock_in_channel_join(channel: Channel | None) -> tuple[str, list]:
    """JOIN clause and params restricting ``warehouse_stock s`` to the channel's warehouses."""
    if channel is None:
        return "", []
    return (
        f" JOIN {sql.table(ChannelWarehouse)} cw ON cw.warehouse_id = s.warehouse_id AND cw.channel_id = %s",
        [channel.id],
    )


def available_quantities(
    variant_ids: Iterable[int], channel: Channel | None, *, exclude_checkout=None
) -> dict[int, int]:
    """Per variant, what a shopper can still buy in ``channel`` (reservations of
    ``exclude_checkout`` — the asking cart — do not count against it)."""
    ids = sql.id_array(variant_ids)
    if not ids:
        return {}
    reserved, reserved_params = reserved_sql(exclude_checkout)
    join, params = stock_in_channel_join(channel)
    rows = sql.fetch(
        "SELECT s.product_variant_id,"
        f" SUM(GREATEST(s.quantity - s.quantity_allocated - {reserved}, 0))"
        f" FROM {sql.table(Stock)} s{join} WHERE s.product_variant_id = ANY(%s) GROUP BY 1",
        [*reserved_params, *params, ids],
    )
    return {variant_id: int(total or 0) for variant_id, total in rows}


def _lock_stocks(variant_ids: Sequence[int], channel: Channel) -> list[Stock]:
    """The channel's stock rows of these variants, locked, in primary-key order."""
    warehouse_ids = ChannelWarehouse.objects.filter(channel_id=channel.id).values("warehouse_id")
    return list(
        Stock.objects.select_for_update(of=("self",))
        .filter(product_variant_id__in=list(variant_ids), warehouse_id__in=warehouse_ids)
        .order_by("pk")
    )


def _reserved_by_others(stock_ids: list[int], checkout_token) -> dict[int, int]:
    """Live reservations on these stocks held by other checkouts, read after the locks were taken."""
    queryset = Reservation.objects.filter(stock_id__in=stock_ids, reserved_until__gt=timezone.now())
    if checkout_token is not None:
        queryset = queryset.exclude(checkout_line__checkout_id=checkout_token)
    found: dict[int, int] = defaultdict(int)
    for stock_id, quantity in queryset.values_list("stock_id", "quantity_reserved"):
        found[stock_id] += quantity
    return found


def _plan(
    demands: Sequence[StockDemand], stocks: list[Stock], free: dict[int, int]
) -> list[tuple[StockDemand, Stock, int]]:
    """Spread each demand over its variant's stocks (preferred warehouse first); raise when short."""
    by_variant: dict[int, list[Stock]] = defaultdict(list)
    for stock in stocks:
        by_variant[stock.product_variant_id].append(stock)
    plan, short = [], []
    for demand in demands:
        candidates = sorted(
            by_variant.get(demand.variant_id, []),
            key=lambda stock: (stock.warehouse_id != demand.preferred_warehouse_id, stock.pk),
        )
        missing = demand.quantity
        for stock in candidates:
            take = min(missing, free[stock.pk])
            if take > 0:
                plan.append((demand, stock, take))
                free[stock.pk] -= take
                missing -= take
            if not missing:
                break
        if missing:
            available = demand.quantity - missing
            short.append(InsufficientStockItem(demand.variant_id, demand.line_id, demand.quantity, available))
    if short:
        raise InsufficientStock(short)
    return plan


def reserve_stocks(demands: Sequence[StockDemand], channel: Channel, *, checkout_token, minutes: int) -> None:
    """Hold the lines' stock for ``minutes`` (replacing the checkout's earlier reservations).

    Raises ``InsufficientStock`` and reserves nothing when a line cannot be covered.
    """
    with transaction.atomic():
        stocks = _lock_stocks([d.variant_id for d in demands], channel)
        reserved = _reserved_by_others([s.pk for s in stocks], checkout_token)
        free = {s.pk: max(s.quantity - s.quantity_allocated - reserved.get(s.pk, 0), 0) for s in stocks}
        plan = _plan(demands, stocks, free)
        Reservation.objects.filter(checkout_line__checkout_id=checkout_token).delete()
        until = timezone.now() + timedelta(minutes=minutes)
        Reservation.objects.bulk_create(
            Reservation(checkout_line_id=demand.line_id, stock=stock, quantity_reserved=quantity, reserved_until=until)
            for demand, stock, quantity in plan
        )


def release_reservations(checkout_token) -> int:
    deleted, _ = Reservation.objects.filter(checkout_line__checkout_id=checkout_token).delete()
    return deleted


def delete_expired_reservations() -> int:
    deleted, _ = Reservation.objects.filter(reserved_until__lte=timezone.now()).delete()
    return deleted


def allocate_stocks(demands: Sequence[StockDemand], channel: Channel, *, checkout_token=None) -> list[Allocation]:
    """Promise stock to order lines (``line_id`` = the order line's id); must run inside the
    transaction that creates the order. Raises ``InsufficientStock`` and changes nothing when short.

    The checkout's own reservations are released in the same transaction: they were holding
    exactly this stock for it.
    """
    stocks = _lock_stocks([d.variant_id for d in demands], channel)
    # Sums read only now, after the locks: a concurrent allocation has either committed (and is
    # counted) or waits for us.
    reserved = _reserved_by_others([s.pk for s in stocks], checkout_token)
    free = {s.pk: max(s.quantity - s.quantity_allocated - reserved.get(s.pk, 0), 0) for s in stocks}
    plan = _plan(demands, stocks, free)
    allocations = Allocation.objects.bulk_create(
        Allocation(order_line_id=demand.line_id, stock=stock, quantity_allocated=quantity)
        for demand, stock, quantity in plan
    )
    totals: dict[int, int] = defaultdict(int)
    for _demand, stock, quantity in plan:
        totals[stock.pk] += quantity
    for stock_id, quantity in totals.items():
        Stock.objects.filter(pk=stock_id).update(quantity_allocated=F("quantity_allocated") + quantity)
    if checkout_token is not None:
        release_reservations(checkout_token)
    return allocations


def deallocate_order_lines(order_line_ids: Iterable, quantities: dict | None = None) -> None:
    """Give back what order lines hold (all of it, or ``quantities[line_id]`` units), locking the
    allocations with their stocks."""
    allocations = list(
        Allocation.objects.select_for_update(of=("self", "stock"))
        .select_related("stock")
        .filter(order_line_id__in=list(order_line_ids), quantity_allocated__gt=0)
        .order_by("stock_id", "pk")
    )
    remaining = dict(quantities) if quantities is not None else None
    for allocation in allocations:
        take = allocation.quantity_allocated
        if remaining is not None:
            take = min(take, remaining.get(allocation.order_line_id, 0))
            remaining[allocation.order_line_id] = remaining.get(allocation.order_line_id, 0) - take
        if take <= 0:
            continue
        Allocation.objects.filter(pk=allocation.pk).update(quantity_allocated=F("quantity_allocated") - take)
        Stock.objects.filter(pk=allocation.stock_id).update(
            quantity_allocated=F("quantity_allocated") - take
        )


def decrease_stock_for_fulfilment(order_line_id, quantity: int) -> Stock | None:
    """A handed-over line leaves the shop: its allocation and the on-hand quantity both go down."""
    allocations = list(
        Allocation.objects.select_for_update(of=("self", "stock"))
        .select_related("stock")
        .filter(order_line_id=order_line_id, quantity_allocated__gt=0)
        .order_by("stock_id", "pk")
    )
    used = None
    for allocation in allocations:
        take = min(quantity, allocation.quantity_allocated)
        if take <= 0:
            continue
        Allocation.objects.filter(pk=allocation.pk).update(quantity_allocated=F("quantity_allocated") - take)
        Stock.objects.filter(pk=allocation.stock_id).update(
            quantity_allocated=F("quantity_allocated") - take, quantity=F("quantity") - take
        )
        used = allocation.stock
        quantity -= take
        if not quantity:
            break
    return used
