"""A product page: identifiers, prices, stock, grade, translations, vendor."""

from __future__ import annotations

import pytest

from saleor_ext.graphql.core.ids import to_global_id
from saleor_ext.site.models import SiteSettings
from saleor_ext.warehouse.models import Stock

from .conftest import data_of, gql

PRODUCT = """
query($id: ID, $slug: String, $ref: String, $lang: LanguageCodeEnum!) {
  product(id: $id, slug: $slug, externalReference: $ref, channel: "marketplace") {
    id name channel isAvailableForPurchase rating
    weight { unit value }
    translation(languageCode: $lang) { name slug language { code language } }
    defaultVariant { sku }
    variants { sku }
    collections { slug }
    vendor { name slug town openingHours channel { slug } productCount(channel: "marketplace") }
    pricing { onSale displayGrossPrices priceRange { start { net { amount } tax { amount } gross { amount } } } }
    attributes { attribute { slug } values { slug } }
  }
}
"""
VARIANT = """
query($sku: String!) {
  productVariant(sku: $sku, channel: "marketplace") {
    name quantityAvailable
    grade { code label schemaOrgCondition googleCondition scheme { code name } }
  }
}
"""


def product(lang="FR", **variables) -> dict:
    return data_of(gql(PRODUCT, {"lang": lang, **variables}))["product"]


def test_product_by_slug_id_and_external_reference(catalogue):
    gazelle = catalogue.products["Vélo de ville Gazelle"]
    gazelle.external_reference = "odoo-42"
    gazelle.save()
    by_slug = product(slug="velo-de-ville-gazelle")
    assert by_slug["id"] == to_global_id("Product", gazelle.pk)
    assert product(id=by_slug["id"])["name"] == product(ref="odoo-42")["name"] == "Vélo de ville Gazelle"
    assert by_slug["channel"] == "marketplace"
    assert by_slug["weight"] == {"unit": "KG", "value": 12.5}
    assert by_slug["defaultVariant"] == {"sku": "velo-de-ville-gazelle-0"}
    assert by_slug["collections"] == [{"slug": "select"}]
    assert by_slug["pricing"] == {
        "onSale": False,
        "displayGrossPrices": True,
        # Entered gross; split at the Belgian standard rate (21 %), as a Belgian cart splits it.
        "priceRange": {"start": {"net": {"amount": 99.17}, "tax": {"amount": 20.83}, "gross": {"amount": 120.0}}},
    }
    assert {a["attribute"]["slug"] for a in by_slug["attributes"]} >= {"brand", "colors", "material"}


def test_vendor_of_a_product(catalogue):
    vendor = product(slug="velo-de-ville-gazelle")["vendor"]
    assert vendor == {
        "name": "Recyclerie Alpha",
        "slug": "recyclerie-alpha",
        "town": "Namur",
        "openingHours": {"mon": "10-18"},
        "channel": {"slug": "shop-recyclerie-alpha"},
        "productCount": 2,
    }


@pytest.mark.parametrize(
    ("lang", "name", "slug"),
    [("NL", "Stadsfiets Gazelle", "stadsfiets-gazelle"), ("EN", "Gazelle city bike", "gazelle-city-bike"),
     ("NL_BE", "Stadsfiets Gazelle", "stadsfiets-gazelle")],
)
def test_translations(catalogue, lang, name, slug):
    translation = product(lang=lang, slug="velo-de-ville-gazelle")["translation"]
    assert (translation["name"], translation["slug"]) == (name, slug)
    assert translation["language"]["code"] == lang.split("_")[0]


def test_missing_translation_is_null(catalogue):
    assert product(lang="FR", slug="velo-de-ville-gazelle")["translation"] is None


def test_ids_of_the_wrong_type_or_malformed_are_errors(catalogue):
    for bad, message in [
        ("garbage", "Invalid ID: garbage"),
        (to_global_id("Category", 1), "Expected: Product, received: Category."),
    ]:
        body = gql(PRODUCT, {"lang": "FR", "id": bad})
        assert body["data"]["product"] is None
        assert message in body["errors"][0]["message"]


def test_product_needs_exactly_one_identifier(catalogue):
    body = gql(PRODUCT, {"lang": "FR", "id": to_global_id("Product", 1), "slug": "x"})
    assert "exactly one" in body["errors"][0]["message"]


def test_quantity_available_sums_channel_warehouses_and_is_capped(catalogue):
    brompton = catalogue.products["Vélo pliant Brompton"]
    variant = brompton.variants.order_by("sort_order").first()
    Stock.objects.filter(product_variant=variant).update(quantity=80, quantity_allocated=5)
    assert data_of(gql(VARIANT, {"sku": variant.sku}))["productVariant"]["quantityAvailable"] == 50
    settings = SiteSettings.get()
    settings.limit_quantity_per_checkout = 100
    settings.save()
    assert data_of(gql(VARIANT, {"sku": variant.sku}))["productVariant"]["quantityAvailable"] == 75


def test_stock_outside_the_channel_warehouses_does_not_count(catalogue):
    from saleor_ext.warehouse.models import ChannelWarehouse

    ChannelWarehouse.objects.filter(channel=catalogue.channel).delete()
    variant = data_of(gql(VARIANT, {"sku": "velo-de-ville-gazelle-0"}))["productVariant"]
    assert variant["quantityAvailable"] == 0


@pytest.mark.parametrize(
    ("accept_language", "label", "scheme"),
    [("nl-BE,nl;q=0.9", "Als nieuw", "Fietsen"), ("en", "Like new", "Bikes"), ("fr-BE", "Comme neuf", "Vélos")],
)
def test_grade_label_follows_accept_language(catalogue, accept_language, label, scheme):
    body = gql(VARIANT, {"sku": "velo-de-ville-gazelle-0"}, HTTP_ACCEPT_LANGUAGE=accept_language)
    grade = data_of(body)["productVariant"]["grade"]
    assert grade == {
        "code": "A",
        "label": label,
        "schemaOrgCondition": "RefurbishedCondition",
        "googleCondition": "refurbished",
        "scheme": {"code": "bikes", "name": scheme},
    }


def test_unpriced_variant_is_not_sold(catalogue):
    brompton = catalogue.products["Vélo pliant Brompton"]
    brompton.variants.get(sku="velo-pliant-brompton-1").channel_listings.update(price_amount=None)
    assert data_of(gql(VARIANT, {"sku": "velo-pliant-brompton-1"}))["productVariant"] is None
    assert [v["sku"] for v in product(slug="velo-pliant-brompton")["variants"]] == ["velo-pliant-brompton-0"]


VENDORS = """
{ vendors(first: 10) { totalCount edges { node { slug name town } } }
  vendor(slug: "ressourcerie-beta") { name productCount(channel: "marketplace") logo { url } } }
"""


def test_vendors_directory(catalogue):
    data = data_of(gql(VENDORS))
    assert [e["node"]["slug"] for e in data["vendors"]["edges"]] == ["recyclerie-alpha", "ressourcerie-beta"]
    assert data["vendor"] == {"name": "Ressourcerie Beta", "productCount": 1, "logo": None}
