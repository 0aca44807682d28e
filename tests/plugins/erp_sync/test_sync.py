"""Pulling a member's ERP: first import, each kind of change, stock, archiving, failures."""

from __future__ import annotations

from decimal import Decimal

from plugins.erp_sync.connectors.base import ErpImage
from plugins.erp_sync.models import CategoryMapping, ItemLink, SyncRunStatus
from plugins.erp_sync.sync import run_sync
from plugins.grading.models import VariantGrade
from saleor_ext.core.rich_text import text_from_editorjs
from saleor_ext.product.models import (
    Category,
    Product,
    ProductChannelListing,
    ProductMedia,
    ProductVariantChannelListing,
)
from saleor_ext.warehouse.management import available_quantities
from saleor_ext.warehouse.models import Stock

from .conftest import png


def product_of(connection, ref) -> Product:
    return ItemLink.objects.get(connection=connection, erp_ref=ref).product


def price_in(product, channel_slug) -> Decimal:
    return ProductVariantChannelListing.objects.get(variant=product.default_variant,
                                                    channel__slug=channel_slug).price_amount


def published(product, channel_slug="marketplace") -> bool:
    return ProductChannelListing.objects.get(product=product, channel__slug=channel_slug).is_published


def quantity(product) -> int:
    return Stock.objects.get(product_variant=product.default_variant).quantity


def test_first_import_creates_items_with_prices_stock_category_grade_and_photos(erp, erp_connection, bikes,
                                                                                 marketplace):
    red = png("red")
    erp.put("B1", name="Vélo de ville Gazelle", price=Decimal("249.00"), category_ref="7", grade="tres-bon",
            condition_notes="Selle neuve", images=[ErpImage(data=red)], quantity=1, weight_kg=Decimal("17.5"))
    erp.put("B2", name="Vélo pliant", price=Decimal("180.50"), category_ref="7", images=[ErpImage(data=red)],
            quantity=2)
    erp.put("B3", name="Sonnette", price=Decimal("4.00"), category_ref="99", quantity=5)

    run = run_sync(erp_connection, full=True, connector=erp)

    assert run.status == SyncRunStatus.SUCCEEDED, run.error
    assert (run.seen, run.created, run.updated, run.rejected) == (3, 3, 0, 0)
    bike = product_of(erp_connection, "B1")
    assert bike.name == "Vélo de ville Gazelle"
    assert bike.category == bikes
    assert bike.weight == 17.5
    assert bike.default_variant.sku == "B1"
    assert price_in(bike, "marketplace") == Decimal("249.00")
    assert price_in(bike, "shop-recyclerie-centre") == Decimal("249.00")
    assert published(bike) and published(bike, "shop-recyclerie-centre")
    assert available_quantities([bike.default_variant_id], marketplace) == {bike.default_variant_id: 1}
    assert quantity(product_of(erp_connection, "B2")) == 2
    grade = VariantGrade.objects.get(variant=bike.default_variant)
    assert (grade.grade.code, grade.notes) == ("tres-bon", "Selle neuve")
    # The same photo on two items is one file, one media per item.
    media = ProductMedia.objects.filter(product__erp_links__connection=erp_connection)
    assert media.count() == 2
    assert len({m.image.name for m in media}) == 1
    # An unmapped ERP category: filed by default, listed for the vendor to map, reported.
    bell = product_of(erp_connection, "B3")
    assert bell.category == Category.objects.get(slug="a-classer")
    assert CategoryMapping.objects.filter(connection=erp_connection, erp_ref="99", category=None).exists()
    assert run.issues.filter(item_ref="B3", rejected=False, reason__contains="not mapped").exists()


def test_an_items_description_is_stored_escaped_and_reads_back_as_sent(erp, erp_connection, bikes):
    sent = "<script>alert(1)</script> Vélo & casque\n\nFreins & pneus neufs"
    erp.put("B1", name="Vélo", description=sent, quantity=1)
    run_sync(erp_connection, full=True, connector=erp)

    bike = product_of(erp_connection, "B1")
    assert [block["data"]["text"] for block in bike.description["blocks"]] == [
        "&lt;script&gt;alert(1)&lt;/script&gt; Vélo &amp; casque", "Freins &amp; pneus neufs"]
    assert text_from_editorjs(bike.description) == bike.description_plaintext == sent

    erp.put("B1", description="Révisé <b>&</b> garanti")  # a changed item goes through the same rule
    run_sync(erp_connection, connector=erp)
    bike.refresh_from_db()
    assert bike.description["blocks"][0]["data"]["text"] == "Révisé &lt;b&gt;&amp;&lt;/b&gt; garanti"


def test_incremental_run_applies_each_kind_of_change(erp, erp_connection, bikes, marketplace):
    erp.put("B1", name="Vélo", price=Decimal("100.00"), category_ref="7", images=[ErpImage(data=png("red"))],
            quantity=1)
    erp.put("B2", name="Casque", quantity=3)
    erp.put("B3", name="Pompe", quantity=1)
    erp.put("B4", name="Antivol", quantity=1)
    run_sync(erp_connection, full=True, connector=erp)

    erp.put("B1", price=Decimal("89.00"), description="Révisé", images=[ErpImage(data=png("blue"))])
    erp.put("B2", active=False)  # archived in the ERP
    erp.put("B3", online=False)  # taken off the web shop
    erp.set_stock("B4", 0)  # sold in the shop: only its stock moved
    erp.put("B5", name="Porte-bagages", quantity=2)  # new
    run = run_sync(erp_connection, connector=erp)

    assert run.status == SyncRunStatus.SUCCEEDED, run.error
    assert (run.created, run.updated, run.archived) == (1, 3, 2)
    bike = product_of(erp_connection, "B1")
    assert price_in(bike, "marketplace") == Decimal("89.00")
    assert bike.description_plaintext == "Révisé"
    assert ProductMedia.objects.filter(product=bike).count() == 1  # the old photo replaced
    for ref in ("B2", "B3"):
        item = product_of(erp_connection, ref)
        assert not published(item) and quantity(item) == 0
    assert quantity(product_of(erp_connection, "B4")) == 0
    assert quantity(product_of(erp_connection, "B5")) == 2
    assert published(product_of(erp_connection, "B5"))

    # Back online: published again with the ERP's stock.
    erp.put("B3", online=True)
    run_sync(erp_connection, connector=erp)
    assert published(product_of(erp_connection, "B3")) and quantity(product_of(erp_connection, "B3")) == 1


def test_items_sent_again_unchanged_cost_no_update(erp, erp_connection):
    erp.put("B1", quantity=1)
    run_sync(erp_connection, connector=erp)
    run = run_sync(erp_connection, full=True, connector=erp)
    assert (run.seen, run.created, run.updated) == (1, 0, 0)


def test_full_run_archives_items_deleted_in_the_erp_and_reconciles_vanished_stock(erp, erp_connection):
    erp.put("B1", quantity=1)
    erp.put("B2", quantity=4)
    run_sync(erp_connection, full=True, connector=erp)
    del erp.records["B1"]
    erp.stock.pop("B2")  # the quant vanished without a stock change being reported
    erp.stock_dates.clear()

    run = run_sync(erp_connection, full=True, connector=erp)

    assert run.archived == 1
    assert not published(product_of(erp_connection, "B1"))
    assert ItemLink.objects.get(erp_ref="B1").archived
    assert quantity(product_of(erp_connection, "B2")) == 0


def test_failure_mid_run_keeps_committed_batches_and_the_next_run_recovers(erp, erp_connection):
    for n in range(1, 6):
        erp.put(f"B{n}", quantity=1)
    erp.fail_after_batches = 1

    failed = run_sync(erp_connection, connector=erp, batch_size=2)

    assert failed.status == SyncRunStatus.FAILED
    assert "502" in failed.error
    assert ItemLink.objects.filter(connection=erp_connection).count() == 2
    erp_connection.refresh_from_db()
    assert erp_connection.items_cursor == erp.records["B2"].updated_at
    assert Product.objects.filter(erp_links__isnull=True, vendor=erp_connection.vendor).count() == 0

    erp.fail_after_batches = None
    run = run_sync(erp_connection, connector=erp, batch_size=2)

    assert run.status == SyncRunStatus.SUCCEEDED
    assert ItemLink.objects.filter(connection=erp_connection).count() == 5
    assert Product.objects.filter(vendor=erp_connection.vendor).count() == 5


def test_a_batch_failing_in_the_database_leaves_nothing_half_applied(erp, erp_connection):
    erp.put("B1", quantity=1)
    erp.put("B2", sku="s" * 300, quantity=1)  # longer than the SKU column: the batch's INSERT fails
    run = run_sync(erp_connection, connector=erp, batch_size=10)
    assert run.status == SyncRunStatus.FAILED
    assert not Product.objects.filter(vendor=erp_connection.vendor).exists()
    assert not ItemLink.objects.exists()
    erp.put("B2", sku="B2")
    assert run_sync(erp_connection, connector=erp).status == SyncRunStatus.SUCCEEDED
    assert Product.objects.filter(vendor=erp_connection.vendor).count() == 2


def test_existing_items_with_the_same_sku_are_adopted_not_duplicated(erp, erp_connection, marketplace, warehouse):
    from tests.factories import make_product

    existing = make_product(erp_connection.vendor, "Vélo saisi à la main", sku="B1", channel=marketplace,
                            warehouse=warehouse)
    erp.put("B1", name="Vélo Gazelle", price=Decimal("120.00"), quantity=1)
    run = run_sync(erp_connection, connector=erp)
    assert (run.created, run.updated) == (0, 1)
    existing.refresh_from_db()
    assert existing.name == "Vélo Gazelle"
    assert price_in(existing, "marketplace") == Decimal("120.00")
