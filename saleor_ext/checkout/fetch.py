"""Everything a checkout's prices and rules need, read in a constant number of queries.

``fetch_checkout_info`` loads the lines with their variants, products and channel prices, splits
them into one group per vendor, and prices each group: lines (gross as entered, net by the VAT
rate of the product type and vendor), the delivery chosen for the vendor, and totals.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from prices import Money, TaxedMoney

from saleor_ext.core import sql
from saleor_ext.core.reference_cache import reference_table
from saleor_ext.product import selectors
from saleor_ext.product.models import (
    Product,
    ProductChannelListing,
    ProductType,
    ProductVariant,
    ProductVariantChannelListing,
)
from saleor_ext.tax import services as tax_services
from saleor_ext.vendor.models import Vendor
from saleor_ext.warehouse.models import Warehouse

from .models import Checkout, CheckoutDelivery, CheckoutLine, CheckoutVendorDelivery


def zero_taxed(currency: str) -> TaxedMoney:
    zero = Money(Decimal(0), currency)
    return TaxedMoney(net=zero, gross=zero)


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
    # The cart this group belongs to (set once the cart is built).
    checkout_info: CheckoutInfo | None = field(default=None, repr=False)

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
    # Computed at most once per request by the API: offers refreshed, pickup points per vendor.
    offers_fresh: bool = False
    collection_points: dict[int, list] | None = None
    # Every valid delivery offer row of the cart, shops no longer in it included.
    offer_rows: list[CheckoutDelivery] = field(default_factory=list)

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


# A line's product as the catalogue reads it: every column but the search index's.
PRODUCT_FIELDS = tuple(f.name for f in Product._meta.concrete_fields if f.name not in selectors.HEAVY_COLUMNS)


def fetch_lines(checkout: Checkout) -> list[LineInfo]:
    """The cart's lines with variant, product, product type and both channel listings, not yet
    priced (``fetch_checkout_info`` prices them): one query. The products hold what the catalogue
    reads of them, so the API answers a line's product fields without loading them again."""
    product_columns, product_attnames = sql.some_columns(Product, "p", PRODUCT_FIELDS)
    parts = [CheckoutLine, ProductVariant, ProductType, ProductVariantChannelListing, ProductChannelListing]
    rows = sql.fetch(
        f"SELECT {sql.columns(CheckoutLine, 'l')}, {sql.columns(ProductVariant, 'v')}, {sql.columns(ProductType, 't')},"
        f" {sql.columns(ProductVariantChannelListing, 'vl')}, {sql.columns(ProductChannelListing, 'pl')},"
        f" {product_columns}"
        f" FROM {sql.table(CheckoutLine)} l"
        f" JOIN {sql.table(ProductVariant)} v ON v.id = l.variant_id"
        f" JOIN {sql.table(Product)} p ON p.id = v.product_id"
        f" JOIN {sql.table(ProductType)} t ON t.id = p.product_type_id"
        f" LEFT JOIN {sql.table(ProductVariantChannelListing)} vl ON vl.variant_id = v.id AND vl.channel_id = %s"
        f" LEFT JOIN {sql.table(ProductChannelListing)} pl ON pl.product_id = p.id AND pl.channel_id = %s"
        " WHERE l.checkout_id = %s ORDER BY l.created_at, l.id",
        [checkout.channel_id, checkout.channel_id, checkout.pk],
    )
    infos = []
    for row in rows:
        built, offset = [], 0
        for model in parts:
            width = sql.width(model)
            values = row[offset : offset + width]
            # A LEFT JOIN that found nothing gives a row of NULLs.
            built.append(sql.instance(model, values) if values[0] is not None else None)
            offset += width
        line, variant, product_type, variant_listing, product_listing = built
        product = sql.partial_instance(Product, product_attnames, row[offset:])
        Product.product_type.field.set_cached_value(product, product_type)
        ProductVariant.product.field.set_cached_value(variant, product)
        CheckoutLine.variant.field.set_cached_value(line, variant)
        CheckoutLine.checkout.field.set_cached_value(line, checkout)
        infos.append(LineInfo(line, variant_listing, product_listing))
    return infos


def _deliveries(checkout: Checkout) -> tuple[dict[int, CheckoutVendorDelivery], dict[int, list[CheckoutDelivery]]]:
    """Per vendor: the chosen delivery (with its offer or pickup warehouse) and the valid offers."""
    rows = sql.fetch(
        f"SELECT {sql.columns(CheckoutDelivery, 'd')} FROM {sql.table(CheckoutDelivery)} d"
        " WHERE d.checkout_id = %s AND d.is_valid ORDER BY d.price_amount, d.name, d.id",
        [checkout.pk],
    )
    offers: dict[int, list[CheckoutDelivery]] = {}
    by_id = {}
    for row in rows:
        offer = sql.instance(CheckoutDelivery, row)
        CheckoutDelivery.checkout.field.set_cached_value(offer, checkout)
        offers.setdefault(offer.vendor_id, []).append(offer)
        by_id[offer.pk] = offer
    choices = {}
    for choice in CheckoutVendorDelivery.objects.filter(checkout=checkout):
        if choice.delivery_id is not None:
            # A chosen offer is usually still valid; an invalid one is read to show what was chosen.
            delivery = by_id.get(choice.delivery_id) or CheckoutDelivery.objects.get(pk=choice.delivery_id)
            CheckoutVendorDelivery.delivery.field.set_cached_value(choice, delivery)
        choices[choice.vendor_id] = choice
    points = [c.collection_point_id for c in choices.values() if c.collection_point_id]
    if points:
        warehouses = Warehouse.objects.select_related("address").in_bulk(points)
        for choice in choices.values():
            if choice.collection_point_id:
                CheckoutVendorDelivery.collection_point.field.set_cached_value(
                    choice, warehouses.get(choice.collection_point_id)
                )
    return choices, offers


def _vendors(vendor_ids: set[int]) -> dict[int, Vendor]:
    vendors = reference_table("vendor.Vendor", Vendor.objects.select_related("address", "channel").in_bulk)
    missing = vendor_ids - set(vendors)
    if missing:
        vendors = {**vendors, **Vendor.objects.select_related("address", "channel").in_bulk(missing)}
    return vendors


def fetch_checkout_info(checkout: Checkout, lines: list[LineInfo] | None = None) -> CheckoutInfo:
    """The priced cart; ``lines`` from an earlier ``fetch_lines`` of this checkout are priced in place."""
    infos = fetch_lines(checkout) if lines is None else lines
    vendor_ids = {info.vendor_id for info in infos}
    vendors = _vendors(vendor_ids)
    choices, offers = _deliveries(checkout) if infos else ({}, {})

    tax = tax_services
    country = checkout.country
    shipped = {vendor_id for vendor_id, choice in choices.items() if choice.delivery_id}
    # The items' and the deliveries' rates in one query.
    line_pairs = {(info.product.product_type_id, info.vendor_id) for info in infos}
    rates = tax.vat_rates(line_pairs | {tax.shipping_key(vendor_id) for vendor_id in shipped}, country)
    currency = checkout.currency
    for info in infos:
        info.tax_rate = rates.get((info.product.product_type_id, info.vendor_id), Decimal(0))
        if info.is_priced:
            unit_gross = Money(info.variant_listing.price_amount, currency)
            info.unit_price = tax.split_gross(unit_gross, info.tax_rate)
            info.total_price = tax.split_gross(unit_gross * info.line.quantity, info.tax_rate)

    shipping_rates = {vendor_id: rates[tax.shipping_key(vendor_id)] for vendor_id in shipped}
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
    offer_rows = [offer for vendor_offers in offers.values() for offer in vendor_offers]
    info = CheckoutInfo(checkout=checkout, lines=infos, groups=groups, offer_rows=offer_rows)
    for group in groups:
        group.checkout_info = info
    return info
