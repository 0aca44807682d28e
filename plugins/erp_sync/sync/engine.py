"""A sync run from start to end (``run_sync``) and which members are due for one."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from saleor_ext.product.tasks import update_products_search_vector_task

from ..connectors import connector_for
from ..connectors.base import Connector
from ..models import ConnectionKind, ErpConnection, SyncRun, SyncRunIssue, SyncRunKind, SyncRunStatus
from .batches import prefetched, save_run, write_batches
from .categories import sync_categories
from .context import BatchResult, Context, Issue, build_context, cursor_with_overlap
from .items import archive_missing
from .lock import connection_lock
from .stock import pull_stock

logger = logging.getLogger(__name__)


def _execute(ctx: Context, connector: Connector, full: bool, progress: Callable[[int], None] | None,
             batch_size: int, totals: BatchResult) -> None:
    connection = ctx.connection
    is_file = connection.kind == ConnectionKind.FILE
    full = full or is_file
    try:
        sync_categories(ctx, connector.categories())
    except NotImplementedError:
        pass
    since = None if full else cursor_with_overlap(connection.items_cursor)
    batches = prefetched(connector.items(changed_since=since, batch_size=batch_size))
    write_batches(ctx, connector, batches, totals, progress)
    for row in getattr(connector, "rejected", ()):
        ctx.issues.append(Issue(row.reason, item_ref=row.reference, row_number=row.line))
        totals.rejected += 1
    if full:
        with transaction.atomic():
            totals.archived += archive_missing(ctx)
    if not is_file:
        pull_stock(ctx, connector, full, totals)


def run_sync(
    connection: ErpConnection,
    *,
    full: bool = False,
    connector: Connector | None = None,
    dry_run: bool = False,
    progress: Callable[[int], None] | None = None,
    batch_size: int | None = None,
) -> SyncRun | None:
    """Pull the member's changes (everything when ``full``); see the module docstring.

    Returns the recorded run (``status`` failed with ``error`` when the ERP or a batch failed:
    what committed before stays, the next run resumes), or None when a run for this member is
    already going. ``dry_run`` applies everything in a transaction it then rolls back (run
    included) and fetches no photos: the returned run tells what would have happened.
    """
    with connection_lock(connection.pk) as acquired:
        if not acquired:
            return None
        if dry_run:
            with transaction.atomic():
                run = _run(connection, full, connector, True, progress, batch_size)
                transaction.set_rollback(True)
            return run
        return _run(connection, full, connector, False, progress, batch_size)


def _run(connection: ErpConnection, full: bool, connector: Connector | None, dry_run: bool,
         progress: Callable[[int], None] | None, batch_size: int | None) -> SyncRun:
    connection.refresh_from_db()
    kind = SyncRunKind.FILE if connection.kind == ConnectionKind.FILE else (
        SyncRunKind.FULL if full else SyncRunKind.INCREMENTAL)
    started = time.monotonic()
    run = SyncRun.objects.create(connection=connection, kind=kind)
    ErpConnection.objects.filter(pk=connection.pk).update(last_run_started_at=run.started_at)
    totals = BatchResult()
    ctx: Context | None = None
    try:
        ctx = build_context(connection, run, dry_run=dry_run)
        _execute(ctx, connector or connector_for(connection), full, progress,
                 batch_size or settings.ERP_BATCH_SIZE, totals)
        run.status = SyncRunStatus.SUCCEEDED
        ErpConnection.objects.filter(pk=connection.pk).update(last_success_at=timezone.now())
    except Exception as exc:  # the ERP or a batch failed: recorded on the run, the next run resumes
        logger.warning("ERP sync of %s failed", connection, exc_info=True)
        run.status = SyncRunStatus.FAILED
        run.error = f"{type(exc).__name__}: {exc}"
    if ctx and ctx.indexed:
        # One indexing task for the run's committed batches (searchable a moment later; the
        # beat task catches up on anything left dirty), queued rather than done batch by batch.
        transaction.on_commit(partial(update_products_search_vector_task.delay, limit=ctx.indexed))
    issues = ctx.issues if ctx else []
    save_run(run, totals, finished_at=timezone.now(), duration_seconds=round(time.monotonic() - started, 3))
    SyncRunIssue.objects.bulk_create([
        SyncRunIssue(run=run, item_ref=i.item_ref[:128], row_number=i.row_number, reason=i.reason,
                     rejected=i.rejected) for i in issues
    ])
    run.issue_list = issues
    return run


def due_connections(now: datetime | None = None) -> list[int]:
    """Enabled connections whose interval has passed since their last run started."""
    now = now or timezone.now()
    due = []
    for pk, kind, file_path, interval, last in ErpConnection.objects.filter(enabled=True).values_list(
        "pk", "kind", "file_path", "interval_minutes", "last_run_started_at"
    ):
        if kind == ConnectionKind.FILE and not file_path:
            continue
        if last is None or last + timedelta(minutes=max(interval, 1)) <= now:
            due.append(pk)
    return due


