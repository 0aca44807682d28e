"""The ERP sync benchmarks, run by ``bench/run.py`` in a subprocess pointed at a database of its own.

``sync_full``: a member's Odoo 19 (the Odoo protocol test server, over HTTP with the JSON-2
connector) holds BENCH_SYNC_ITEMS items (default 100 000); the first full import into an empty
marketplace, in items per second. ``sync_incremental_1pct``: then 1 % of its items change
(prices) and one incremental run brings them over, in seconds. Prints one JSON line per result.

    EMBEDDED_DB_NAME=bench_sync .venv/bin/python bench/sync.py   (after migrate + load_storefront_config)
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")

API_KEY = "b" * 40
DATABASE = "bench_member"


def log(message: str) -> None:
    print(f"[bench sync] {message}", file=sys.stderr, flush=True)


def main() -> int:
    import django

    django.setup()
    from plugins.erp_sync.models import ConnectionKind, ErpConnection, SyncRunStatus
    from plugins.erp_sync.sync import run_sync
    from saleor_ext.vendor.models import Vendor
    from saleor_ext.vendor.services import vendor_create
    from simulators.odoo import OdooSimulator

    items = int(os.environ.get("BENCH_SYNC_ITEMS", "100000"))
    with OdooSimulator() as simulator:
        started = time.perf_counter()
        member = simulator.add_database(DATABASE, version=19, items=items, seed=11)
        member.add_api_key(member.add_user("marketplace-bot", "unused"), API_KEY)
        products = len(member.records["product.product"])
        log(f"Odoo test server: {items} items ({products} variants) generated in {time.perf_counter() - started:.1f} s")

        vendor = Vendor.objects.filter(slug="bench-odoo").first() or vendor_create(
            name="Ressourcerie Bench", slug="bench-odoo", status="active"
        )
        connection = ErpConnection(vendor=vendor, kind=ConnectionKind.ODOO_JSON2,
                                   url=simulator.url_of(DATABASE), database=DATABASE)
        connection.set_secret(API_KEY)
        connection.save()

        started = time.perf_counter()
        run = run_sync(connection, full=True)
        full_s = time.perf_counter() - started
        if run is None or run.status != SyncRunStatus.SUCCEEDED:
            log(f"full import failed: {run.error if run else 'locked'}")
            return 1
        log(f"full import: {run.seen} seen, {run.created} created in {full_s:.1f} s")
        print(json.dumps({"name": "sync_full", "items_per_s": round(run.seen / full_s, 1),
                          "items": run.seen, "seconds": round(full_s, 2)}), flush=True)

        changed = member.change_items("price", max(items // 100, 1), seed=5)
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
    return 0


if __name__ == "__main__":
    sys.exit(main())
