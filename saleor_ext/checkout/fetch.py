"""Everything a checkout's prices and rules need, read in a constant number of queries.

``fetch_checkout_info`` loads the lines with their variants, products and channel prices, splits
them into one group per vendor, and prices each group: lines (gross as entered, net by the VAT
rate of the product type and vendor), the delivery chosen for the vendor, and totals.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from prices import Money, TaxedMoney

from saleor_ext.product.models import ProductChannelListing, ProductVariantChannelListing
from saleor_ext.vendor.models import Vendor

from .models import Checkout, CheckoutDelivery, CheckoutLine, CheckoutVendorDelivery


def zero_taxed(currency: str) -> TaxedMoney:
    zero = Money(Decimal(0), currency)
    return TaxedMoney(net=zero, gross=zero)


def _tax():
    # Imported late: the tax app is optional for reading a cart's lines, not for pricing it.
    from saleor_ext.tax import services

    return services


@dataclass
class LineInfo:
    line: CheckoutLine
    variant_listing: ProductVariantChannelListing | None
    product_listing: ProductChannelListing | None
    tax_rate: Decimal = Decimal(0)
    unit_price: TaxedMoney | None = None
    total_price: TaxedMoney | None = None

    @property
    def variant(self):
        return self.line.variant

    @property
    def product(self):
        return self.line.variant.product

    @property
    def vendor_id(self) -> int:
        return self.line.variant.vendor_id

    @property
    def is_priced(self) -> bool:
        return self.variant_listing is not None and self.variant_listing.price_amount is not None

    @property
    def weight_kg(self) -> Decimal:
        weight = self.variant.weight if self.variant.weight is not None else self.product.weight
        if weight is None:
            weight = self.product.product_type.weight
        return Decimal(str(weight or 0)) * self.line.quantity


@dataclass
class VendorGroup:
    vendor: Vendor
    lines: list[LineInfo]
    choice: CheckoutVendorDelivery | None
    subtotal: TaxedMoney
    shipping_price: TaxedMoney
    shipping_tax_rate: Decimal = Decimal(0)
    offers: list[CheckoutDelivery] = field(default_factory=list)

    @property
    def total(self) -> TaxedMoney:
        return self.subtotal + self.shipping_price

    @property
    def delivery(self) -> CheckoutDelivery | None:
        return self.choice.delivery if self.choice else None

    @property
    def collection_point(self):
        return self.choice.collection_point if self.choice else None

    @property
    def is_shipping_required(self) -> bool:
        return any(info.product.product_type.is_shipping_required for info in self.lines)

    @property
    def weight_kg(self) -> Decimal:
        return sum((info.weight_kg for info in self.lines), Decimal(0))

    @property
    def has_delivery(self) -> bool:
        return bool(self.choice and (self.choice.delivery_id or self.choice.collection_point_id))


@dataclass
class CheckoutInfo:
    checkout: Checkout
    lines: list[LineInfo]
    groups: list[VendorGroup]

    @property
    def currency(self) -> str:
        return self.checkout.currency

    @property
    def subtotal(self) -> TaxedMoney:
        return sum((g.subtotal for g in self.groups), zero_taxed(self.currency))

    @property
    def shipping_price(self) -> TaxedMoney:
        return sum((g.shipping_price for g in self.groups), zero_taxed(self.currency))

    @property
    def total(self) -> TaxedMoney:
        return self.subtotal + self.shipping_price

    @property
    def quantity(self) -> int:
        return sum(info.line.quantity for info in self.lines)

    @property
    def is_shipping_required(self) -> bool:
        return any(group.is_shipping_required for group in self.groups)

    def group(self, vendor_id: int) -> VendorGroup | None:
        return next((g for g in self.groups if g.vendor.pk == vendor_id), None)


def fetch_checkout_info(checkout: Checkout) -> CheckoutInfo:
    lines = list(
        checkout.lines.select_related("variant__product__product_type").order_by("created_at", "id")
    )
    variant_ids = {line.variant_id for line in lines}
    product_ids = {line.variant.product_id for line in lines}
    variant_listings = {
        listing.variant_id: listing
        for listing in ProductVariantChannelListing.objects.filter(
            variant_id__in=variant_ids, channel_id=checkout.channel_id
        )
    }
    product_listings = {
        listing.product_id: listing
        for listing in ProductChannelListing.objects.filter(product_id__in=product_ids, channel_id=checkout.channel_id)
    }
    infos = [
        LineInfo(line, variant_listings.get(line.variant_id), product_listings.get(line.variant.product_id))
        for line in lines
    ]
    vendor_ids = {info.vendor_id for info in infos}
    vendors = Vendor.objects.in_bulk(vendor_ids)
    choices = {
        choice.vendor_id: choice
        for choice in CheckoutVendorDelivery.objects.filter(checkout=checkout).select_related(
            "delivery", "collection_point__address"
        )
    }
    offers: dict[int, list[CheckoutDelivery]] = {}
    for offer in CheckoutDelivery.objects.filter(checkout=checkout, is_valid=True):
        offers.setdefault(offer.vendor_id, []).append(offer)

    tax = _tax()
    country = checkout.country
    rates = tax.vat_rates({(info.product.product_type_id, info.vendor_id) for info in infos}, country)
    currency = checkout.currency
    for info in infos:
        info.tax_rate = rates.get((info.product.product_type_id, info.vendor_id), Decimal(0))
        if info.is_priced:
            unit_gross = Money(info.variant_listing.price_amount, currency)
            info.unit_price = tax.split_gross(unit_gross, info.tax_rate)
            info.total_price = tax.split_gross(unit_gross * info.line.quantity, info.tax_rate)

    shipping_rates = tax.shipping_vat_rates(vendor_ids, country)
    groups = []
    for vendor_id in sorted(vendor_ids, key=lambda pk: (vendors[pk].name, pk)):
        vendor_lines = [info for info in infos if info.vendor_id == vendor_id]
        priced = [info.total_price for info in vendor_lines if info.total_price is not None]
        subtotal = sum(priced, zero_taxed(currency))
        choice = choices.get(vendor_id)
        shipping = zero_taxed(currency)
        shipping_rate = Decimal(0)
        if choice is not None and choice.delivery is not None:
            shipping_rate = shipping_rates.get(vendor_id, Decimal(0))
            shipping = tax.split_gross(Money(choice.delivery.price_amount, currency), shipping_rate)
        groups.append(
            VendorGroup(
                vendor=vendors[vendor_id],
                lines=vendor_lines,
                choice=choice,
                subtotal=subtotal,
                shipping_price=shipping,
                shipping_tax_rate=shipping_rate,
                offers=offers.get(vendor_id, []),
            )
        )
    return CheckoutInfo(checkout=checkout, lines=infos, groups=groups)
