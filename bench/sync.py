"""The ERP sync benchmarks, run by ``bench/run.py`` in a subprocess pointed at a database of its own.

``sync_full``: a member's Odoo 19 (the Odoo protocol test server, in a process of its own as a
member's Odoo is another machine, spoken to over HTTP with the JSON-2 connector) holds
BENCH_SYNC_ITEMS items (default 100 000); the first full import into an empty marketplace, in
items per second. ``sync_incremental_1pct``: then 1 % of its items change (prices) and one
incremental run brings them over, in seconds. Prints one JSON line per result.

Background work goes to the Celery broker as in production when ``CELERY_BROKER_URL`` is set
(bench/run.py sets its Redis queue): the run queues one search-index task for what it imported.
The time that indexing takes afterwards is measured too and reported on its own (``index_s``).

    EMBEDDED_DB_NAME=bench_sync .venv/bin/python bench/sync.py   (after migrate + load_storefront_config)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import requests

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")

DATABASE = "recyclerie19"


def log(message: str) -> None:
    print(f"[bench sync] {message}", file=sys.stderr, flush=True)


def start_simulator(items: int) -> tuple[subprocess.Popen, str]:
    """``python -m simulators.odoo`` serving the demo's Odoo 19 member with ``items`` items, on a
    port the system picks (the server prints its address first)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "simulators.odoo", "--port", "0", "--items", str(items), "--only", DATABASE],
        cwd=BASE_DIR, stdout=subprocess.PIPE, text=True,
    )
    first = process.stdout.readline() if process.stdout else ""
    if not first.startswith("ODOO_SIMULATOR_URL="):
        process.kill()
        raise RuntimeError(f"the Odoo test server did not start: {first!r}")
    return process, first.strip().split("=", 1)[1]


def main() -> int:
    import django

    django.setup()
    from plugins.erp_sync.models import ConnectionKind, ErpConnection, SyncRunStatus
    from plugins.erp_sync.sync import run_sync
    from saleor_ext.product.models import Product
    from saleor_ext.product.search import update_products_search_vector
    from saleor_ext.vendor.models import Vendor
    from saleor_ext.vendor.services import vendor_create
    from simulators.odoo import DEMO_JSON2_KEY

    items = int(os.environ.get("BENCH_SYNC_ITEMS", "100000"))
    started = time.perf_counter()
    simulator, url = start_simulator(items)
    try:
        log(f"Odoo test server (own process): {items} items generated in {time.perf_counter() - started:.1f} s")
        vendor = Vendor.objects.filter(slug="bench-odoo").first() or vendor_create(
            name="Ressourcerie Bench", slug="bench-odoo", status="active"
        )
        connection = ErpConnection(vendor=vendor, kind=ConnectionKind.ODOO_JSON2, url=url, database=DATABASE)
        connection.set_secret(DEMO_JSON2_KEY)
        connection.save()

        started = time.perf_counter()
        run = run_sync(connection, full=True)
        full_s = time.perf_counter() - started
        if run is None or run.status != SyncRunStatus.SUCCEEDED:
            log(f"full import failed: {run.error if run else 'locked'}")
            return 1
        log(f"full import: {run.seen} seen, {run.created} created in {full_s:.1f} s")
        # What the queued search-index task then does (a Celery worker's work, off the run).
        started = time.perf_counter()
        dirty = list(Product.objects.filter(search_index_dirty=True).values_list("pk", flat=True))
        indexed = update_products_search_vector(dirty)
        index_s = time.perf_counter() - started
        log(f"search index of {indexed} products afterwards: {index_s:.1f} s")
        print(json.dumps({"name": "sync_full", "items_per_s": round(run.seen / full_s, 1), "items": run.seen,
                          "seconds": round(full_s, 2), "index_s": round(index_s, 2)}), flush=True)

        response = requests.post(f"{url}/_sim/{DATABASE}/change", json={"kind": "price", "count": max(items // 100, 1),
                                                                         "seed": 5}, timeout=60)
        response.raise_for_status()
        changed = response.json()["template_ids"]
        started = time.perf_counter()
        run = run_sync(connection)
        incremental_s = time.perf_counter() - started
        if run is None or run.status != SyncRunStatus.SUCCEEDED:
            log(f"incremental sync failed: {run.error if run else 'locked'}")
            return 1
        log(f"incremental: {len(changed)} items changed, {run.seen} seen, {run.updated} updated "
            f"in {incremental_s:.2f} s")
        print(json.dumps({"name": "sync_incremental_1pct", "seconds": round(incremental_s, 2),
                          "changed": len(changed), "updated": run.updated}), flush=True)
    finally:
        simulator.terminate()
        simulator.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
