"""The sync engine: applies what a member's connector reports to the marketplace's catalogue.

``run_sync(connection, full=False)`` is the one entry point (the Celery task, ``sync_vendor`` and
``import_items`` call it). It:

1. takes the connection's PostgreSQL advisory lock (``lock.py``): a second run for the same
   member while one is going returns ``None`` at once and records nothing;
2. pulls ``connector.items(changed_since=cursor − overlap)`` in batches (``batches.py``) and
   applies each batch in ONE transaction with set-based writes (``items.py``: COPY for new items,
   bulk updates for changed ones; an item sent again unchanged costs no write, thanks to its
   fingerprint; photos in ``images.py``); the next batch is fetched meanwhile, and
   ``ERP_SYNC_WRITERS`` batches are written at once on their own connections (one after the
   other, cursor in the batch's transaction, when the run is inside a transaction: dry runs,
   tests). The items cursor only ever covers committed batches: a failure rolls back the batch
   only, the run is recorded failed and the next run starts again from the last batch committed
   without a gap;
3. applies stock (``stock.py``, which states the stock rule): the items' own quantities (files),
   ``stock_changes`` since the stock cursor, levels of the items it just created, and, on full
   runs or every ``ERP_FULL_RECONCILIATION_MINUTES``, ``stock_levels()`` for all (items the ERP
   leaves out have none: Odoo deletes empty quants);
4. on full runs (and every file import) archives what the ERP no longer lists.

The run itself is ``engine.py``; what it reads once is ``context.py``; the ERP's categories and
the vendor's mapping of them ``categories.py``.
"""

from .categories import record_new_categories
from .engine import due_connections, run_sync
from .lock import connection_lock

__all__ = ["connection_lock", "due_connections", "record_new_categories", "run_sync"]
