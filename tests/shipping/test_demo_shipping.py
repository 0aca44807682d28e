"""The demo marketplace ships: every shop delivers across Belgium and to its neighbours, VAT set up."""

from __future__ import annotations

from decimal import Decimal

import pytest

from import_scripts.demo.shipping import VAT_EXEMPT_SHOP, ensure_demo_shipping
from saleor_ext.shipping.models import ShippingMethod, ShippingMethodChannelListing, ShippingZone
from saleor_ext.shipping.services import applicable_shipping_methods
from saleor_ext.tax.models import TaxClass
from saleor_ext.tax.services import shipping_vat_rate
from tests.factories import make_address, make_product_type, make_vendor, make_warehouse

from .conftest import eur

pytestmark = pytest.mark.django_db


@pytest.fixture
def shops(marketplace):
    brussels = make_vendor("Friperie Ixelles", address=make_address(postal_code="1050", city="Ixelles"))
    namur = make_vendor("Ressourcerie Namur", address=make_address(postal_code="5000", city="Namur"))
    toys = make_vendor(VAT_EXEMPT_SHOP, address=make_address(postal_code="1340", city="Ottignies"))
    make_warehouse(namur, "Ressourcerie Namur – Namur")
    return {"brussels": brussels, "namur": namur, "toys": toys}


def offers(vendor, channel, country="BE", weight="1.5", subtotal="30.00"):
    found = applicable_shipping_methods(
        vendor_id=vendor.pk, channel=channel, country_code=country, weight_kg=Decimal(weight), subtotal=eur(subtotal)
    )
    return [(offer.method.name, f"{offer.price.amount:.2f}") for offer in found]


def table_sizes():
    return [model.objects.count() for model in (ShippingZone, ShippingMethod, ShippingMethodChannelListing)]


def test_every_shop_delivers_in_belgium_by_bpost_priced_by_weight(shops, marketplace):
    ensure_demo_shipping(shops.values(), marketplace)

    namur = shops["namur"]
    assert offers(namur, marketplace, weight="1.5") == [("bpost à domicile", "5.95")]
    assert offers(namur, marketplace, weight="6") == [("bpost à domicile", "8.95")]
    assert offers(namur, marketplace, weight="25") == [("bpost à domicile", "14.95")]
    assert offers(namur, marketplace, weight="31") == []
    # The shop's own channel offers the same.
    assert offers(namur, namur.channel, weight="1.5") == [("bpost à domicile", "5.95")]
    assert set(ShippingZone.objects.get(vendor=namur, name="Belgique").warehouses.all()) == set(namur.warehouses.all())


def test_brussels_shops_also_deliver_by_cargo_bike_free_from_50_euros(shops, marketplace):
    ensure_demo_shipping(shops.values(), marketplace)

    assert offers(shops["brussels"], marketplace, subtotal="30.00") == [
        ("Livraison vélo-cargo", "4.50"),
        ("bpost à domicile", "5.95"),
    ]
    assert offers(shops["brussels"], marketplace, subtotal="50.00")[0] == ("Livraison vélo-cargo", "0.00")
    assert all(name != "Livraison vélo-cargo" for name, _ in offers(shops["namur"], marketplace))
    assert all(name != "Livraison vélo-cargo" for name, _ in offers(shops["toys"], marketplace))


@pytest.mark.parametrize("country", ["FR", "NL", "LU", "DE"])
def test_every_shop_ships_to_the_neighbouring_countries(shops, marketplace, country):
    ensure_demo_shipping(shops.values(), marketplace)
    assert offers(shops["namur"], marketplace, country=country) == [("bpost international", "19.95")]
    assert offers(shops["namur"], marketplace, country="ES") == []


def test_books_are_taxed_at_6_and_the_rest_at_21_and_one_shop_is_exempt(shops, marketplace):
    book, furniture = make_product_type("Livre"), make_product_type("Meuble")
    book.slug = "book"
    book.save()
    intermediate = TaxClass.objects.get(name="Intermediate 12 %")
    materials = make_product_type("Matériau", tax_class=intermediate)

    ensure_demo_shipping(shops.values(), marketplace)

    book.refresh_from_db(), furniture.refresh_from_db(), materials.refresh_from_db()
    assert (book.tax_class.name, furniture.tax_class.name) == ("Reduced 6 %", "Standard 21 %")
    assert materials.tax_class == intermediate, "a class chosen in the back-office is kept"
    shops["toys"].refresh_from_db()
    assert shops["toys"].vat_exempt and not shops["namur"].vat_exempt
    assert shipping_vat_rate(vendor_id=shops["toys"].pk, country_code="BE") == 0


def test_a_second_run_creates_nothing_and_keeps_back_office_edits(shops, marketplace):
    assert ensure_demo_shipping(shops.values(), marketplace) == 3
    sizes = table_sizes()
    listing = ShippingMethodChannelListing.objects.filter(shipping_method__shipping_zone__vendor=shops["namur"]).first()
    listing.price_amount = Decimal("6.50")
    listing.save()
    shops["toys"].vat_exempt = False
    shops["toys"].save()

    assert ensure_demo_shipping(shops.values(), marketplace) == 0

    assert table_sizes() == sizes
    listing.refresh_from_db()
    assert listing.price_amount == Decimal("6.50")
    shops["toys"].refresh_from_db()
    assert not shops["toys"].vat_exempt
