"""Vendor staff see and change only their own shop's catalogue in the back-office."""

from __future__ import annotations

import pytest

from saleor_ext.product.models import Category, Product
from saleor_ext.vendor.models import Vendor
from tests.factories import make_category, make_product_type, make_vendor, make_vendor_staff

from .conftest import logged_in
from .forms import add_inline_row, page_form_data

pytestmark = pytest.mark.django_db


def test_anonymous_visitor_is_sent_to_the_login_page():
    from django.test import Client

    response = Client().get("/dashboard/product/product/")
    assert response.status_code == 302
    assert response["Location"].startswith("/dashboard/login/?next=/dashboard/product/product/")


def test_old_admin_address_redirects_to_the_dashboard():
    from django.test import Client

    response = Client().get("/admin/product/product/")
    assert response.status_code == 302
    assert response["Location"] == "/dashboard/product/product/"


def test_vendor_staff_list_only_their_own_products(shop_a, shop_b):
    response = logged_in(shop_a.staff).get("/dashboard/product/product/")
    assert response.status_code == 200
    body = response.content.decode()
    assert shop_a.product.name in body
    assert shop_b.product.name not in body


def test_vendor_staff_search_by_sku_stays_in_their_shop(shop_a, shop_b):
    client = logged_in(shop_a.staff)
    own = client.get("/dashboard/product/product/", {"q": "ALP-1"}).content.decode()
    other = client.get("/dashboard/product/product/", {"q": "BRA-1"}).content.decode()
    assert shop_a.product.name in own
    assert shop_b.product.name not in other


@pytest.mark.parametrize(
    "url",
    [
        "/dashboard/product/product/{b.product.pk}/change/",
        "/dashboard/product/product/{b.product.pk}/delete/",
        "/dashboard/product/productvariant/{b.product.default_variant_id}/change/",
        "/dashboard/warehouse/warehouse/{b.warehouse.pk}/change/",
        "/dashboard/warehouse/stock/{stock_pk}/change/",
        "/dashboard/vendor/vendor/{b.vendor.pk}/change/",
    ],
)
def test_another_shops_objects_cannot_be_opened_by_url(shop_a, shop_b, url):
    stock_pk = shop_b.product.default_variant.stocks.get().pk
    response = logged_in(shop_a.staff).get(url.format(b=shop_b, stock_pk=stock_pk))
    assert response.status_code in (403, 404)


def test_vendor_staff_open_their_own_product(shop_a):
    response = logged_in(shop_a.staff).get(f"/dashboard/product/product/{shop_a.product.pk}/change/")
    assert response.status_code == 200
    assert "vendor" not in response.context["adminform"].form.fields


def _product_add_data(client, **overrides):
    page = client.get("/dashboard/product/product/add/")
    assert page.status_code == 200
    data = page_form_data(page)
    data.update(name="Cargo bike", slug="cargo-bike", product_type=str(make_product_type().pk), **overrides)
    return data


def test_product_posted_with_another_vendor_is_saved_in_the_staff_members_shop(shop_a, shop_b):
    client = logged_in(shop_a.staff)
    data = _product_add_data(client, vendor=str(shop_b.vendor.pk))
    add_inline_row(data, "variants", sku="CARGO-1", name="", track_inventory="on")

    response = client.post("/dashboard/product/product/add/", data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    product = Product.objects.get(slug="cargo-bike")
    assert product.vendor == shop_a.vendor
    assert product.variants.get().vendor == shop_a.vendor
    assert not shop_b.vendor.products.filter(slug="cargo-bike").exists()


def test_staff_of_two_shops_cannot_choose_a_third_shop(shop_a, shop_b):
    other = make_vendor("Charlie")
    user = make_vendor_staff(shop_a.vendor, other)
    client = logged_in(user)
    page = client.get("/dashboard/product/product/add/")
    offered = set(page.context["adminform"].form.fields["vendor"].queryset)
    assert offered == {shop_a.vendor, other}

    response = client.post("/dashboard/product/product/add/", _product_add_data(client, vendor=str(shop_b.vendor.pk)))

    assert response.status_code == 200
    assert "vendor" in response.context["adminform"].form.errors
    assert not Product.objects.filter(slug="cargo-bike").exists()


def test_stock_warehouse_choices_exclude_other_shops_warehouses(shop_a, shop_b):
    page = logged_in(shop_a.staff).get("/dashboard/warehouse/stock/add/")
    warehouses = set(page.context["adminform"].form.fields["warehouse"].queryset)
    assert warehouses == {shop_a.warehouse}


def test_stock_of_another_shops_variant_is_refused(shop_a, shop_b):
    client = logged_in(shop_a.staff)
    response = client.post(
        "/dashboard/warehouse/stock/add/",
        {
            "product_variant": str(shop_b.product.default_variant_id),
            "warehouse": str(shop_a.warehouse.pk),
            "quantity": "5",
        },
    )
    assert response.status_code == 200
    assert "product_variant" in response.context["adminform"].form.errors


def test_variant_autocomplete_offers_only_own_items(shop_a, shop_b):
    response = logged_in(shop_a.staff).get(
        "/dashboard/autocomplete/",
        {"app_label": "warehouse", "model_name": "stock", "field_name": "product_variant", "term": ""},
    )
    assert response.status_code == 200
    ids = {int(item["id"]) for item in response.json()["results"]}
    assert ids == {shop_a.product.default_variant_id}


def test_listing_channel_choices_are_the_marketplace_and_the_own_shop_channel(shop_a, shop_b):
    variant = shop_a.product.default_variant
    page = logged_in(shop_a.staff).get(f"/dashboard/product/productvariant/{variant.pk}/change/")
    formset = next(i.formset for i in page.context["inline_admin_formsets"] if i.formset.prefix == "channel_listings")
    channels = {c.slug for c in formset.form.base_fields["channel"].queryset}
    assert channels == {"marketplace", "shop-alpha"}


def test_federation_staff_see_every_shops_products(federation_client, shop_a, shop_b):
    body = federation_client.get("/dashboard/product/product/").content.decode()
    assert shop_a.product.name in body
    assert shop_b.product.name in body


def test_manage_vendors_permission_makes_a_federation_staff_member(shop_a, shop_b):
    from django.contrib.auth.models import Permission

    from tests.factories import make_user

    user = make_user(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="manage_vendors"))
    client = logged_in(user)
    body = client.get("/dashboard/product/product/").content.decode()
    assert shop_a.product.name in body and shop_b.product.name in body
    assert client.get(f"/dashboard/product/product/{shop_b.product.pk}/change/").status_code == 200


def test_vendor_staff_cannot_change_categories(shop_a):
    category = make_category("Bikes")
    client = logged_in(shop_a.staff)

    assert client.get("/dashboard/product/category/add/").status_code == 403
    page = client.get(f"/dashboard/product/category/{category.pk}/change/")
    assert page.status_code == 200
    assert not page.context["has_change_permission"]
    response = client.post(f"/dashboard/product/category/{category.pk}/change/", {"name": "Renamed", "slug": "renamed"})
    assert response.status_code == 403
    assert Category.objects.get(pk=category.pk).name == "Bikes"


@pytest.mark.parametrize(
    "url",
    [
        "/dashboard/account/user/",
        "/dashboard/plugins/pluginconfiguration/",
        "/dashboard/channel/channel/add/",
        "/dashboard/product/producttype/add/",
        "/dashboard/grading/gradingscheme/add/",
        "/dashboard/auth/group/",
        "/dashboard/vendor/vendor/add/",
    ],
)
def test_vendor_staff_cannot_reach_federation_pages(shop_a, url):
    assert logged_in(shop_a.staff).get(url).status_code == 403


def test_vendor_staff_edit_their_shop_but_not_its_commission(shop_a):
    client = logged_in(shop_a.staff)
    url = f"/dashboard/vendor/vendor/{shop_a.vendor.pk}/change/"
    data = page_form_data(client.get(url))
    data.update(description="Bikes repaired by apprentices", commission_rate="0", status="active")

    response = client.post(url, data)

    assert response.status_code == 302
    vendor = Vendor.objects.get(pk=shop_a.vendor.pk)
    assert vendor.description == "Bikes repaired by apprentices"
    assert vendor.commission_rate == shop_a.vendor.commission_rate


def test_federation_staff_filter_products_by_shop(federation_client, shop_a, shop_b):
    body = federation_client.get("/dashboard/product/product/", {"vendor": shop_b.vendor.pk}).content.decode()
    assert shop_b.product.name in body
    assert shop_a.product.name not in body
