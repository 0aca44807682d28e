"""Reads on stock."""

from __future__ import annotations

from collections.abc import Iterable

from saleor_ext.core import sql

from .management import reserved_sql
from .models import Stock


def reserved_quantities(stock_ids: Iterable[int]) -> dict[int, int]:
    """Units each stock row holds for carts being paid (live reservations only), in one query."""
    ids = sql.id_array(stock_ids)
    if not ids:
        return {}
    reserved, params = reserved_sql()
    rows = sql.fetch(f"SELECT s.id, {reserved} FROM {sql.table(Stock)} s WHERE s.id = ANY(%s)", [*params, ids])
    return {stock_id: int(total) for stock_id, total in rows}
