"""Saving items in the back-office keeps prices, search and the shop channel in step."""

from __future__ import annotations

from decimal import Decimal

import pytest

from saleor_ext.product.models import Product, ProductChannelListing, ProductVariantChannelListing
from tests.factories import make_product_type

from .conftest import logged_in
from .forms import add_inline_row, page_form_data

pytestmark = pytest.mark.django_db


def _set_inline(data, prefix, index, **values):
    for name, value in values.items():
        data[f"{prefix}-{index}-{name}"] = value


def test_new_price_reaches_the_shop_channel_and_the_cached_listing_price(shop_a):
    variant = shop_a.product.default_variant
    url = f"/dashboard/product/productvariant/{variant.pk}/change/"
    client = logged_in(shop_a.staff)
    data = page_form_data(client.get(url))
    _set_inline(data, "channel_listings", 0, price_amount="25.00")
    Product.objects.filter(pk=shop_a.product.pk).update(search_index_dirty=False)

    response = client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    marketplace = ProductChannelListing.objects.get(product=shop_a.product, channel__slug="marketplace")
    assert marketplace.discounted_price_amount == Decimal("25.00")
    # the vendor channels plugin, called through the manager's product_variant_updated hook
    shop_price = ProductVariantChannelListing.objects.get(variant=variant, channel__slug="shop-alpha")
    assert shop_price.price_amount == Decimal("25.00")
    assert ProductChannelListing.objects.get(product=shop_a.product, channel__slug="shop-alpha").is_published
    assert Product.objects.get(pk=shop_a.product.pk).search_index_dirty


def test_listing_currency_defaults_to_the_channels(shop_a):
    variant = shop_a.product.default_variant
    ProductVariantChannelListing.objects.filter(variant=variant).delete()
    url = f"/dashboard/product/productvariant/{variant.pk}/change/"
    client = logged_in(shop_a.staff)
    data = page_form_data(client.get(url))
    marketplace_id = ProductChannelListing.objects.get(product=shop_a.product).channel_id
    add_inline_row(data, "channel_listings", channel=str(marketplace_id), currency="", price_amount="7.50")

    response = client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert ProductVariantChannelListing.objects.get(variant=variant, channel_id=marketplace_id).currency == "EUR"


def test_new_product_gets_its_first_variant_as_default(shop_a):
    client = logged_in(shop_a.staff)
    data = page_form_data(client.get("/dashboard/product/product/add/"))
    data.update(name="Dutch bike", slug="dutch-bike", product_type=str(make_product_type().pk))
    data["description_text"] = "Gazelle, 1987.\n\nNew tyres."
    add_inline_row(data, "variants", sku="DUTCH-1", track_inventory="on")
    add_inline_row(data, "variants", sku="DUTCH-2", track_inventory="on")

    response = client.post("/dashboard/product/product/add/", data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    product = Product.objects.get(slug="dutch-bike")
    assert product.default_variant.sku == "DUTCH-1"
    assert product.description_plaintext == "Gazelle, 1987.\n\nNew tyres."
    assert [b["data"]["text"] for b in product.description["blocks"]] == ["Gazelle, 1987.", "New tyres."]


def test_sku_already_used_in_the_shop_is_a_form_error(shop_a, shop_b):
    client = logged_in(shop_a.staff)
    data = page_form_data(client.get("/dashboard/product/product/add/"))
    data.update(name="Copy", slug="copy", product_type=str(make_product_type().pk))
    add_inline_row(data, "variants", sku="ALP-1", track_inventory="on")

    response = client.post("/dashboard/product/product/add/", data)

    assert response.status_code == 200
    variants = next(i.formset for i in response.context["inline_admin_formsets"] if i.formset.prefix == "variants")
    assert "sku" in variants.errors[0]
    assert not Product.objects.filter(slug="copy").exists()
    # the same SKU in another shop is that shop's business
    data["variants-0-sku"] = "BRA-1"
    assert client.post("/dashboard/product/product/add/", data).status_code == 302


def test_stock_cannot_be_put_in_another_shops_warehouse_even_by_federation_staff(federation_client, shop_a, shop_b):
    variant = shop_a.product.default_variant
    url = f"/dashboard/product/productvariant/{variant.pk}/change/"
    data = page_form_data(federation_client.get(url))
    add_inline_row(data, "stocks", warehouse=str(shop_b.warehouse.pk), quantity="3")

    response = federation_client.post(url, data)

    assert response.status_code == 200
    stocks = next(i.formset for i in response.context["inline_admin_formsets"] if i.formset.prefix == "stocks")
    assert "warehouse" in stocks.errors[-1]
    assert not variant.stocks.filter(warehouse=shop_b.warehouse).exists()


def test_new_product_is_found_by_search_once_saved(shop_a, django_capture_on_commit_callbacks):
    from saleor_ext.product.search import search_products

    client = logged_in(shop_a.staff)
    data = page_form_data(client.get("/dashboard/product/product/add/"))
    data.update(name="Vélo hollandais Gazelle", slug="velo-gazelle", product_type=str(make_product_type().pk))
    add_inline_row(data, "variants", sku="GAZ-1", track_inventory="on")

    # The index task runs when the save commits (in-process without a Celery broker).
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/dashboard/product/product/add/", data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    found = search_products(Product.objects.all(), "velo hollandais").values_list("slug", flat=True)
    assert list(found) == ["velo-gazelle"]
    assert not Product.objects.get(slug="velo-gazelle").search_index_dirty
