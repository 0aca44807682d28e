"""The ERP sync's buttons in the back-office, against the Odoo protocol test server over HTTP:
test connection, load categories, first import and sync now with progress, a file upload with
bad lines, health and warnings, push retries, conflict resolution, and scoping of every new door.

Most imports run inside the request (setting ``ERP_SYNC_INLINE``): the background thread has a
database connection of its own, which cannot see a test's uncommitted rows. One transactional
test presses "Sync now" for real, with the thread, and follows the run page while it refreshes.
"""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from plugins.erp_sync import backoffice, services
from plugins.erp_sync.models import (
    CategoryMapping,
    ConflictResolution,
    ConnectionKind,
    ErpConflict,
    ErpConnection,
    ItemLink,
    SalePushJob,
    SalePushStatus,
    SyncRun,
    SyncRunIssue,
    SyncRunStatus,
)
from saleor_ext.warehouse.models import Stock
from tests.admin.conftest import logged_in
from tests.admin.forms import page_form_data
from tests.factories import make_category
from tests.order.factories import Part, line_of, make_order, vendor_order_of

KEY = "0123456789abcdef0123456789abcdef01234567"
PASSWORD = "bot-secret"
ITEMS = 12
CONNECTIONS = "/dashboard/erp_sync/erpconnection/"


@pytest.fixture
def files(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path


@pytest.fixture
def inline_sync(settings):
    settings.ERP_SYNC_INLINE = True


def odoo_database(odoo_sim, request, *, key_days: int = 60):
    """A fresh Odoo 19 database with a bot user and its API key, named after the test."""
    name = re.sub(r"\W", "_", request.node.name)[:50]
    db = odoo_sim.add_database(name, version=19, items=ITEMS, seed=5)
    bot = db.add_user("bot", PASSWORD, name="Marketplace bot")
    db.add_api_key(bot, KEY, expires=datetime.now(UTC) + timedelta(days=key_days))
    return db


def connect(shop, odoo_sim, db, *, secret: str = KEY) -> ErpConnection:
    connection = ErpConnection(vendor=shop.vendor, kind=ConnectionKind.ODOO_JSON2, url=odoo_sim.url_of(db.name),
                               database=db.name, warehouse=shop.warehouse)
    connection.set_secret(secret)
    connection.save()
    return connection


@pytest.fixture
def odoo(odoo_sim, request):
    return odoo_database(odoo_sim, request)


@pytest.fixture
def connection(shop_a, odoo_sim, odoo, files):
    return connect(shop_a, odoo_sim, odoo)


def page(connection: ErpConnection) -> str:
    return f"{CONNECTIONS}{connection.pk}/change/"


def button(connection: ErpConnection, name: str) -> str:
    return f"{CONNECTIONS}{connection.pk}/{name}/"


def shown(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


# -- from the vendor page to a connection ---------------------------------------------------------


def test_the_vendor_page_offers_to_set_up_the_sync_then_opens_it(shop_a, files):
    client = logged_in(shop_a.staff)
    vendor_page = f"/dashboard/vendor/vendor/{shop_a.vendor.pk}/change/"

    before = client.get(vendor_page).content.decode()
    assert f'href="{CONNECTIONS}add/?vendor={shop_a.vendor.pk}"' in before and "Set up an ERP sync" in before

    form = page_form_data(client.get(f"{CONNECTIONS}add/?vendor={shop_a.vendor.pk}"))
    form.update(kind=ConnectionKind.ODOO_XMLRPC, url="https://shop.example.org", database="shop", login="bot",
                secret=PASSWORD)
    created = client.post(f"{CONNECTIONS}add/", form)

    connection = ErpConnection.objects.get()
    assert created.status_code == 302
    assert connection.vendor == shop_a.vendor and connection.secret == PASSWORD
    after = client.get(vendor_page).content.decode()
    assert f'href="{page(connection)}"' in after and "Open its ERP sync" in after
    # Another "add" opens the shop's one connection instead of a form that could not be saved.
    assert client.get(f"{CONNECTIONS}add/").url == page(connection)


def test_the_connection_form_asks_for_what_the_chosen_kind_needs(shop_a, files):
    client = logged_in(shop_a.staff)
    form = page_form_data(client.get(f"{CONNECTIONS}add/"))

    form.update(kind=ConnectionKind.ODOO_JSON2, url="", database="", secret="")
    json2 = client.post(f"{CONNECTIONS}add/", form).context["adminform"].form.errors
    form.update(kind=ConnectionKind.ODOO_XMLRPC, url="https://shop.example.org", database="shop", login="",
                secret=PASSWORD)
    xmlrpc = client.post(f"{CONNECTIONS}add/", form).context["adminform"].form.errors
    form.update(kind=ConnectionKind.FILE, url="", database="", secret="",
                upload=SimpleUploadedFile("items.pdf", b"%PDF-1.4"))
    wrong_file = client.post(f"{CONNECTIONS}add/", form).context["adminform"].form.errors

    assert set(json2) == {"url", "database", "secret"} and "API key" in json2["secret"][0]
    assert set(xmlrpc) == {"login"}
    assert set(wrong_file) == {"upload"} and ".csv or .xlsx" in wrong_file["upload"][0]
    assert not ErpConnection.objects.exists()


# -- test connection ------------------------------------------------------------------------------


def test_test_connection_shows_the_server_and_user_and_keeps_the_keys_expiry(shop_a, odoo_sim, request, files):
    odoo = odoo_database(odoo_sim, request, key_days=5)
    connection = connect(shop_a, odoo_sim, odoo)
    client = logged_in(shop_a.staff)

    response = client.post(button(connection, "test-connection"), follow=True)

    connection.refresh_from_db()
    notes = shown(response)
    assert response.redirect_chain[-1][0] == page(connection)
    assert any("Connected to Odoo 19" in note and "Marketplace bot" in note for note in notes), notes
    assert any("expires on" in note for note in notes), notes
    assert connection.key_expires_at is not None and connection.pos_stock_mode == "real"
    # From now on the page itself warns (within 14 days of the expiry).
    assert any("API key stops working" in note for note in shown(client.get(page(connection))))


def test_a_point_of_sale_updating_stock_at_closing_is_reported_and_kept(connection, odoo, shop_a):
    odoo.set_pos_mode("closing")
    client = logged_in(shop_a.staff)

    response = client.post(button(connection, "test-connection"), follow=True)

    connection.refresh_from_db()
    assert connection.pos_stock_mode == "closing"
    assert any("session closes" in note for note in shown(response))
    again = client.get(page(connection))
    assert any("only when its session closes" in note for note in shown(again))
    assert "only when its session closes" in again.content.decode()  # in the health block too


def test_a_refused_key_or_an_unreachable_server_is_a_clear_message_not_a_500(shop_a, odoo_sim, odoo, files):
    connection = connect(shop_a, odoo_sim, odoo, secret="f" * 40)
    client = logged_in(shop_a.staff)

    refused = client.post(button(connection, "test-connection"), follow=True)
    ErpConnection.objects.filter(pk=connection.pk).update(url="http://127.0.0.1:9")
    unreachable = client.post(button(connection, "test-connection"), follow=True)

    assert refused.status_code == unreachable.status_code == 200
    assert [note for note in shown(refused) if note.startswith("Test connection failed:")], shown(refused)
    assert [note for note in shown(unreachable) if note.startswith("Test connection failed:")]
    assert client.get(button(connection, "test-connection")).status_code == 405  # a button, not a link


# -- categories -----------------------------------------------------------------------------------


def test_loading_categories_presets_the_marketplace_category_their_name_suggests(connection, odoo, shop_a):
    leaves = sorted(record["name"] for record in odoo.records["product.category"].values()
                    if record.get("parent_id") and record["name"] != "Saleable")
    ours = make_category(leaves[0])
    client = logged_in(shop_a.staff)

    response = client.post(button(connection, "load-categories"), follow=True)

    mappings = {m.erp_name.split("/")[-1].strip(): m for m in CategoryMapping.objects.filter(connection=connection)}
    assert set(leaves) <= set(mappings)
    assert mappings[leaves[0]].category == ours
    assert all(mappings[leaf].category is None for leaf in leaves[1:])
    assert any("1 of them with a suggested marketplace category" in note for note in shown(response)), shown(response)
    inline = response.content.decode()
    assert f'<option value="{ours.pk}" selected>' in inline
    assert inline.count("suggested: check it") == 1
    # Saving the page confirms the suggestions it showed.
    saved = client.post(page(connection), page_form_data(client.get(page(connection))))
    assert saved.status_code == 302
    assert "suggested: check it" not in client.get(page(connection)).content.decode()
    assert not CategoryMapping.objects.filter(connection=connection, suggested=True).exists()
    # A second press adds nothing and keeps the vendor's choices.
    CategoryMapping.objects.filter(pk=mappings[leaves[1]].pk).update(category=ours)
    client.post(button(connection, "load-categories"))
    assert CategoryMapping.objects.filter(connection=connection).count() == len(mappings)
    assert CategoryMapping.objects.get(pk=mappings[leaves[1]].pk).category == ours


# -- first import and sync now --------------------------------------------------------------------


def test_first_import_creates_the_items_and_the_run_page_shows_the_progress(connection, odoo, shop_a, inline_sync):
    client = logged_in(shop_a.staff)
    assert "First import" in client.get(page(connection)).content.decode()

    pressed = client.post(button(connection, "sync"), {"full": "1"})

    run = SyncRun.objects.get(connection=connection)
    assert pressed.url == f"/dashboard/erp_sync/syncrun/{run.pk}/change/"
    assert run.status == SyncRunStatus.SUCCEEDED and run.kind == "full", run.error
    assert ItemLink.objects.filter(connection=connection).count() == len(odoo.records["product.product"])
    run_page = client.get(pressed.url).content.decode()
    assert f"{run.seen} of {run.total} items" in run_page and run.total == len(odoo.records["product.product"])
    assert 'http-equiv="refresh"' not in run_page  # finished: no more refreshing
    connection_page = client.get(page(connection)).content.decode()
    assert "Sync now" in connection_page and "First import" not in connection_page
    assert "Succeeded" in connection_page  # the last run, in the health block


def test_sync_now_while_a_run_is_going_says_so(connection, shop_a, inline_sync):
    SyncRun.objects.create(connection=connection, kind="incremental")  # a worker is on it
    client = logged_in(shop_a.staff)

    response = client.post(button(connection, "sync"), follow=True)

    assert any("already running" in note for note in shown(response))
    assert SyncRun.objects.filter(connection=connection).count() == 1


@pytest.mark.django_db(transaction=True)
def test_sync_now_runs_in_the_background_and_its_page_refreshes_until_done(odoo_sim, request, files, marketplace,
                                                                           federation_client):
    from tests.admin.conftest import make_shop

    shop = make_shop("Thread")
    odoo = odoo_database(odoo_sim, request)
    connection = connect(shop, odoo_sim, odoo)
    odoo.set_slow(250)  # every ERP call takes a while: the run is still going when we look
    try:
        pressed = federation_client.post(button(connection, "sync"), {"full": "1"})
        assert pressed.status_code == 302 and "/syncrun/" in pressed.url, pressed
        first_look = federation_client.get(pressed.url).content.decode()
        again = federation_client.post(button(connection, "sync"), follow=True)

        assert 'http-equiv="refresh"' in first_look and "Sync running" in first_look
        assert any("already running" in note for note in shown(again))
        deadline = time.monotonic() + 60
        while "Sync running" in federation_client.get(pressed.url).content.decode():
            assert time.monotonic() < deadline, "the background run never finished"
            time.sleep(0.2)
    finally:
        odoo.set_slow(0)
    while backoffice.sync_in_progress(connection) and time.monotonic() < deadline:
        time.sleep(0.1)  # the thread releases its lock last

    run = SyncRun.objects.get(connection=connection)
    assert run.status == SyncRunStatus.SUCCEEDED, run.error
    finished = federation_client.get(pressed.url).content.decode()
    assert f"{run.total} of {run.total} items" in finished and 'http-equiv="refresh"' not in finished
    assert ItemLink.objects.filter(connection=connection).count() == len(odoo.records["product.product"])


# -- file members ---------------------------------------------------------------------------------

BAD_LINES_CSV = "\n".join([
    "reference;name;price;quantity",
    "F-1;Chaise en chêne;12,50;1",
    "F-2;Table basse;douze;1",
    ";Lampe;5;1",
    "F-4;Vase;3;2",
]).encode()


def test_a_file_upload_imports_the_good_lines_and_the_run_page_lists_the_rejected_ones(shop_a, files,
                                                                                       inline_sync):
    connection = ErpConnection.objects.create(vendor=shop_a.vendor, kind=ConnectionKind.FILE,
                                              warehouse=shop_a.warehouse)
    client = logged_in(shop_a.staff)
    form = page_form_data(client.get(page(connection)))
    form["upload"] = SimpleUploadedFile("stock.csv", BAD_LINES_CSV, content_type="text/csv")

    saved = client.post(page(connection), form)

    connection.refresh_from_db()
    run = SyncRun.objects.get(connection=connection)
    assert saved.status_code == 302 and saved.url == f"/dashboard/erp_sync/syncrun/{run.pk}/change/"
    kept = files / "var" / "erp-files" / shop_a.vendor.slug
    assert connection.file_path.startswith(str(kept)) and open(connection.file_path, "rb").read() == BAD_LINES_CSV
    assert (run.created, run.rejected) == (2, 2)
    assert sorted(ItemLink.objects.filter(connection=connection).values_list("erp_ref", flat=True)) == ["F-1", "F-4"]
    run_page = client.get(saved.url).content.decode()
    assert "2 lines were rejected" in run_page
    rejected = SyncRunIssue.objects.filter(run=run, rejected=True).order_by("row_number")
    assert [issue.row_number for issue in rejected] == [3, 4]
    for issue in rejected:
        assert re.search(rf'<td class="field-row_number">\s*<p>{issue.row_number}</p>\s*</td>', run_page)
        assert issue.reason in run_page.replace("&#x27;", "'")
    assert "&#x27;douze&#x27; is not a number" in run_page


def test_the_file_page_links_the_template_and_names_its_columns(shop_a, files):
    connection = ErpConnection.objects.create(vendor=shop_a.vendor, kind=ConnectionKind.FILE)
    client = logged_in(shop_a.staff)

    content = client.get(page(connection)).content.decode()
    csv_template = client.get(f"{CONNECTIONS}import-template.csv")
    xlsx_template = client.get(f"{CONNECTIONS}import-template.xlsx")

    assert f'href="{CONNECTIONS}import-template.csv"' in content and "reference, name, price" in content
    assert csv_template.status_code == 200 and "attachment" in csv_template["Content-Disposition"]
    assert b"".join(csv_template.streaming_content).lstrip(b"\xef\xbb\xbf").lower().startswith(b"reference")
    assert b"".join(xlsx_template.streaming_content)[:2] == b"PK"
    assert client.get(f"{CONNECTIONS}import-template.pdf").status_code == 404


# -- health ---------------------------------------------------------------------------------------


def test_the_health_block_and_list_show_last_success_lag_error_rate_and_warnings(connection, shop_a):
    an_hour_ago = timezone.now() - timedelta(hours=1)
    SyncRun.objects.create(connection=connection, kind="incremental", status=SyncRunStatus.FAILED,
                           error="ConnectorError: 502")
    SyncRun.objects.create(connection=connection, kind="incremental", status=SyncRunStatus.SUCCEEDED,
                           started_at=an_hour_ago)
    ErpConnection.objects.filter(pk=connection.pk).update(
        last_success_at=an_hour_ago, key_expires_at=timezone.now() + timedelta(days=3), pos_stock_mode="closing")
    client = logged_in(shop_a.staff)

    response = client.get(page(connection))
    listing = client.get(CONNECTIONS).content.decode()

    content = response.content.decode()
    assert "Sync health" in content and "50 %" in content
    assert re.search(r"Lag</th>\s*<td>1\xa0\w+</td>", content)  # an hour, in the page's language
    notes = shown(response)
    assert any("API key stops working" in note for note in notes) and any("session closes" in note for note in notes)
    assert re.search(r'field-lag">1\xa0\w+<', listing) and 'field-error_rate">50%<' in listing
    assert "API key stops working" in listing and "session closes" in listing


def test_the_connection_list_costs_the_same_queries_for_one_member_or_many(federation_client, shop_a, marketplace):
    from django.db import connection as db
    from django.test.utils import CaptureQueriesContext

    from tests.admin.conftest import make_shop

    def listing_queries() -> tuple[int, str]:
        with CaptureQueriesContext(db) as queries:
            response = federation_client.get(CONNECTIONS)
        assert response.status_code == 200
        return len(queries), response.content.decode()

    def member(shop, failed_runs: int) -> None:
        erp = ErpConnection.objects.create(vendor=shop.vendor, kind=ConnectionKind.FILE)
        for _ in range(failed_runs):
            SyncRun.objects.create(connection=erp, kind="file", status=SyncRunStatus.FAILED)
        SyncRun.objects.create(connection=erp, kind="file", status=SyncRunStatus.SUCCEEDED)

    member(shop_a, failed_runs=1)
    listing_queries()  # warm the per-process caches (content types, sessions)
    one, _ = listing_queries()
    for name in ("Charlie", "Delta", "Echo"):
        member(make_shop(name), failed_runs=3)
    many, content = listing_queries()

    assert many == one
    assert content.count('field-error_rate">75%<') == 3 and content.count('field-error_rate">50%<') == 1


# -- pushes and conflicts -------------------------------------------------------------------------


def synced_item(connection, shop):
    from plugins.erp_sync.sync import run_sync

    run = run_sync(connection, full=True)
    assert run.status == SyncRunStatus.SUCCEEDED, run.error
    stock = (Stock.objects.filter(product_variant__product__vendor=shop.vendor, quantity__gte=1,
                                  product_variant__product__erp_links__connection=connection)
             .select_related("product_variant__product").first())
    return stock.product_variant.product


def test_retry_now_records_a_push_that_failed_once(connection, odoo, shop_a, marketplace):
    product = synced_item(connection, shop_a)
    order = make_order(marketplace, [Part(vendor=shop_a.vendor, items=[(product, 1)])])
    [job_id] = services.queue_sale_pushes(order)
    odoo.fail(1, status=503)
    first = services.run_push_job(job_id)  # the attempt right after checkout, while the server is down
    assert first.status == SalePushStatus.PENDING and first.last_error
    client = logged_in(shop_a.staff)

    response = client.post("/dashboard/erp_sync/salepushjob/", {"action": "retry_now", "_selected_action": [job_id]},
                           follow=True)

    job = SalePushJob.objects.get(pk=job_id)
    assert job.status == SalePushStatus.DONE and job.external_ref
    assert any("1 recorded in the ERP" in note for note in shown(response)), shown(response)
    orders = [o for o in odoo.records["sale.order"].values() if o.get("client_order_ref") == job.reference]
    assert len(orders) == 1 and orders[0]["state"] == "sale"


def conflict_on(shop, marketplace) -> ErpConflict:
    order = make_order(marketplace, [Part(vendor=shop.vendor, items=[(shop.product, 1)])])
    return ErpConflict.objects.create(vendor_order=vendor_order_of(order, shop.vendor),
                                      line=line_of(order, shop.product),
                                      reason="Sold in the shop too: the ERP has none left.")


def test_the_conflict_list_shows_order_item_reason_and_the_vendor_resolves_them(shop_a, marketplace):
    cancel, replace = conflict_on(shop_a, marketplace), conflict_on(shop_a, marketplace)
    client = logged_in(shop_a.staff)

    listing = client.get("/dashboard/erp_sync/erpconflict/").content.decode()
    cancelled = client.post("/dashboard/erp_sync/erpconflict/",
                            {"action": "cancel_and_refund", "_selected_action": [cancel.pk]}, follow=True)
    client.post("/dashboard/erp_sync/erpconflict/", {"action": "replace_item", "_selected_action": [replace.pk]})

    assert str(cancel.vendor_order.order.number) in listing and shop_a.product.name in listing
    vendor_order_page = client.get(f"/dashboard/order/vendororder/{cancel.vendor_order.pk}/change/")
    assert vendor_order_page.status_code == 200
    assert "ERP conflicts" in vendor_order_page.content.decode() and "Sold in the shop too" in \
        vendor_order_page.content.decode()
    assert "Sold in the shop too" in listing and "open" in listing
    assert any("1 conflicts resolved: cancelled and refunded" in note for note in shown(cancelled))
    cancel.refresh_from_db(), replace.refresh_from_db()
    assert cancel.resolution == ConflictResolution.CANCELLED and cancel.line.quantity_cancelled == 1
    assert replace.resolution == ConflictResolution.REPLACED
    replace.line.refresh_from_db()
    assert replace.line.quantity_cancelled == 0


# -- scoping --------------------------------------------------------------------------------------


def test_another_members_staff_gets_404_on_every_button_and_acts_on_nothing(connection, shop_a, shop_b,
                                                                          marketplace, inline_sync):
    run = SyncRun.objects.create(connection=connection, kind="incremental", status=SyncRunStatus.SUCCEEDED)
    conflict = conflict_on(shop_a, marketplace)
    job = SalePushJob.objects.create(vendor_order=conflict.vendor_order, connection=connection, reference="MP-1-1",
                                     status=SalePushStatus.FAILED)
    other = logged_in(shop_b.staff)

    for name in ("test-connection", "load-categories", "sync"):
        assert other.post(button(connection, name), {"full": "1"}).status_code == 404, name
    assert other.get(page(connection)).status_code == 404
    assert other.get(f"/dashboard/erp_sync/syncrun/{run.pk}/change/").status_code == 404
    other.post("/dashboard/erp_sync/salepushjob/", {"action": "retry_now", "_selected_action": [job.pk]})
    other.post("/dashboard/erp_sync/erpconflict/", {"action": "cancel_and_refund",
                                                   "_selected_action": [conflict.pk]})

    job.refresh_from_db(), conflict.refresh_from_db()
    assert job.status == SalePushStatus.FAILED and job.attempts == 0
    assert conflict.resolved_at is None
    assert SyncRun.objects.filter(connection=connection).count() == 1
    assert not CategoryMapping.objects.filter(connection=connection).exists()
