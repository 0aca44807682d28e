"""The demo's three member back-offices, so that `make demo` shows items arriving by sync.

- La Recyclerie du Centre runs Odoo 19: the JSON-2 API with an API key (``recyclerie19``);
- Kringwinkel De Schakel runs Odoo 17: XML-RPC with a login and password (``kringwinkel17``);
- Bouquinerie Le Fil has no ERP: a CSV file in the import template's format, under ``var/``.

Both Odoo databases live on the Odoo protocol test server (``simulators/odoo/``) that
``demo_server`` starts on a fixed port, so the connections stored here stay valid across restarts.
``sync_due`` is what Celery beat's tick does in production: every connection whose interval has
passed is synced, and pushes of online sales waiting for a retry are sent.
"""

from __future__ import annotations

import csv
import logging
import random
from pathlib import Path

from django.conf import settings

from plugins.erp_sync import services as erp_services
from plugins.erp_sync.models import ConnectionKind, ErpConnection
from plugins.erp_sync.sync import due_connections, run_sync
from saleor_ext.vendor.models import Vendor, VendorStatus
from saleor_ext.vendor.services import vendor_create
from simulators.odoo import DEMO_JSON2_KEY, DEMO_XMLRPC_PASSWORD
from simulators.odoo import catalogue as odoo_data

logger = logging.getLogger(__name__)

# A member's items reach the marketplace within this many minutes (the default is 5).
DEMO_INTERVAL_MINUTES = 1
CSV_ITEMS = 40


def csv_path() -> Path:
    return Path(settings.VAR_DIR) / "demo-erp" / "bouquinerie-le-fil.csv"


def write_demo_csv(path: Path, items: int = CSV_ITEMS, seed: int = 5) -> Path:
    """The file member's stock list, in the import template's columns (no photos: the demo is offline)."""
    rng = random.Random(seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    columns = ["reference", "name", "price", "quantity", "category", "description", "weight_kg", "online", "active"]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(columns)
        for number in range(1, items + 1):
            kind = rng.choice(odoo_data.KINDS)
            price = f"{odoo_data.price(rng, *kind.price):.2f}".replace(".", ",")
            weight = f"{rng.uniform(*kind.weight):.2f}".replace(".", ",")
            writer.writerow([
                f"BLF-{number:04d}", odoo_data.item_name(rng, kind, "fr"), price, 1, kind.fr,
                odoo_data.description(rng, "fr"), weight, "oui", "oui",
            ])
    return path


def _vendor(slug: str, name: str) -> Vendor:
    return Vendor.objects.filter(slug=slug).first() or vendor_create(
        name=name, slug=slug, status=VendorStatus.ACTIVE, email=f"contact@{slug}.example"
    )


def ensure_demo_connections(odoo_url: str) -> list[ErpConnection]:
    """The three members and their connections, created once and pointed at ``odoo_url``."""
    members = [
        ("la-recyclerie-du-centre", "La Recyclerie du Centre", {
            "kind": ConnectionKind.ODOO_JSON2, "url": f"{odoo_url}/_db/recyclerie19", "database": "recyclerie19",
            "login": "marketplace-bot"}, DEMO_JSON2_KEY),
        ("kringwinkel-de-schakel", "Kringwinkel De Schakel", {
            "kind": ConnectionKind.ODOO_XMLRPC, "url": f"{odoo_url}/_db/kringwinkel17", "database": "kringwinkel17",
            "login": "marketplace"}, DEMO_XMLRPC_PASSWORD),
        ("bouquinerie-le-fil", "Bouquinerie Le Fil", {
            "kind": ConnectionKind.FILE, "file_path": str(csv_path())}, ""),
    ]
    if not csv_path().exists():
        write_demo_csv(csv_path())
    connections = []
    for slug, name, fields, secret in members:
        vendor = _vendor(slug, name)
        connection = ErpConnection.objects.filter(vendor=vendor).first() or ErpConnection(vendor=vendor)
        for field, value in {**fields, "interval_minutes": DEMO_INTERVAL_MINUTES, "enabled": True}.items():
            setattr(connection, field, value)
        if secret and connection.secret != secret:
            connection.set_secret(secret)
        connection.save()
        connections.append(connection)
    return connections


def sync_due() -> list[str]:
    """Sync the connections that are due and retry due pushes; one line per run for the console."""
    lines = []
    for pk in due_connections():
        connection = ErpConnection.objects.select_related("vendor").get(pk=pk)
        run = run_sync(connection)
        if run is not None:
            lines.append(
                f"{connection.vendor.name}: {run.status}, {run.seen} seen, {run.created} new, {run.updated} changed,"
                f" {run.archived} archived{', ' + run.error if run.error else ''}"
            )
    for job_id in erp_services.due_push_jobs():
        erp_services.run_push_job(job_id)
    return lines
