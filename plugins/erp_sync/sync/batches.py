"""Writing the connector's batches: fetched ahead in a thread, each applied in its own
transaction (by several writers on their own connections outside a transaction), the items
cursor moved only over batches committed without a gap, the run's counts saved after each."""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Generator, Iterator, Sequence
from datetime import datetime

from django.conf import settings
from django.db import connection as db
from django.db import transaction

from saleor_ext.core import sql
from saleor_ext.product.models import ProductVariant

from ..connectors.base import Connector, ErpItem
from ..models import ErpConnection, ItemLink, SyncRun
from .context import BatchResult, Context, Issue
from .items import apply_items

_DONE = object()


def prefetched(batches: Iterator[list[ErpItem]]) -> Generator[list[ErpItem], None, None]:
    """The connector's batches, the next one fetched in a thread while the current one is
    written: the ERP's answer time and our database time overlap instead of adding up.
    Connectors do no database work, so the thread needs no connection of its own; an error of
    the ERP reaches the caller at the batch where it happened."""
    slot: queue.Queue = queue.Queue(maxsize=1)
    stop = threading.Event()

    def produce() -> None:
        try:
            for batch in batches:
                while not stop.is_set():
                    try:
                        slot.put((batch, None), timeout=0.2)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            slot.put((_DONE, None))
        except BaseException as exc:  # handed to the consumer, which raises it
            slot.put((_DONE, exc))

    thread = threading.Thread(target=produce, name="erp-sync-prefetch", daemon=True)
    thread.start()
    try:
        while True:
            batch, error = slot.get()
            if error is not None:
                raise error
            if batch is _DONE:
                return
            yield batch
    finally:
        stop.set()
        thread.join(timeout=30)


# Tables a batch looks items up in, by reference or SKU.
_LOOKUP_TABLES = (ItemLink, ProductVariant)


def _refresh_statistics(ctx: Context, created: int) -> None:
    """ANALYZE the lookup tables each time a run has doubled what they held at the last one.
    A first import fills them faster than autovacuum notices: with the statistics of empty
    tables the planner scans them whole for every batch, and the import slows down as it grows."""
    ctx.created_since_analyze += created
    if ctx.dry_run or ctx.created_since_analyze < max(1000, ctx.rows_at_analyze):
        return
    with db.cursor() as cursor:
        cursor.execute("ANALYZE " + ", ".join(sql.table(model) for model in _LOOKUP_TABLES))
    ctx.rows_at_analyze += ctx.created_since_analyze
    ctx.created_since_analyze = 0


def _fast_commit() -> None:
    """This transaction's commit does not wait for its WAL flush. A database crash in the next
    fraction of a second may lose the batch, never half of it: its cursor goes with it, so the
    next run fetches it again. Catalogue batches only, never orders or payments."""
    with db.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit TO off")


def _commit_issues(ctx: Context, issues: list[Issue]) -> None:
    ctx.issues.extend(issues)


def save_run(run: SyncRun, totals: BatchResult, **extra) -> None:
    for name in ("seen", "created", "updated", "archived", "rejected", "stock_updated", "conflicts"):
        setattr(run, name, getattr(totals, name))
    for name, value in extra.items():
        setattr(run, name, value)
    run.save()


def _last_change(batch: Sequence[ErpItem]) -> datetime | None:
    return max((item.updated_at for item in batch if item.updated_at), default=None)


def _move_items_cursor(connection: ErpConnection, stamp: datetime | None) -> None:
    if stamp and (connection.items_cursor is None or stamp > connection.items_cursor):
        connection.items_cursor = stamp
        ErpConnection.objects.filter(pk=connection.pk).update(items_cursor=stamp)


def _batch_done(ctx: Context, connector: Connector, batch: Sequence[ErpItem], result: BatchResult,
                issues: list[Issue], totals: BatchResult, progress: Callable[[int], None] | None) -> None:
    """The run's record after a committed batch: counts, issues, progress."""
    run = ctx.run
    totals.add(result)
    if run.total is None:
        run.total = getattr(connector, "expected_items", None)
    _commit_issues(ctx, issues)
    ctx.indexed += len(result.product_ids)
    _refresh_statistics(ctx, result.created)
    save_run(run, totals)
    if progress:
        progress(len(batch))


def _write_in_parallel(ctx: Context, connector: Connector, batches: Generator[list[ErpItem], None, None], writers: int,
                       totals: BatchResult, progress: Callable[[int], None] | None) -> None:
    """Batches applied by ``writers`` threads, each on its own database connection and each batch
    in its own transaction, so PostgreSQL writes one batch while Python prepares the next.

    Batches may commit out of order: the items cursor moves only over the batches committed
    without a gap before them (right after their commits, not inside them; a crash in between
    only means those items are read again, and their fingerprints make that a no-op). SKUs are
    claimed run-wide (``Context.claim_sku``), as a batch cannot see another's uncommitted items.
    An error stops the dispatch; the batches under way finish, whole or not at all."""
    inbox: queue.Queue = queue.Queue()
    outbox: queue.Queue = queue.Queue()

    def write() -> None:
        try:
            while (task := inbox.get()) is not None:
                index, batch = task
                issues: list[Issue] = []
                try:
                    with transaction.atomic():
                        _fast_commit()
                        result = apply_items(ctx, batch, issues)
                    outbox.put((index, batch, result, issues, None))
                except BaseException as exc:  # reported to the dispatcher, which stops the run
                    outbox.put((index, batch, None, issues, exc))
        finally:
            db.close()  # this thread's own connection

    threads = [threading.Thread(target=write, name=f"erp-sync-writer-{n}", daemon=True) for n in range(writers)]
    for thread in threads:
        thread.start()
    stamps: dict[int, datetime | None] = {}
    done: set[int] = set()
    next_in_order = 0
    in_flight = 0
    error: BaseException | None = None

    def collect() -> None:
        nonlocal in_flight, next_in_order, error
        index, batch, result, issues, exc = outbox.get()
        in_flight -= 1
        if exc is not None:
            error = error or exc
            return
        done.add(index)
        while next_in_order in done:
            _move_items_cursor(ctx.connection, stamps.pop(next_in_order))
            next_in_order += 1
        _batch_done(ctx, connector, batch, result, issues, totals, progress)

    try:
        for index, batch in enumerate(batches):
            while in_flight >= writers and error is None:
                collect()
            if error is not None:
                break
            stamps[index] = _last_change(batch)
            inbox.put((index, batch))
            in_flight += 1
    except BaseException as exc:  # the ERP failed mid-run: what was sent still finishes
        error = exc
    finally:
        batches.close()  # stops the prefetching thread when the run ends early
        while in_flight:
            collect()
        for _thread in threads:
            inbox.put(None)
        for thread in threads:
            thread.join()
    if error is not None:
        raise error


def write_batches(ctx: Context, connector: Connector, batches: Generator[list[ErpItem], None, None],
                  totals: BatchResult, progress: Callable[[int], None] | None) -> None:
    """Apply every batch, each in its own transaction."""
    # Writers on connections of their own commit batches on their own, which a run inside a
    # transaction (a dry run, a test) cannot: it writes them one after the other on its own.
    writers = 1 if db.in_atomic_block else max(settings.ERP_SYNC_WRITERS, 1)
    if writers == 1:
        for batch in batches:
            issues: list[Issue] = []
            with transaction.atomic():
                _fast_commit()
                result = apply_items(ctx, batch, issues)
                _move_items_cursor(ctx.connection, _last_change(batch))
            _batch_done(ctx, connector, batch, result, issues, totals, progress)
    else:
        _write_in_parallel(ctx, connector, batches, writers, totals, progress)
