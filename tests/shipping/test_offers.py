"""Which home-delivery methods a shopper is offered for one shop's part of the cart, and at what price."""

from __future__ import annotations

from decimal import Decimal

import pytest

from saleor_ext.shipping.models import ShippingMethodType, ShippingZone
from saleor_ext.shipping.selectors import shipping_countries
from saleor_ext.shipping.services import (
    applicable_shipping_methods,
    applicable_shipping_methods_for_vendors,
    shipping_method_offer,
)
from tests.factories import make_channel, make_vendor

from .conftest import eur, make_method, make_zone

pytestmark = pytest.mark.django_db


def offered(vendor, channel, country="BE", weight="1", subtotal="20.00"):
    offers = applicable_shipping_methods(
        vendor_id=vendor.pk,
        channel=channel,
        country_code=country,
        weight_kg=Decimal(weight) if weight is not None else None,
        subtotal=eur(subtotal),
    )
    return [(offer.method.name, f"{offer.price.amount:.2f}") for offer in offers]


def test_a_light_parcel_in_belgium_gets_the_cheapest_bpost_band_and_the_cargo_bike(bikes, marketplace):
    assert offered(bikes, marketplace, weight="1.5", subtotal="30.00") == [("Vélo-cargo", "4.50"), ("bpost", "5.95")]


def test_weight_bounds_are_inclusive_and_pick_the_matching_band(bikes, marketplace):
    assert ("bpost", "8.95") in offered(bikes, marketplace, weight="10")
    assert ("bpost", "14.95") in offered(bikes, marketplace, weight="10")
    assert [o for o in offered(bikes, marketplace, weight="10.5") if o[0] == "bpost"] == [("bpost", "14.95")]


def test_a_parcel_heavier_than_every_band_gets_no_bpost(bikes, marketplace):
    assert [name for name, _ in offered(bikes, marketplace, weight="31")] == ["Vélo-cargo"]


def test_cargo_bike_is_free_from_fifty_euros(bikes, marketplace):
    assert ("Vélo-cargo", "4.50") in offered(bikes, marketplace, subtotal="49.99")
    cargo = [o for o in offered(bikes, marketplace, subtotal="50.00") if o[0] == "Vélo-cargo"]
    assert cargo == [("Vélo-cargo", "0.00")]


def test_price_bounds_do_not_apply_to_weight_methods_nor_weight_bounds_to_price_methods(marketplace):
    vendor = make_vendor()
    zone = make_zone(vendor, marketplace)
    make_method(zone, "by weight", "5.00", min_weight="0", max_weight="2", min_price="100", max_price="200")
    method = make_method(zone, "by price", "6.00", type=ShippingMethodType.PRICE_BASED, min_price="0")
    method.maximum_order_weight = Decimal("1")
    method.save()

    assert offered(vendor, marketplace, weight="5", subtotal="20.00") == [("by price", "6.00")]
    assert offered(vendor, marketplace, weight="1", subtotal="20.00") == [("by weight", "5.00"), ("by price", "6.00")]


def test_an_unknown_weight_only_fits_weight_methods_without_bounds(marketplace):
    vendor = make_vendor()
    zone = make_zone(vendor, marketplace)
    make_method(zone, "bounded", "5.00", min_weight="0", max_weight="2")
    make_method(zone, "any weight", "9.00", min_weight="0")

    assert offered(vendor, marketplace, weight=None) == [("any weight", "9.00")]


def test_no_offer_for_a_country_the_shop_does_not_ship_to(bikes, books, marketplace):
    assert offered(bikes, marketplace, country="FR") == []
    assert offered(books, marketplace, country="FR") == [("Colis livres", "3.90")]
    assert offered(books, marketplace, country="fr") == [("Colis livres", "3.90")]
    assert offered(books, marketplace, country="") == []


def test_a_zone_not_linked_to_the_channel_offers_nothing_there(bikes, marketplace):
    shop_channel = make_channel("shop-elsewhere")
    assert offered(bikes, shop_channel) == []


def test_a_method_without_a_price_in_the_channel_is_not_offered(marketplace):
    vendor = make_vendor()
    own_channel = vendor.channel
    zone = make_zone(vendor, marketplace, own_channel)
    make_method(zone, "everywhere", "5.00")
    make_method(zone, "own shop only", "3.00", channels=[own_channel])

    assert offered(vendor, marketplace) == [("everywhere", "5.00")]
    assert offered(vendor, own_channel) == [("own shop only", "3.00"), ("everywhere", "5.00")]


def test_another_shops_zones_are_never_offered(bikes, books, marketplace):
    names = {name for name, _ in offered(bikes, marketplace)}
    assert "Colis livres" not in names
    assert offered(make_vendor(), marketplace) == []


def test_offers_are_sorted_by_price_then_name(marketplace):
    vendor = make_vendor()
    zone = make_zone(vendor, marketplace)
    for name, price in [("Zèbre express", "4.00"), ("Coursier", "6.00"), ("Alpaga", "4.00"), ("Gratuit", "0")]:
        make_method(zone, name, price)

    assert offered(vendor, marketplace) == [
        ("Gratuit", "0.00"),
        ("Alpaga", "4.00"),
        ("Zèbre express", "4.00"),
        ("Coursier", "6.00"),
    ]


def test_an_offer_carries_the_gross_price_in_the_channel_currency_and_the_delivery_time(bikes, marketplace):
    offer = applicable_shipping_methods(
        vendor_id=bikes.pk, channel=marketplace, country_code="BE", weight_kg=Decimal("12"), subtotal=eur("80")
    )[-1]

    assert offer.method.name == "bpost"
    assert offer.price == eur("14.95")
    assert (offer.minimum_delivery_days, offer.maximum_delivery_days) == (2, 3)
    assert offer.channel_id == marketplace.pk


def test_a_subtotal_in_another_currency_matches_no_price(bikes, marketplace):
    from prices import Money

    offers = applicable_shipping_methods(
        vendor_id=bikes.pk, channel=marketplace, country_code="BE", weight_kg=Decimal("1"),
        subtotal=Money(Decimal("30"), "USD"),
    )
    assert offers == []


def test_the_default_zone_covers_the_countries_no_other_zone_of_the_shop_lists(marketplace):
    vendor = make_vendor()
    make_method(make_zone(vendor, marketplace, name="Belgique", countries=["BE"]), "bpost", "5.95")
    make_method(make_zone(vendor, marketplace, name="Monde", countries=[], default=True), "Monde", "39.00")

    assert offered(vendor, marketplace, country="JP") == [("Monde", "39.00")]
    assert offered(vendor, marketplace, country="BE") == [("bpost", "5.95")]
    # Another shop's zone listing Japan does not take it away from this shop's default zone.
    make_zone(make_vendor(), marketplace, countries=["JP"])
    assert offered(vendor, marketplace, country="JP") == [("Monde", "39.00")]


def test_a_chosen_method_is_checked_again_against_the_cart(bikes, books, marketplace):
    light, heavy = sorted(
        (m for m in bikes.shipping_zones.get().shipping_methods.all() if m.name == "bpost"),
        key=lambda m: m.maximum_order_weight,
    )[:2]
    args = {"vendor_id": bikes.pk, "channel": marketplace, "country_code": "BE", "subtotal": eur("30")}

    offer = shipping_method_offer(method_id=light.pk, weight_kg=Decimal("1"), **args)
    assert offer is not None and offer.price == eur("5.95")
    assert shipping_method_offer(method_id=light.pk, weight_kg=Decimal("3"), **args) is None
    assert shipping_method_offer(method_id=heavy.pk, weight_kg=Decimal("3"), **args).price == eur("8.95")
    books_method = books.shipping_zones.get().shipping_methods.get()
    assert shipping_method_offer(method_id=books_method.pk, weight_kg=Decimal("1"), **args) is None


def test_offers_for_every_shop_of_a_cart_at_once(bikes, books, marketplace):
    nothing = make_vendor()
    result = applicable_shipping_methods_for_vendors(
        vendor_ids=[bikes.pk, books.pk, nothing.pk],
        channel=marketplace,
        country_code="BE",
        weights_kg={bikes.pk: Decimal("16"), books.pk: Decimal("0.4"), nothing.pk: Decimal("1")},
        subtotals={bikes.pk: eur("120"), books.pk: eur("6"), nothing.pk: eur("10")},
    )

    assert {vendor_id: [(o.method.name, o.price.amount) for o in offers] for vendor_id, offers in result.items()} == {
        bikes.pk: [("Vélo-cargo", Decimal("0")), ("bpost", Decimal("14.95"))],
        books.pk: [("Colis livres", Decimal("3.90"))],
        nothing.pk: [],
    }


@pytest.mark.parametrize("shops", [1, 5])
def test_offers_for_a_cart_cost_one_query_whatever_the_number_of_shops(marketplace, django_assert_num_queries, shops):
    vendors = []
    for index in range(shops):
        vendor = make_vendor()
        zone = make_zone(vendor, marketplace, countries=["BE", "FR"])
        make_method(zone, f"bpost {index}", "5.95", min_weight="0", max_weight="10")
        make_method(zone, f"cargo {index}", "4.50", type=ShippingMethodType.PRICE_BASED, max_price="50")
        make_zone(vendor, marketplace, name="Monde", countries=[], default=True)
        vendors.append(vendor)

    with django_assert_num_queries(1):
        result = applicable_shipping_methods_for_vendors(
            vendor_ids=[v.pk for v in vendors],
            channel=marketplace,
            country_code="BE",
            weights_kg={v.pk: Decimal("1") for v in vendors},
            subtotals={v.pk: eur("20") for v in vendors},
        )
        # The checkout reads these on every offer: they come with the query.
        names = [(o.method.name, o.method.shipping_zone.vendor_id) for offers in result.values() for o in offers]

    assert len(names) == 2 * shops


def test_shipping_countries_of_a_channel(bikes, books, marketplace):
    assert shipping_countries(marketplace) == ["BE", "FR"]
    assert ShippingZone.objects.get(vendor=books).countries == ["BE", "FR"]
