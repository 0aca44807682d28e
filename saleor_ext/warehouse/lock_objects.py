"""The warehouse's row locks: stock rows, always in primary-key order.

Level 7 of the project's lock order (``saleor_ext.core.locks``): after the checkout and the
order's rows, before transaction items. Checkout completion, reservations, an order's
cancellation or fulfilment and the ERP sync all lock stock rows here, in ascending id, so any
two of them sharing rows wait for each other instead of deadlocking. Stock rows are locked FOR
UPDATE; the locks hold until the caller's transaction ends (run these inside ``atomic()``).
"""

from __future__ import annotations

from collections.abc import Iterable

from saleor_ext.core import sql

from .models import Allocation, ChannelWarehouse, Stock


def lock_stocks_of_variants(variant_ids: Iterable[int], channel_id: int) -> list[int]:
    """Lock the stock rows of these variants in the channel's warehouses, by id; their ids."""
    ids = sql.id_array(variant_ids)
    if not ids:
        return []
    rows = sql.fetch(
        f"SELECT s.id FROM {sql.table(Stock)} s"
        f" JOIN {sql.table(ChannelWarehouse)} cw ON cw.warehouse_id = s.warehouse_id AND cw.channel_id = %s"
        " WHERE s.product_variant_id = ANY(%s) ORDER BY s.id FOR UPDATE OF s",
        [channel_id, ids],
    )
    return [stock_id for (stock_id,) in rows]


def lock_stocks(stock_ids: Iterable[int]) -> list[Stock]:
    """Lock these stock rows, by id, and return them as they are once locked (a concurrent
    allocation that committed meanwhile is counted)."""
    ids = sorted(set(stock_ids))
    if not ids:
        return []
    return list(Stock.objects.select_for_update(of=("self",)).filter(pk__in=ids).order_by("pk"))


def lock_allocations(order_line_ids: Iterable) -> list[Allocation]:
    """The allocations still holding units for these order lines, each locked with its stock row,
    in stock id order (then allocation id); ``allocation.stock`` is loaded."""
    return list(
        Allocation.objects.select_for_update(of=("self", "stock"))
        .select_related("stock")
        .filter(order_line_id__in=list(order_line_ids), quantity_allocated__gt=0)
        .order_by("stock_id", "pk")
    )
