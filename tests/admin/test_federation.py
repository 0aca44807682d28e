"""Federation staff run the whole back-office; their writes go through the domain services."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import RequestFactory

from saleor_ext.channel.models import Channel
from saleor_ext.vendor.models import Vendor
from saleor_ext.vendor.services import VENDOR_STAFF_GROUP
from saleor_ext.warehouse.models import ChannelWarehouse, Warehouse
from tests.factories import make_category, make_superuser, make_user

from .conftest import logged_in
from .forms import add_inline_row, page_form_data

pytestmark = pytest.mark.django_db

PROJECT_APPS = ("saleor_ext.", "plugins.")


def test_creating_a_vendor_in_the_admin_opens_its_shop_channel(federation_client):
    data = page_form_data(federation_client.get("/dashboard/vendor/vendor/add/"))
    data.update(
        name="La Ressourcerie",
        slug="la-ressourcerie",
        status="active",
        commission_rate="12.50",
        address_street_address_1="Rue Haute 12",
        address_postal_code="5000",
        address_city="Namur",
    )

    response = federation_client.post("/dashboard/vendor/vendor/add/", data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    vendor = Vendor.objects.get(slug="la-ressourcerie")
    assert vendor.town == "Namur"
    channel = Channel.objects.get(slug="shop-la-ressourcerie")
    assert channel.vendor == vendor and channel.is_active


def test_a_users_page_lists_their_shops_and_adding_one_there_opens_the_back_office(federation_client, shop_a):
    newcomer = make_user()
    url = f"/dashboard/account/user/{newcomer.pk}/change/"
    page = federation_client.get(url)
    assert "member shops" in page.content.decode().lower()
    data = page_form_data(page)
    add_inline_row(data, "vendor_memberships", vendor=str(shop_a.vendor.pk), role="staff")

    response = federation_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    newcomer.refresh_from_db()
    assert newcomer.is_staff
    assert newcomer.groups.filter(name=VENDOR_STAFF_GROUP).exists()
    assert newcomer.vendor_memberships.get().vendor == shop_a.vendor


def test_adding_a_team_member_gives_them_the_vendor_staff_group(federation_client, shop_a):
    newcomer = make_user()
    url = f"/dashboard/vendor/vendor/{shop_a.vendor.pk}/change/"
    data = page_form_data(federation_client.get(url))
    add_inline_row(data, "staff_memberships", user=str(newcomer.pk), role="manager")

    response = federation_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    newcomer.refresh_from_db()
    assert newcomer.is_staff
    assert newcomer.groups.filter(name=VENDOR_STAFF_GROUP).exists()
    assert newcomer.vendor_memberships.get().role == "manager"
    # and the back-office now opens for them, on their shop only
    assert logged_in(newcomer).get(f"/dashboard/product/product/{shop_a.product.pk}/change/").status_code == 200


def test_vendor_staff_group_grants_catalogue_rights_but_no_reference_data_changes(db):
    perms = set(Group.objects.get(name=VENDOR_STAFF_GROUP).permissions.values_list("codename", flat=True))
    assert {"add_product", "change_productvariant", "delete_stock", "change_warehouse", "add_variantgrade"} <= perms
    assert {"view_vendor", "view_category"} <= perms
    assert not perms & {"change_category", "add_vendor", "change_channel", "change_pluginconfiguration"}


def test_creating_a_warehouse_stores_its_address_and_serves_the_shop_channel(shop_a):
    client = logged_in(shop_a.staff)
    data = page_form_data(client.get("/dashboard/warehouse/warehouse/add/"))
    data.update(
        name="Alpha depot",
        slug="alpha-depot",
        click_and_collect_option="local",
        address_street_address_1="Chaussée de Louvain 1",
        address_postal_code="1030",
        address_city="Schaerbeek",
    )

    response = client.post("/dashboard/warehouse/warehouse/add/", data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    warehouse = Warehouse.objects.get(slug="alpha-depot")
    assert warehouse.vendor == shop_a.vendor
    assert warehouse.address.city == "Schaerbeek"
    assert ChannelWarehouse.objects.filter(warehouse=warehouse, channel__slug="shop-alpha").exists()


def test_warehouse_needs_an_address(shop_a):
    client = logged_in(shop_a.staff)
    data = page_form_data(client.get("/dashboard/warehouse/warehouse/add/"))
    data.update(name="Nowhere", slug="nowhere")

    response = client.post("/dashboard/warehouse/warehouse/add/", data)

    assert response.status_code == 200
    assert "address_city" in response.context["adminform"].form.errors


def test_every_project_model_is_editable_in_the_back_office():
    """Each model has its admin, or is edited as an inline of one."""
    request = RequestFactory().get("/dashboard/")
    request.user = make_superuser()
    reachable = set(admin.site._registry)
    for model_admin in admin.site._registry.values():
        reachable.update(inline.model for inline in model_admin.get_inlines(request, None))
    project_models = [m for m in apps.get_models() if m.__module__.startswith(PROJECT_APPS)]
    missing = sorted(m._meta.label for m in project_models if m not in reachable)
    assert missing == []


@pytest.mark.parametrize("model", sorted(admin.site._registry, key=lambda m: m._meta.label), ids=str)
def test_every_admin_page_renders_for_federation_staff(federation_client, shop_a, model):
    make_category("Bikes")
    base = f"/dashboard/{model._meta.app_label}/{model._meta.model_name}/"
    request = RequestFactory().get(base)
    request.user = make_superuser()
    can_add = admin.site._registry[model].has_add_permission(request)

    assert federation_client.get(base).status_code == 200
    assert federation_client.get(f"{base}add/").status_code == (200 if can_add else 403)
    first = model._default_manager.first()
    if first is not None:
        assert federation_client.get(f"{base}{first.pk}/change/").status_code == 200


def test_back_office_index_lists_only_the_shops_sections_for_vendor_staff(shop_a):
    response = logged_in(shop_a.staff).get("/dashboard/")
    assert response.status_code == 200
    models = {m["object_name"] for app in response.context["app_list"] for m in app["models"]}
    assert {"Product", "ProductVariant", "Stock", "Warehouse", "Vendor"} <= models
    assert not models & {"User", "PluginConfiguration", "Group", "Address", "VendorStaff"}


def test_only_a_superuser_can_make_a_superuser(db):
    from django.contrib.auth.models import Permission

    manager = make_user(is_staff=True)
    manager.user_permissions.add(Permission.objects.get(codename="manage_vendors"))
    target = make_user(is_staff=True)
    client = logged_in(manager)
    url = f"/dashboard/account/user/{target.pk}/change/"
    data = page_form_data(client.get(url))
    data.update(is_superuser="on", first_name="Renamed")

    response = client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    target.refresh_from_db()
    assert target.first_name == "Renamed"
    assert not target.is_superuser
