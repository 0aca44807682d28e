"""CSV and XLSX members: the template's columns, Belgian Excel's CSV, bad rows, archiving."""

from __future__ import annotations

from decimal import Decimal

import pytest
from openpyxl import Workbook

from plugins.erp_sync.connectors.base import ConnectorError
from plugins.erp_sync.connectors.file import FileConnector
from plugins.erp_sync.models import CategoryMapping, ConnectionKind, ErpConnection, ItemLink, SyncRunStatus
from plugins.erp_sync.sync import run_sync
from saleor_ext.product.models import Product, ProductChannelListing, ProductMedia, ProductVariantChannelListing
from saleor_ext.warehouse.models import Stock

HEADER = "reference;name;price;quantity;category;description;weight_kg;barcode;sku;grade;condition_notes;" \
         "image_urls;online;active"


@pytest.fixture
def file_connection(vendor, warehouse, media_root, bikes):
    connection = ErpConnection.objects.create(vendor=vendor, kind=ConnectionKind.FILE)
    CategoryMapping.objects.create(connection=connection, erp_ref="Vélos de ville", category=bikes)
    return connection


def write(tmp_path, name: str, text: str, encoding: str = "utf-8-sig"):
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path


def item(connection, ref) -> Product:
    return ItemLink.objects.get(connection=connection, erp_ref=ref).product


def price(product) -> Decimal:
    return ProductVariantChannelListing.objects.get(variant=product.default_variant,
                                                    channel__slug="marketplace").price_amount


def test_belgian_excel_csv_with_semicolons_decimal_commas_and_photos(file_connection, tmp_path, photo_server, bikes):
    base = photo_server.base
    path = write(tmp_path, "stock.csv", "\n".join([
        HEADER,
        f"V-001;Vélo Gazelle;249,00;1;Vélos de ville;Révisé;17,5;5412345678901;;tres-bon;Selle neuve;"
        f"{base}/red.png|{base}/blue.png;oui;oui",
        f"V-002;Vélo pliant;1.234,50;2;Vélos de ville;;;;;;;{base}/red.png;;",
        '"V-003";"Table; chêne";"12,50";"0";;"Belle ""patine""";;;;;;;non;',
    ]))
    file_connection.file_path = str(path)
    file_connection.save()

    run = run_sync(file_connection)

    assert run.status == SyncRunStatus.SUCCEEDED, run.error
    assert (run.seen, run.created, run.rejected) == (3, 3, 0)
    assert run.total == 3  # the progress the back-office shows: seen of total
    bike = item(file_connection, "V-001")
    assert (bike.name, bike.category, bike.weight, price(bike)) == ("Vélo Gazelle", bikes, 17.5, Decimal("249.00"))
    assert bike.default_variant.grading.grade.code == "tres-bon"
    assert price(item(file_connection, "V-002")) == Decimal("1234.50")
    assert Stock.objects.get(product_variant=item(file_connection, "V-002").default_variant).quantity == 2
    table = item(file_connection, "V-003")
    assert table.name == "Table; chêne" and table.description_plaintext == 'Belle "patine"'
    assert not ProductChannelListing.objects.get(product=table, channel__slug="marketplace").is_published
    # Two photos for the first bike, one for the second; the red one downloaded and stored once.
    assert ProductMedia.objects.filter(product=bike).count() == 2
    assert ProductMedia.objects.filter(product=item(file_connection, "V-002")).count() == 1
    assert len(set(ProductMedia.objects.values_list("image", flat=True))) == 2
    assert sorted(photo_server.hits) == ["/blue.png", "/red.png", "/red.png"]

    # The same file again: nothing downloaded, nothing written.
    again = run_sync(file_connection)
    assert (again.created, again.updated) == (0, 0)
    assert len(photo_server.hits) == 3


def test_bad_rows_are_each_reported_with_their_line_and_none_is_half_imported(file_connection, tmp_path):
    path = write(tmp_path, "stock.csv", "\n".join([
        "reference,name,price,quantity,online",
        "A1,Chaise,15.00,1,yes",
        "A2,Fauteuil,abc,1,yes",
        "A3,,5,1,yes",
        "A4,Lampe,8,-1,yes",
        "A1,Chaise bis,15,1,yes",
        "A5,Miroir,20,1,peut-être",
        ",Sans référence,3,1,",
        "A6,Commode,80,1,",
    ]), encoding="utf-8")
    file_connection.file_path = str(path)
    file_connection.save()

    run = run_sync(file_connection)

    assert run.status == SyncRunStatus.SUCCEEDED
    assert (run.created, run.rejected) == (2, 6)
    issues = {issue.row_number: issue.reason for issue in run.issues.filter(rejected=True)}
    assert set(issues) == {3, 4, 5, 6, 7, 8}
    assert "price" in issues[3] and "name" in issues[4] and "quantity" in issues[5]
    assert "earlier line" in issues[6] and "online" in issues[7] and "reference" in issues[8]
    assert set(ItemLink.objects.values_list("erp_ref", flat=True)) == {"A1", "A6"}
    assert Product.objects.get(erp_links__erp_ref="A1").name == "Chaise"


def test_xlsx_file_is_imported_like_a_csv(file_connection, tmp_path, bikes):
    book = Workbook()
    sheet = book.active
    sheet.append(["Reference", "Name", "Price", "Quantity", "Category", "Online"])
    sheet.append(["X-1", "Vélo cargo", 1450.5, 1, "Vélos de ville", "ja"])
    sheet.append([1002, "Panier", 12, 3, None, None])
    sheet.append(["X-3", "Sacoche", "douze", 1, None, None])
    path = tmp_path / "stock.xlsx"
    book.save(path)
    file_connection.file_path = str(path)
    file_connection.save()

    run = run_sync(file_connection)

    assert (run.created, run.rejected) == (2, 1)
    cargo = item(file_connection, "X-1")
    assert (cargo.category, price(cargo)) == (bikes, Decimal("1450.50"))
    assert price(item(file_connection, "1002")) == Decimal("12.00")
    assert run.issues.get().row_number == 4


def test_items_missing_from_a_new_file_are_archived_but_not_rows_rejected_this_time(file_connection, tmp_path):
    path = write(tmp_path, "stock.csv", "reference;name;price;quantity\nA1;Chaise;15;1\nA2;Table;40;1\nA3;Lit;60;1")
    file_connection.file_path = str(path)
    file_connection.save()
    run_sync(file_connection)
    write(tmp_path, "stock.csv", "reference;name;price;quantity\nA1;Chaise;15;2\nA3;Lit;soixante;1")

    run = run_sync(file_connection)

    assert run.archived == 1
    assert ItemLink.objects.get(erp_ref="A2").archived
    assert not ItemLink.objects.get(erp_ref="A3").archived  # its row was bad, not removed
    assert Stock.objects.get(product_variant=item(file_connection, "A1").default_variant).quantity == 2
    assert Stock.objects.get(product_variant=item(file_connection, "A2").default_variant).quantity == 0


def test_a_file_without_the_required_columns_is_refused_whole(tmp_path):
    path = write(tmp_path, "stock.csv", "ref;titre\nA1;Chaise")
    with pytest.raises(ConnectorError, match="name, price"):
        list(FileConnector(path).items(changed_since=None, batch_size=10))
