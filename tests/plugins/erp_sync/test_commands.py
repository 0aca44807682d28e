"""The command-line importers, the schedule, and credentials at rest."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection as db

from plugins.erp_sync.connectors.file import FileConnector
from plugins.erp_sync.models import ConnectionKind, ErpConnection, ItemLink, SyncRun
from plugins.erp_sync.tasks import erp_sync_tick_task
from saleor_ext.product.models import Product

TEMPLATES = Path(__file__).resolve().parents[3] / "plugins" / "erp_sync" / "templates"
CSV = "reference;name;price;quantity\nA1;Chaise;15,00;1\nA2;Table;quarante;1\nA3;Lit;60;1\n"


def call(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out, verbosity=0)
    return out.getvalue()


def test_the_sample_files_import_without_rejections():
    for name in ("erp_import_template.csv", "erp_import_template.xlsx"):
        connector = FileConnector(TEMPLATES / name)
        assert connector.total_rows == 5 and connector.rejected == [], name
        items = {item.ref: item for batch in connector.items(changed_since=None, batch_size=10) for item in batch}
        assert str(items["V-0001"].price) == "249.00" and len(items["V-0001"].images) == 2
        assert not items["V-0005"].active and not items["V-0004"].online


def test_import_items_dry_run_changes_nothing(vendor, warehouse, tmp_path, media_root):
    path = tmp_path / "stock.csv"
    path.write_text(CSV, encoding="utf-8")

    out = call("import_items", str(path), "--vendor", vendor.slug, "--dry-run")

    assert "Dry run" in out and "2 created" in out and "1 rejected" in out
    assert "line 3 (A2): price" in out
    assert not Product.objects.exists()
    assert not ErpConnection.objects.exists() and not SyncRun.objects.exists()
    assert not (tmp_path / "stock.rejected.csv").exists()


def test_import_items_imports_and_writes_the_rejected_lines_next_to_the_file(vendor, warehouse, tmp_path,
                                                                             media_root):
    path = tmp_path / "stock.csv"
    path.write_text(CSV, encoding="utf-8")

    out = call("import_items", str(path), "--vendor", vendor.slug)

    assert "2 created" in out
    assert set(ItemLink.objects.values_list("erp_ref", flat=True)) == {"A1", "A3"}
    report = (tmp_path / "stock.rejected.csv").read_text(encoding="utf-8-sig")
    assert report.splitlines()[0] == "line;reference;reason"
    assert report.splitlines()[1].startswith("3;A2;price")
    assert ErpConnection.objects.get(vendor=vendor).kind == ConnectionKind.FILE


def test_import_items_refuses_an_unknown_shop(tmp_path, db):
    path = tmp_path / "stock.csv"
    path.write_text(CSV, encoding="utf-8")
    with pytest.raises(CommandError, match="No member shop"):
        call("import_items", str(path), "--vendor", "nowhere")


def test_sync_vendor_runs_the_members_sync(vendor, warehouse, tmp_path, media_root):
    path = tmp_path / "stock.csv"
    path.write_text(CSV, encoding="utf-8")
    ErpConnection.objects.create(vendor=vendor, kind=ConnectionKind.FILE, file_path=str(path))

    out = call("sync_vendor", vendor.slug, "--full")

    assert "file sync of" in out and "succeeded" in out and "2 created" in out
    with pytest.raises(CommandError, match="No ERP connection"):
        call("sync_vendor", "nowhere")


def test_the_tick_runs_only_the_members_whose_interval_passed(vendor, warehouse, tmp_path, media_root):
    path = tmp_path / "stock.csv"
    path.write_text(CSV, encoding="utf-8")
    ErpConnection.objects.create(vendor=vendor, kind=ConnectionKind.FILE, file_path=str(path), interval_minutes=5)

    assert erp_sync_tick_task() == {"syncs": 1, "pushes": 0}
    assert Product.objects.count() == 2
    assert erp_sync_tick_task() == {"syncs": 0, "pushes": 0}  # not due again for 5 minutes
    assert SyncRun.objects.count() == 1


def test_the_api_key_is_stored_encrypted_and_never_shown(vendor):
    connection = ErpConnection(vendor=vendor, kind=ConnectionKind.ODOO_JSON2, url="https://odoo.example",
                               database="shop")
    connection.set_secret("0123456789abcdef-plain-api-key")
    connection.save()

    with db.cursor() as cursor:
        cursor.execute("SELECT secret_encrypted FROM erp_sync_erpconnection WHERE id = %s", [connection.pk])
        stored = cursor.fetchone()[0]
    assert "plain-api-key" not in stored and stored
    assert ErpConnection.objects.get(pk=connection.pk).secret == "0123456789abcdef-plain-api-key"
    assert connection.secret_status.startswith("set on ")
