"""The VAT rate of an item or a delivery: product type's class, delivery country, exempt shops."""

from __future__ import annotations

from decimal import Decimal

import pytest

from saleor_ext.tax.models import TaxClass, TaxClassCountryRate
from saleor_ext.tax.services import shipping_vat_rate, shipping_vat_rates, vat_rate, vat_rates
from tests.factories import make_product_type, make_vendor

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    return make_vendor("Ressourcerie")


@pytest.fixture
def exempt_shop():
    return make_vendor("Petite bouquinerie", vat_exempt=True)


def belgian_class(name: str) -> TaxClass:
    return TaxClass.objects.get(name=name)


@pytest.fixture
def books_type():
    return make_product_type("Livre", tax_class=belgian_class("Reduced 6 %"))


def test_the_belgian_classes_exist_with_their_rates():
    rates = {
        tax_class.name: {rate.country: rate.rate for rate in tax_class.country_rates.all()}.get("BE")
        for tax_class in TaxClass.objects.all()
    }
    assert rates == {
        "Standard 21 %": Decimal("21"),
        "Reduced 6 %": Decimal("6"),
        "Intermediate 12 %": Decimal("12"),
        "Exempt 0 %": Decimal("0"),
    }


def test_an_item_without_a_tax_class_takes_the_standard_rate_of_the_delivery_country(shop):
    furniture = make_product_type("Meuble")
    rates = {
        country: vat_rate(product_type_id=furniture.pk, vendor_id=shop.pk, country_code=country)
        for country in ("BE", "FR", "NL", "LU", "DE")
    }
    assert rates == {
        "BE": Decimal("0.21"),
        "FR": Decimal("0.20"),
        "NL": Decimal("0.21"),
        "LU": Decimal("0.17"),
        "DE": Decimal("0.19"),
    }


def test_books_take_the_reduced_rate(shop, books_type):
    assert vat_rate(product_type_id=books_type.pk, vendor_id=shop.pk, country_code="BE") == Decimal("0.06")
    assert vat_rate(product_type_id=books_type.pk, vendor_id=shop.pk, country_code="FR") == Decimal("0.055")


def test_a_class_without_a_rate_for_the_country_falls_back_to_the_countrys_standard_rate(shop):
    intermediate = make_product_type("Matériau", tax_class=belgian_class("Intermediate 12 %"))
    assert vat_rate(product_type_id=intermediate.pk, vendor_id=shop.pk, country_code="BE") == Decimal("0.12")
    assert vat_rate(product_type_id=intermediate.pk, vendor_id=shop.pk, country_code="DE") == Decimal("0.19")


@pytest.mark.parametrize("country", ["US", "", None])
def test_a_country_without_any_rate_is_taxed_as_belgium(shop, books_type, country):
    assert vat_rate(product_type_id=books_type.pk, vendor_id=shop.pk, country_code=country) == Decimal("0.06")
    assert vat_rate(product_type_id=None, vendor_id=shop.pk, country_code=country) == Decimal("0.21")


def test_an_exempt_shop_charges_no_vat_on_anything(exempt_shop, books_type):
    furniture = make_product_type("Meuble")
    for type_id in (books_type.pk, furniture.pk, None):
        assert vat_rate(product_type_id=type_id, vendor_id=exempt_shop.pk, country_code="BE") == 0
    assert shipping_vat_rate(vendor_id=exempt_shop.pk, country_code="FR") == 0


def test_delivery_is_taxed_at_the_countrys_standard_rate(shop):
    assert shipping_vat_rate(vendor_id=shop.pk, country_code="BE") == Decimal("0.21")
    assert shipping_vat_rate(vendor_id=shop.pk, country_code="LU") == Decimal("0.17")


def test_a_country_default_rate_row_replaces_the_built_in_standard_rate(shop):
    TaxClassCountryRate.objects.create(tax_class=None, country="LU", rate=Decimal("16"))
    assert shipping_vat_rate(vendor_id=shop.pk, country_code="LU") == Decimal("0.16")
    assert vat_rate(product_type_id=make_product_type().pk, vendor_id=shop.pk, country_code="LU") == Decimal("0.16")


def test_rates_of_a_whole_cart_cost_one_query(shop, exempt_shop, books_type, django_assert_num_queries):
    furniture = make_product_type("Meuble")
    pairs = [(books_type.pk, shop.pk), (furniture.pk, shop.pk), (books_type.pk, exempt_shop.pk), (None, shop.pk)]

    with django_assert_num_queries(1):
        rates = vat_rates(pairs, "BE")

    assert rates == {
        (books_type.pk, shop.pk): Decimal("0.06"),
        (furniture.pk, shop.pk): Decimal("0.21"),
        (books_type.pk, exempt_shop.pk): Decimal("0"),
        (None, shop.pk): Decimal("0.21"),
    }


def test_no_pairs_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert vat_rates([], "BE") == {}


def test_delivery_rates_of_every_shop_of_a_cart_at_once(shop, exempt_shop, django_assert_num_queries):
    with django_assert_num_queries(1):
        rates = shipping_vat_rates([shop.pk, exempt_shop.pk], "FR")
    assert rates == {shop.pk: Decimal("0.20"), exempt_shop.pk: Decimal("0")}
