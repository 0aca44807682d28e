"""Stock from the ERP: its quantities applied to the vendor's warehouse, conflicts flagged.

Stock rule (DESIGN.md §5): the ERP is the truth for what is in the shop. Online sales it has
acknowledged (pushed sale orders) are already out of its count but still allocated here, so
``Stock.quantity = ERP quantity + acknowledged allocations`` and the checkout's available =
quantity − allocations − live reservations = ERP − what it has not heard of yet, never more.
When the ERP's quantity no longer covers the unacknowledged allocations, the item was sold in
the shop too: an ``ErpConflict`` is flagged on each vendor order line left uncovered; its
allocation is kept and the vendor resolves it (``services.resolve_conflict``).
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from saleor_ext.core import sql
from saleor_ext.order.models import OrderLine
from saleor_ext.warehouse.lock_objects import lock_stocks
from saleor_ext.warehouse.management import set_stock_quantities
from saleor_ext.warehouse.models import Allocation, Stock

from ..connectors.base import Connector
from ..models import ErpConflict, ErpConnection, ItemLink, SalePushAction, SalePushJob, SalePushStatus
from ..services import record_conflict_events
from .context import BatchResult, Context, cursor_with_overlap


def _acknowledged(stock_ids: list[int]) -> dict[int, int]:
    """Units allocated on these stocks to vendor orders whose sale the ERP has acknowledged."""
    if not stock_ids:
        return {}
    rows = sql.fetch(
        f"SELECT a.stock_id, SUM(a.quantity_allocated) FROM {sql.table(Allocation)} a"
        f" JOIN {sql.table(OrderLine)} ol ON ol.id = a.order_line_id"
        f" JOIN {sql.table(SalePushJob)} j ON j.vendor_order_id = ol.vendor_order_id"
        "  AND j.action = %s AND j.status = %s"
        " WHERE a.stock_id = ANY(%s) GROUP BY 1",
        [SalePushAction.PUSH, SalePushStatus.DONE, stock_ids],
    )
    return {stock_id: int(total) for stock_id, total in rows}


def apply_stock_levels(ctx: Context, levels: dict[str, int], *, missing_to_zero: bool = False) -> tuple[int, int]:
    """Set the ERP's quantities (see the module docstring for the rule); returns (stocks changed,
    conflicts flagged). ``missing_to_zero``: ``levels`` is the ERP's whole answer, items absent
    from it have none."""
    # One read of every concerned item's link and stock row, the ERP's answer joined in SQL.
    refs, quantities = list(levels), [max(int(q or 0), 0) for q in levels.values()]
    rows = sql.fetch(
        f"SELECT l.variant_id, CASE WHEN l.archived THEN 0 ELSE COALESCE(d.quantity, 0) END,"
        f" s.id FROM {sql.table(ItemLink)} l"
        f" {'LEFT ' if missing_to_zero else ''}JOIN unnest(%s::text[], %s::int[]) d(ref, quantity)"
        " ON d.ref = l.erp_ref"
        f" LEFT JOIN {sql.table(Stock)} s ON s.product_variant_id = l.variant_id AND s.warehouse_id = %s"
        " WHERE l.connection_id = %s",
        [refs, quantities, ctx.warehouse.pk, ctx.connection.pk],
    )
    if not rows:
        return 0, 0
    wanted = {variant_id: erp for variant_id, erp, _stock_id in rows}
    stock_ids = {variant_id: stock_id for variant_id, _erp, stock_id in rows if stock_id is not None}
    missing = [v for v in wanted if v not in stock_ids]
    if missing:
        Stock.objects.bulk_create([Stock(warehouse_id=ctx.warehouse.pk, product_variant_id=v, quantity=wanted[v])
                                   for v in missing])
    # Locked by id, as checkoutComplete locks them (no deadlock with it), and read under the lock:
    # an allocation committed meanwhile counts.
    stocks = lock_stocks(stock_ids.values())
    acknowledged = _acknowledged([stock.pk for stock in stocks if stock.quantity_allocated > 0])
    targets, short = {}, {}
    for stock in stocks:
        erp = wanted[stock.product_variant_id]
        acked = acknowledged.get(stock.pk, 0)
        if erp + acked != stock.quantity:
            targets[stock.pk] = erp + acked
        if stock.quantity_allocated - acked > erp:
            short[stock.pk] = erp
    set_stock_quantities(targets)
    conflicts = _flag_conflicts(short) if short else 0
    return len(targets) + len(missing), conflicts


def _flag_conflicts(short: dict[int, int]) -> int:
    """Stocks whose ERP quantity (value) does not cover their unacknowledged allocations: the
    oldest orders keep the units the ERP still has, each later line gets a conflict."""
    allocations = (
        Allocation.objects.filter(stock_id__in=list(short), quantity_allocated__gt=0)
        .exclude(order_line__vendor_order__erp_push_jobs__action=SalePushAction.PUSH,
                 order_line__vendor_order__erp_push_jobs__status=SalePushStatus.DONE)
        .select_related("order_line")
        .order_by("stock_id", "order_line__created_at", "pk")
    )
    covered = dict(short)
    conflicts = []
    for allocation in allocations:
        line = allocation.order_line
        left = covered[allocation.stock_id]
        if left >= allocation.quantity_allocated:
            covered[allocation.stock_id] = left - allocation.quantity_allocated
            continue
        covered[allocation.stock_id] = 0
        conflicts.append(ErpConflict(
            vendor_order_id=line.vendor_order_id, line=line,
            reason=(f"Sold in the shop too: the ERP has {left} of {line.product_name} left for "
                    f"{allocation.quantity_allocated} sold online."),
        ))
    open_lines = set(ErpConflict.objects.filter(line_id__in=[c.line_id for c in conflicts], resolved_at__isnull=True)
                     .values_list("line_id", flat=True))
    created = ErpConflict.objects.bulk_create([c for c in conflicts if c.line_id not in open_lines])
    if created:
        record_conflict_events(created)
    return len(created)


def _reconciliation_due(connection: ErpConnection, full: bool) -> bool:
    if full or connection.last_full_reconciliation_at is None:
        return True
    every = timedelta(minutes=settings.ERP_FULL_RECONCILIATION_MINUTES)
    return connection.last_full_reconciliation_at <= timezone.now() - every



def pull_stock(ctx: Context, connector: Connector, full: bool, totals: BatchResult) -> None:
    """The ERP's stock after the items: changes since the stock cursor, then a full reconciliation
    when due, else the levels of the items just created or revived without a quantity."""
    connection, run = ctx.connection, ctx.run
    since = cursor_with_overlap(connection.stock_cursor)
    changes = connector.stock_changes(changed_since=since)
    with transaction.atomic():
        # Without a cursor the answer lists every stocked item: it is a full reconciliation too.
        updated, conflicts = apply_stock_levels(ctx, changes.levels, missing_to_zero=since is None)
        if changes.cursor and (connection.stock_cursor is None or changes.cursor > connection.stock_cursor):
            connection.stock_cursor = changes.cursor
            ErpConnection.objects.filter(pk=connection.pk).update(stock_cursor=changes.cursor)
        if since is None:
            connection.last_full_reconciliation_at = run.started_at
            ErpConnection.objects.filter(pk=connection.pk).update(last_full_reconciliation_at=run.started_at)
            ctx.needs_levels.clear()
    totals.stock_updated += updated
    totals.conflicts += conflicts
    if since is not None and _reconciliation_due(connection, full):
        levels = connector.stock_levels()
        with transaction.atomic():
            updated, conflicts = apply_stock_levels(ctx, levels, missing_to_zero=True)
            connection.last_full_reconciliation_at = run.started_at
            ErpConnection.objects.filter(pk=connection.pk).update(last_full_reconciliation_at=run.started_at)
        ctx.needs_levels.clear()
        totals.stock_updated += updated
        totals.conflicts += conflicts
    elif ctx.needs_levels:
        levels = connector.stock_levels(sorted(ctx.needs_levels))
        with transaction.atomic():
            updated, conflicts = apply_stock_levels(ctx, {ref: levels.get(ref, 0) for ref in ctx.needs_levels})
        totals.stock_updated += updated
        totals.conflicts += conflicts

