"""Demo home delivery and VAT: every shop ships across Belgium and to its neighbours.

Per shop, a zone "Belgique" (marketplace and the shop's own channel) with bpost by weight and,
for shops in the Brussels region, a cargo-bike delivery free from 50 €; a zone "Pays voisins"
(FR, NL, LU, DE) with one bpost method by weight. Product types get their VAT class (books 6 %,
the rest 21 %) and one small shop works under the VAT franchise regime.

Idempotent: a shop's zone is created once (matched by name) and left alone afterwards, so edits
made in the back-office survive a second run; channel links are added when missing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from saleor_ext.channel.models import Channel
from saleor_ext.core.rich_text import editorjs_from_text
from saleor_ext.product.models import ProductType
from saleor_ext.shipping.models import (
    ShippingMethod,
    ShippingMethodChannelListing,
    ShippingMethodType,
    ShippingZone,
)
from saleor_ext.tax.models import TaxClass, TaxClassCountryRate
from saleor_ext.vendor.models import Vendor
from saleor_ext.warehouse.models import Warehouse

BELGIUM_ZONE, NEIGHBOURS_ZONE = "Belgique", "Pays voisins"
NEIGHBOURS = ["DE", "FR", "LU", "NL"]
# Postal codes of the Brussels-Capital Region, where cargo bikes deliver.
BRUSSELS_POSTAL_CODES = range(1000, 1300)
# A small volunteer-run shop under the franchise regime (no VAT charged).
VAT_EXEMPT_SHOP = "Le Coffre à Jouets"
STANDARD_CLASS, REDUCED_CLASS = "Standard 21 %", "Reduced 6 %"
REDUCED_RATE_TYPES = {"book"}


@dataclass(frozen=True)
class MethodSpec:
    name: str
    type: str
    price: str
    min_weight: str | None = None
    max_weight: str | None = None
    min_order_price: str | None = None
    max_order_price: str | None = None
    days: tuple[int, int] = (1, 2)
    text: str = ""


BPOST = "bpost à domicile"
BPOST_TEXT = "Colis remis par bpost à votre adresse, du lundi au samedi."
BELGIUM_METHODS = [
    MethodSpec(BPOST, ShippingMethodType.WEIGHT_BASED, "5.95", "0", "2", text=BPOST_TEXT),
    MethodSpec(BPOST, ShippingMethodType.WEIGHT_BASED, "8.95", "2", "10", text=BPOST_TEXT),
    MethodSpec(BPOST, ShippingMethodType.WEIGHT_BASED, "14.95", "10", "30", days=(2, 3), text=BPOST_TEXT),
]
CARGO = "Livraison vélo-cargo"
CARGO_TEXT = "Livré à vélo-cargo par un coursier bruxellois, dans toute la Région de Bruxelles-Capitale."
CARGO_METHODS = [
    MethodSpec(CARGO, ShippingMethodType.PRICE_BASED, "4.50", max_order_price="49.99", days=(1, 1), text=CARGO_TEXT),
    MethodSpec(CARGO, ShippingMethodType.PRICE_BASED, "0.00", min_order_price="50.00", days=(1, 1), text=CARGO_TEXT),
]
NEIGHBOURS_METHODS = [
    MethodSpec(
        "bpost international", ShippingMethodType.WEIGHT_BASED, "19.95", "0", "30", days=(3, 5),
        text="Colis bpost vers la France, les Pays-Bas, le Luxembourg et l'Allemagne.",
    ),
]


def _decimal(value: str | None) -> Decimal | None:
    return Decimal(value) if value is not None else None


def _tax_class(name: str, be_rate: str) -> TaxClass:
    # The tax migration creates both classes; recreated here if someone removed them.
    tax_class, created = TaxClass.objects.get_or_create(name=name)
    if created:
        TaxClassCountryRate.objects.create(tax_class=tax_class, country="BE", rate=Decimal(be_rate))
    return tax_class


def ensure_product_type_tax_classes() -> None:
    """Product types without a VAT class get one: books the reduced rate, the others the standard."""
    standard, reduced = _tax_class(STANDARD_CLASS, "21"), _tax_class(REDUCED_CLASS, "6")
    untaxed = ProductType.objects.filter(tax_class__isnull=True)
    untaxed.filter(slug__in=REDUCED_RATE_TYPES).update(tax_class=reduced)
    untaxed.exclude(slug__in=REDUCED_RATE_TYPES).update(tax_class=standard)


def is_in_brussels(vendor: Vendor) -> bool:
    postal_code = vendor.address.postal_code if vendor.address_id else ""
    return postal_code.isdigit() and int(postal_code) in BRUSSELS_POSTAL_CODES


def _create_zone(vendor: Vendor, name: str, countries: list[str], methods: list[MethodSpec], channels) -> ShippingZone:
    zone = ShippingZone.objects.create(vendor=vendor, name=name, countries=countries)
    zone.warehouses.set(Warehouse.objects.filter(vendor=vendor))
    for spec in methods:
        method = ShippingMethod.objects.create(
            shipping_zone=zone,
            name=spec.name,
            type=spec.type,
            minimum_order_weight=_decimal(spec.min_weight),
            maximum_order_weight=_decimal(spec.max_weight),
            minimum_delivery_days=spec.days[0],
            maximum_delivery_days=spec.days[1],
            description=editorjs_from_text(spec.text),
        )
        ShippingMethodChannelListing.objects.bulk_create(
            ShippingMethodChannelListing(
                shipping_method=method,
                channel=channel,
                currency=channel.currency_code,
                price_amount=Decimal(spec.price),
                minimum_order_price_amount=_decimal(spec.min_order_price),
                maximum_order_price_amount=_decimal(spec.max_order_price),
            )
            for channel in channels
        )
    return zone


def ensure_vendor_shipping(vendor: Vendor, marketplace: Channel) -> bool:
    """The shop's two demo zones; returns whether they were created now."""
    channels = [marketplace, *Channel.objects.filter(vendor=vendor)]
    zones = {zone.name: zone for zone in ShippingZone.objects.filter(vendor=vendor, name__in=[BELGIUM_ZONE,
                                                                                              NEIGHBOURS_ZONE])}
    created = BELGIUM_ZONE not in zones
    if created:
        methods = BELGIUM_METHODS + (CARGO_METHODS if is_in_brussels(vendor) else [])
        zones[BELGIUM_ZONE] = _create_zone(vendor, BELGIUM_ZONE, ["BE"], methods, channels)
        if vendor.name == VAT_EXEMPT_SHOP and not vendor.vat_exempt:
            vendor.vat_exempt = True
            vendor.save(update_fields=["vat_exempt"])
    if NEIGHBOURS_ZONE not in zones:
        zones[NEIGHBOURS_ZONE] = _create_zone(vendor, NEIGHBOURS_ZONE, NEIGHBOURS, NEIGHBOURS_METHODS, channels)
    for zone in zones.values():
        zone.channels.add(*channels)
    return created


@transaction.atomic
def ensure_demo_shipping(vendors: Iterable[Vendor], marketplace: Channel) -> int:
    """VAT classes of the product types and every shop's demo zones; returns how many shops got zones now."""
    ensure_product_type_tax_classes()
    return sum(ensure_vendor_shipping(vendor, marketplace) for vendor in vendors)
