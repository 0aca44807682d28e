"""Stock that can still be sold, reservations while a payment runs, allocations of an order.

Available = on hand − allocated to orders − live reservations of other checkouts, per stock,
never below zero, summed over the warehouses of the channel (DESIGN.md §5). Reservations and
allocations take the stock rows' locks (``lock_objects``: ``SELECT … FOR UPDATE`` in primary-key
order, so two checkouts, or a checkout and the ERP sync's ``set_stock_quantities``, never
deadlock) and only then read the sums they compare against: two shoppers racing for one unique
item serialise on its stock row, and the second one sees the first one's claim.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from saleor_ext.channel.models import Channel
from saleor_ext.core import sql

from . import lock_objects
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
    # The checkout line's table through the reservation's own foreign key: warehouse sits below checkout.
    checkout_line = Reservation._meta.get_field("checkout_line").related_model
    token = str(exclude_checkout) if exclude_checkout else None
    return (
        f"COALESCE((SELECT SUM(r.quantity_reserved) FROM {sql.table(Reservation)} r"
        f" JOIN {sql.table(checkout_line)} cl ON cl.id = r.checkout_line_id"
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


def available_sql(variant: str, channel: Channel | None, *, exclude_checkout=None) -> tuple[str, list]:
    """A scalar SQL expression, with its parameters: what a shopper can still buy of the variant
    ``variant`` (a column such as ``v.id``) in ``channel``. The one definition of "available" that
    the cart, the checkout and the catalogue share."""
    reserved, reserved_params = reserved_sql(exclude_checkout)
    join, join_params = stock_in_channel_join(channel)
    return (
        f"(SELECT COALESCE(SUM(GREATEST(s.quantity - s.quantity_allocated - {reserved}, 0)), 0)"
        f" FROM {sql.table(Stock)} s{join} WHERE s.product_variant_id = {variant})",
        [*reserved_params, *join_params],
    )


def available_quantities(
    variant_ids: Iterable[int], channel: Channel | None, *, exclude_checkout=None
) -> dict[int, int]:
    """Per variant, what a shopper can still buy in ``channel`` (reservations of
    ``exclude_checkout`` — the asking cart — do not count against it)."""
    ids = sql.id_array(variant_ids)
    if not ids:
        return {}
    available, params = available_sql("v.id", channel, exclude_checkout=exclude_checkout)
    rows = sql.fetch(f"SELECT v.id, {available} FROM unnest(%s::bigint[]) AS v(id)", [*params, ids])
    return {variant_id: int(total) for variant_id, total in rows}


def _free_stocks(stock_ids: list[int], checkout_token) -> tuple[list[Stock], dict[int, int]]:
    """The locked stocks and what each can still give: on hand − allocated − live reservations
    of other checkouts. A statement of its own, after the locks: its snapshot then counts a
    concurrent allocation (committed, or waiting for us) and no longer the reservations that
    allocation released. (Reading it in the locking statement would see the locked row's new
    version but the reservations of the statement's older snapshot.)"""
    if not stock_ids:
        return [], {}
    reserved, params = reserved_sql(checkout_token)
    rows = sql.fetch(
        f"SELECT {sql.columns(Stock, 's')}, {reserved} FROM {sql.table(Stock)} s"
        " WHERE s.id = ANY(%s) ORDER BY s.id",
        [*params, stock_ids],
    )
    width = sql.width(Stock)
    stocks = [sql.instance(Stock, row[:width]) for row in rows]
    free = {
        stock.pk: max(stock.quantity - stock.quantity_allocated - int(row[width]), 0)
        for stock, row in zip(stocks, rows, strict=True)
    }
    return stocks, free


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
        plan = plan_allocations(demands, channel, checkout_token=checkout_token)
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


def plan_allocations(
    demands: Sequence[StockDemand], channel: Channel, *, checkout_token=None
) -> list[tuple[StockDemand, Stock, int]]:
    """Lock the stocks the demands need, then spread each demand over them (preferred warehouse
    first): ``(demand, stock, quantity)`` rows. Raises ``InsufficientStock`` when a demand cannot
    be covered. The locks hold until the caller's transaction ends, so write the plan in it.

    Two statements: the locks, then the sums (see ``_free_stocks``). ``checkout_token``'s own
    reservations do not count against it.
    """
    stock_ids = lock_objects.lock_stocks_of_variants([d.variant_id for d in demands], channel.pk)
    stocks, free = _free_stocks(stock_ids, checkout_token)
    return _plan(demands, stocks, free)


def _stock_totals(plan: Sequence[tuple[StockDemand, Stock, int]]) -> dict[int, int]:
    totals: dict[int, int] = defaultdict(int)
    for _demand, stock, quantity in plan:
        totals[stock.pk] += quantity
    return totals


def allocation_writes(plan: Sequence[tuple[StockDemand, Stock, int]]) -> list[tuple[str, list]]:
    """The statements (SQL, params) that record a plan whose ``line_id`` are order lines: the
    allocation rows, and every stock's ``quantity_allocated`` raised in one UPDATE. The caller
    runs them (checkoutComplete joins them to its own writes)."""
    if not plan:
        return []
    totals = _stock_totals(plan)
    order_line, stock, quantity = (
        sql.column(Allocation, name) for name in ("order_line", "stock", "quantity_allocated")
    )
    return [
        (
            f"INSERT INTO {sql.table(Allocation)} ({order_line}, {stock}, {quantity})"
            " SELECT * FROM unnest(%s::uuid[], %s::bigint[], %s::integer[])",
            [[d.line_id for d, _s, _q in plan], [s.pk for _d, s, _q in plan], [q for _d, _s, q in plan]],
        ),
        (
            f"UPDATE {sql.table(Stock)} s SET quantity_allocated = s.quantity_allocated + v.quantity"
            " FROM unnest(%s::bigint[], %s::integer[]) AS v(id, quantity) WHERE s.id = v.id",
            [list(totals), list(totals.values())],
        ),
    ]


def deallocate_order_lines(order_line_ids: Iterable, quantities: dict | None = None) -> None:
    """Give back what order lines hold (all of it, or ``quantities[line_id]`` units), locking the
    allocations with their stocks."""
    allocations = lock_objects.lock_allocations(order_line_ids)
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
    allocations = lock_objects.lock_allocations([order_line_id])
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


def set_stock_quantities(quantities: dict[int, int]) -> int:
    """Set stocks' on-hand quantities ({stock id: units}, an ERP's count) in one UPDATE, after
    locking their rows by id (``lock_objects.lock_stocks``): the order checkout completion locks
    them in, so the two wait for each other instead of deadlocking. A caller that locked them
    already in this transaction, to read them first, waits for nothing here. Returns how many
    rows changed."""
    if not quantities:
        return 0
    lock_objects.lock_stocks(quantities)
    ids = list(quantities)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {sql.table(Stock)} s SET quantity = d.quantity FROM unnest(%s::bigint[], %s::integer[])"
            " d(id, quantity) WHERE s.id = d.id",
            [ids, [quantities[stock_id] for stock_id in ids]],
        )
        return cursor.rowcount
