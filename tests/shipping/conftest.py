"""Shops with shipping zones, as a shop's staff would set them up in the back-office."""

from __future__ import annotations

from decimal import Decimal

import pytest
from prices import Money

from saleor_ext.channel.models import Channel
from saleor_ext.shipping.models import (
    ShippingMethod,
    ShippingMethodChannelListing,
    ShippingMethodType,
    ShippingZone,
)
from saleor_ext.vendor.models import Vendor
from tests.factories import make_channel, make_vendor


def eur(amount: str) -> Money:
    return Money(Decimal(amount), "EUR")


def make_zone(vendor: Vendor, *channels: Channel, name: str = "Belgique", countries=("BE",), **fields) -> ShippingZone:
    zone = ShippingZone.objects.create(vendor=vendor, name=name, countries=list(countries), **fields)
    zone.channels.add(*channels)
    return zone


def make_method(
    zone: ShippingZone,
    name: str,
    price: str,
    *,
    channels: list[Channel] | None = None,
    type: str = ShippingMethodType.WEIGHT_BASED,
    min_weight: str | None = None,
    max_weight: str | None = None,
    min_price: str | None = None,
    max_price: str | None = None,
    days: tuple[int | None, int | None] = (None, None),
) -> ShippingMethod:
    """A method priced at ``price`` in ``channels`` (default: every channel of its zone)."""
    method = ShippingMethod.objects.create(
        shipping_zone=zone,
        name=name,
        type=type,
        minimum_order_weight=Decimal(min_weight) if min_weight is not None else None,
        maximum_order_weight=Decimal(max_weight) if max_weight is not None else None,
        minimum_delivery_days=days[0],
        maximum_delivery_days=days[1],
    )
    for channel in channels if channels is not None else zone.channels.all():
        ShippingMethodChannelListing.objects.create(
            shipping_method=method,
            channel=channel,
            currency=channel.currency_code,
            price_amount=Decimal(price),
            minimum_order_price_amount=Decimal(min_price) if min_price is not None else None,
            maximum_order_price_amount=Decimal(max_price) if max_price is not None else None,
        )
    return method


@pytest.fixture
def marketplace(db) -> Channel:
    return make_channel("marketplace")


@pytest.fixture
def bikes(marketplace) -> Vendor:
    """A Brussels bike workshop: bpost by weight and a cargo-bike delivery free from 50 €."""
    vendor = make_vendor("Atelier Vélo")
    zone = make_zone(vendor, marketplace)
    make_method(zone, "bpost", "5.95", min_weight="0", max_weight="2", days=(1, 2))
    make_method(zone, "bpost", "8.95", min_weight="2", max_weight="10", days=(1, 2))
    make_method(zone, "bpost", "14.95", min_weight="10", max_weight="30", days=(2, 3))
    make_method(zone, "Vélo-cargo", "4.50", type=ShippingMethodType.PRICE_BASED, max_price="49.99", days=(1, 1))
    make_method(zone, "Vélo-cargo", "0.00", type=ShippingMethodType.PRICE_BASED, min_price="50.00", days=(1, 1))
    return vendor


@pytest.fixture
def books(marketplace) -> Vendor:
    """A bookshop shipping to Belgium and France."""
    vendor = make_vendor("Bouquinerie")
    zone = make_zone(vendor, marketplace, countries=("BE", "FR"))
    make_method(zone, "Colis livres", "3.90")
    return vendor
