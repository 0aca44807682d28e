"""The ERP sync in the back-office: a member's staff sees its own connection only, never a secret."""

from __future__ import annotations

from plugins.erp_sync.models import ConnectionKind, ErpConnection, SyncRun
from tests.admin.conftest import logged_in

SECRET = "7e1f0c5ad3b84f6c9e2d41a8b7c3f9e05d6a2b1c"


def _connection(shop) -> ErpConnection:
    connection = ErpConnection(vendor=shop.vendor, kind=ConnectionKind.ODOO_JSON2, url="http://odoo.example",
                               database="shop")
    connection.set_secret(SECRET)
    connection.save()
    return connection


def test_a_members_staff_sees_its_connection_and_runs_only_and_never_the_secret(shop_a, shop_b):
    own, other = _connection(shop_a), _connection(shop_b)
    SyncRun.objects.create(connection=own, kind="incremental")
    SyncRun.objects.create(connection=other, kind="incremental")
    client = logged_in(shop_a.staff)

    page = client.get(f"/dashboard/erp_sync/erpconnection/{own.pk}/change/")
    listing = client.get("/dashboard/erp_sync/syncrun/")

    assert page.status_code == 200
    assert SECRET not in page.content.decode() and own.secret_encrypted not in page.content.decode()
    assert "set on" in page.content.decode()
    assert client.get(f"/dashboard/erp_sync/erpconnection/{other.pk}/change/").status_code == 404
    assert [run.connection_id for run in listing.context["cl"].result_list] == [own.pk]


def test_federation_staff_see_every_members_connection(federation_client, shop_a, shop_b):
    _connection(shop_a), _connection(shop_b)

    listing = federation_client.get("/dashboard/erp_sync/erpconnection/")

    assert listing.status_code == 200
    assert len(listing.context["cl"].result_list) == 2


def test_the_key_is_entered_once_stored_encrypted_and_kept_when_left_empty(shop_a):
    from tests.admin.forms import page_form_data

    connection = _connection(shop_a)
    client = logged_in(shop_a.staff)
    url = f"/dashboard/erp_sync/erpconnection/{connection.pk}/change/"
    new_key = "a" * 40

    data = page_form_data(client.get(url))
    data["secret"] = new_key
    saved = client.post(url, data)
    connection.refresh_from_db()
    assert saved.status_code == 302, saved.context["adminform"].form.errors
    assert connection.secret == new_key and new_key not in connection.secret_encrypted
    assert new_key not in client.get(url).content.decode()

    data = page_form_data(client.get(url))
    data["secret"] = ""
    client.post(url, data)
    connection.refresh_from_db()
    assert connection.secret == new_key


def test_a_recreated_vendor_staff_group_keeps_the_erp_sync_permissions(shop_a):
    from django.contrib.auth.models import Group

    from saleor_ext.vendor.services import VENDOR_STAFF_GROUP, vendor_staff_group

    Group.objects.filter(name=VENDOR_STAFF_GROUP).delete()
    group = vendor_staff_group()

    codenames = set(group.permissions.filter(content_type__app_label="erp_sync").values_list("codename", flat=True))
    assert {"view_erpconnection", "change_erpconnection", "change_categorymapping", "view_syncrun",
            "view_salepushjob", "view_erpconflict"} <= codenames
    assert "delete_erpconnection" not in codenames
