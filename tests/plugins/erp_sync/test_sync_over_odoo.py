"""The whole sync against the Odoo protocol test server over HTTP (JSON-2 and XML-RPC): a first
import in batches, the server failing mid-run, an item sold at the shop's till, an item archived
in Odoo. The engine's own cases run against an in-memory ERP in test_sync.py; here the real
connectors, the batch prefetching and the stock pull meet a server that answers as Odoo does."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from plugins.erp_sync.connectors import connector_for
from plugins.erp_sync.models import ConnectionKind, ErpConnection, ItemLink, SyncRunStatus
from plugins.erp_sync.sync import run_sync
from saleor_ext.product.models import Product, ProductChannelListing, ProductMedia, ProductVariant
from saleor_ext.warehouse.models import Stock

ITEMS = 45
KEY = "c" * 40
PASSWORD = "till-2024"


@pytest.fixture(params=["json2", "xmlrpc"])
def member(request, odoo_sim, vendor, warehouse, media_root):
    """A fresh member database (Odoo 19 over JSON-2, or Odoo 17 over XML-RPC) and its connection."""
    name = re.sub(r"\W", "_", request.node.name)[:55]
    if request.param == "json2":
        db = odoo_sim.add_database(name, version=19, items=ITEMS, seed=21)
        db.add_api_key(db.add_user("bot", PASSWORD), KEY, expires=datetime.now(UTC) + timedelta(days=60))
        connection = ErpConnection(vendor=vendor, kind=ConnectionKind.ODOO_JSON2, url=odoo_sim.url_of(name),
                                   database=name, warehouse=warehouse)
        connection.set_secret(KEY)
    else:
        db = odoo_sim.add_database(name, version=17, items=ITEMS, seed=21)
        db.add_user("bot", PASSWORD)
        connection = ErpConnection(vendor=vendor, kind=ConnectionKind.ODOO_XMLRPC, url=odoo_sim.url_of(name),
                                   database=name, login="bot", warehouse=warehouse)
        connection.set_secret(PASSWORD)
    connection.save()
    return db, connection


def erp_item_refs(connection: ErpConnection) -> set[str]:
    """What the member's Odoo lists, read with the real client as a check independent of the engine."""
    return {item.ref for batch in connector_for(connection).items(changed_since=None, batch_size=500)
            for item in batch}


def whole_items(vendor) -> tuple[int, int, int, int]:
    """Products, their links, stock rows and listings of the shop: equal when nothing is half applied."""
    products = Product.objects.filter(vendor=vendor)
    return (products.count(), ItemLink.objects.filter(product__vendor=vendor).count(),
            Stock.objects.filter(product_variant__product__vendor=vendor).count(),
            ProductChannelListing.objects.filter(product__vendor=vendor).values("product").distinct().count())


def test_a_first_import_in_batches_brings_every_item_with_its_stock_and_photos(member, vendor):
    db, connection = member

    run = run_sync(connection, full=True, batch_size=10)

    assert run.status == SyncRunStatus.SUCCEEDED, run.error
    refs = erp_item_refs(connection)
    assert run.total == run.seen == len(refs) == run.created
    assert set(ItemLink.objects.filter(connection=connection).values_list("erp_ref", flat=True)) == refs
    assert len(set(whole_items(vendor))) == 1
    stocked = {ref for ref, quantity in connector_for(connection).stock_levels().items() if quantity > 0}
    in_stock = set(Stock.objects.filter(product_variant__product__vendor=vendor, quantity__gt=0)
                   .values_list("product_variant__erp_links__erp_ref", flat=True))
    # Items not for sale (Odoo's sale_ok off, archived) are kept offline with no stock to sell.
    offline = set(ItemLink.objects.filter(connection=connection, archived=True).values_list("erp_ref", flat=True))
    assert in_stock == stocked - offline and in_stock
    with_photo = {item.ref for batch in connector_for(connection).items(changed_since=None, batch_size=500)
                  for item in batch if item.images}
    media = ProductMedia.objects.filter(product__vendor=vendor)
    assert media.count() == len(with_photo) > 0
    # A photo several items share is one file.
    assert len(set(media.values_list("image", flat=True))) < len(with_photo)


def test_the_server_failing_mid_run_leaves_whole_batches_and_the_next_run_recovers(member, vendor):
    db, connection = member

    def break_the_server(_items: int) -> None:
        db.fail(10_000, status=503)  # from the first committed batch on, every call fails

    failed = run_sync(connection, full=True, batch_size=10, progress=break_the_server)

    assert failed.status == SyncRunStatus.FAILED
    assert "Server Error" in failed.error  # what the server said, kept on the run
    links = ItemLink.objects.filter(connection=connection).count()
    assert 10 <= links < ITEMS and links % 10 == 0  # whole batches only
    assert len(set(whole_items(vendor))) == 1
    connection.refresh_from_db()
    assert connection.items_cursor is not None and connection.last_success_at is None

    db.fail(0)
    recovered = run_sync(connection)

    assert recovered.status == SyncRunStatus.SUCCEEDED, recovered.error
    assert set(ItemLink.objects.filter(connection=connection).values_list("erp_ref", flat=True)) == \
        erp_item_refs(connection)
    assert len(set(whole_items(vendor))) == 1


def test_an_item_sold_at_the_till_and_one_archived_in_odoo_follow_at_the_next_run(member, vendor):
    db, connection = member
    assert run_sync(connection, full=True).status == SyncRunStatus.SUCCEEDED
    sold = db.sell_in_shop(cleanup=False)  # its quant goes to zero (a stock change); its write_date stays
    [archived_template] = db.change_items("archive", 1, seed=3)
    [archived] = [p["id"] for p in db.records["product.product"].values()
                  if p["product_tmpl_id"] == archived_template]

    run = run_sync(connection)

    assert run.status == SyncRunStatus.SUCCEEDED, run.error
    assert run.kind == "incremental"
    sold_link = ItemLink.objects.get(connection=connection, erp_ref=str(sold))
    assert Stock.objects.get(product_variant_id=sold_link.variant_id).quantity == 0
    archived_link = ItemLink.objects.get(connection=connection, erp_ref=str(archived))
    assert archived_link.archived
    assert not ProductChannelListing.objects.filter(product_id=archived_link.product_id, is_published=True).exists()
    assert Stock.objects.get(product_variant_id=archived_link.variant_id).quantity == 0


def test_an_item_whose_quant_odoo_deleted_goes_at_the_next_full_stock_read(member, settings):
    db, connection = member
    assert run_sync(connection, full=True).status == SyncRunStatus.SUCCEEDED
    sold = db.sell_in_shop(cleanup=True)  # sold out and its quant deleted before our next run
    link = ItemLink.objects.get(connection=connection, erp_ref=str(sold))

    run_sync(connection)  # within ERP_FULL_RECONCILIATION_MINUTES: no stock change to see
    assert Stock.objects.get(product_variant_id=link.variant_id).quantity == 1

    settings.ERP_FULL_RECONCILIATION_MINUTES = 0  # the period has passed
    run = run_sync(connection)

    assert run.status == SyncRunStatus.SUCCEEDED, run.error
    assert Stock.objects.get(product_variant_id=link.variant_id).quantity == 0


@pytest.mark.django_db(transaction=True)
def test_batches_written_at_once_on_several_connections_stay_whole_and_in_order(odoo_sim, vendor, warehouse, media_root,
                                                                                settings, request):
    """Outside a test's transaction a run writes two batches at once (ERP_SYNC_WRITERS): two items
    sharing a SKU in different batches still get one each, a failure mid-run leaves whole batches
    and a cursor that skips nothing, and the next run completes the import."""
    settings.ERP_SYNC_WRITERS = 2
    db = odoo_sim.add_database(re.sub(r"\W", "_", request.node.name)[:55], version=19, items=60, seed=23)
    db.add_api_key(db.add_user("bot", PASSWORD), KEY, expires=datetime.now(UTC) + timedelta(days=60))
    products = sorted(db.records["product.product"])
    db.call(2, "product.product", "write", ids=[products[0], products[-1]], kwargs={"vals": {"default_code": "SAME"}})
    connection = ErpConnection(vendor=vendor, kind=ConnectionKind.ODOO_JSON2, url=odoo_sim.url_of(db.name),
                               database=db.name, warehouse=warehouse)
    connection.set_secret(KEY)
    connection.save()
    everything = erp_item_refs(connection)

    def break_the_server(_items: int) -> None:
        if ItemLink.objects.filter(connection=connection).count() >= 20:
            db.fail(10_000, status=503)

    failed = run_sync(connection, full=True, batch_size=5, progress=break_the_server)

    assert failed.status == SyncRunStatus.FAILED
    links = ItemLink.objects.filter(connection=connection)
    linked = set(links.values_list("erp_ref", flat=True))
    assert len(linked) % 5 == 0 and 20 <= len(linked) < len(everything)
    assert len(set(whole_items(vendor))) == 1
    connection.refresh_from_db()
    cursor = connection.items_cursor.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")
    # Batches may commit out of order, the cursor never passes an item that is not in.
    changed_before = {str(p["id"]) for p in db.records["product.product"].values()
                      if str(p["id"]) in everything and p["write_date"] < cursor}
    assert changed_before <= linked

    db.fail(0)
    run = run_sync(connection, batch_size=5)

    assert run.status == SyncRunStatus.SUCCEEDED, run.error
    assert set(links.values_list("erp_ref", flat=True)) == everything
    assert len(set(whole_items(vendor))) == 1
    skus = list(ProductVariant.objects.filter(vendor=vendor).values_list("sku", flat=True))
    assert skus.count("SAME") == 1 and len(skus) == len(set(skus))
