"""Batch loaders of the catalogue: one query per loader per level, whatever the page size."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count

from saleor_ext.core import sql
from saleor_ext.product import selectors
from saleor_ext.product.models import (
    Category,
    Collection,
    CollectionProduct,
    Product,
    ProductChannelListing,
    ProductMedia,
    ProductType,
    ProductVariant,
    ProductVariantChannelListing,
    VariantMedia,
)
from saleor_ext.tax import services as tax_services
from saleor_ext.vendor.models import Vendor
from saleor_ext.warehouse.models import Stock
from saleor_ext.warehouse.selectors import reserved_quantities

from ..core.context import BaseLoader
from ..core.dataloaders import ByIdLoader, ListByForeignKeyLoader
from .channel import channel_by_slug


class ProductByIdLoader(ByIdLoader):
    model = Product


class ProductVariantByIdLoader(ByIdLoader):
    model = ProductVariant


class ProductTypeByIdLoader(ByIdLoader):
    model = ProductType
    whole_table = True


class CategoryByIdLoader(ByIdLoader):
    model = Category
    whole_table = True


class CollectionByIdLoader(ByIdLoader):
    model = Collection


class VendorByIdLoader(ByIdLoader):
    model = Vendor
    related = ("address", "channel")
    whole_table = True


def _group_keys_by_channel(keys):
    """{channel slug: [object ids]} for keys shaped (object id, channel slug, …)."""
    grouped: dict[str | None, set[int]] = defaultdict(set)
    for key in keys:
        grouped[key[1]].add(key[0])
    return grouped


class VariantsByProductLoader(BaseLoader):
    """Key (product id, channel slug, restricted): the product's variants, only priced ones when restricted."""

    def batch_load(self, keys):
        groups: dict[tuple[str | None, bool], set[int]] = defaultdict(set)
        for product_id, slug, restricted in keys:
            groups[(slug, restricted)].add(product_id)
        found: dict[tuple, list[ProductVariant]] = defaultdict(list)
        variant, listing = ProductVariant, ProductVariantChannelListing
        for (slug, restricted), product_ids in groups.items():
            condition, params = "v.product_id = ANY(%s)", [sql.id_array(product_ids)]
            if restricted:
                channel = channel_by_slug(self.context, slug)
                if channel is None:
                    continue
                condition += (
                    f" AND EXISTS (SELECT 1 FROM {sql.table(listing)} l WHERE l.variant_id = v.id"
                    " AND l.channel_id = %s AND l.price_amount IS NOT NULL)"
                )
                params.append(channel.id)
            rows = sql.fetch(
                f"SELECT {sql.columns(variant, 'v')} FROM {sql.table(variant)} v WHERE {condition}"
                " ORDER BY v.sort_order, v.sku, v.id",
                params,
            )
            for row in rows:
                instance = sql.instance(variant, row)
                found[(instance.product_id, slug, restricted)].append(instance)
        return [found.get(key, []) for key in keys]


class _ListingInChannelLoader(BaseLoader):
    """Key (owner id, channel slug): the owner's listing in that channel, or None."""

    model = None
    owner_field = ""

    def batch_load(self, keys):
        found = {}
        for slug, ids in _group_keys_by_channel(keys).items():
            channel = channel_by_slug(self.context, slug)
            if channel is None:
                continue
            rows = sql.fetch(
                f"SELECT {sql.columns(self.model, 'l')} FROM {sql.table(self.model)} l"
                f" WHERE l.channel_id = %s AND l.{self.owner_field} = ANY(%s)",
                [channel.id, sql.id_array(ids)],
            )
            for row in rows:
                listing = sql.instance(self.model, row)
                found[(getattr(listing, self.owner_field), slug)] = listing
        return [found.get(key) for key in keys]


class ProductChannelListingLoader(_ListingInChannelLoader):
    model = ProductChannelListing
    owner_field = "product_id"


class VariantChannelListingLoader(_ListingInChannelLoader):
    model = ProductVariantChannelListing
    owner_field = "variant_id"


class VariantChannelListingsLoader(ListByForeignKeyLoader):
    """Key variant id: every channel listing of the variant (staff views)."""

    model = ProductVariantChannelListing
    key_field = "variant_id"
    related = ("channel",)


class StocksByVariantLoader(ListByForeignKeyLoader):
    model = Stock
    key_field = "product_variant_id"
    related = ("warehouse",)


class ReservedQuantityByStockLoader(BaseLoader):
    """Key stock id: the units its live reservations hold for carts."""

    def batch_load(self, keys):
        found = reserved_quantities(keys)
        return [found.get(key, 0) for key in keys]


class VatRateLoader(BaseLoader):
    """Key (product id, country code): the VAT rate the cart applies to the product's items delivered
    there (``tax.services.vat_rates``); one query for the products, one per country for the rates."""

    def batch_load(self, keys):
        facts = dict(
            (pk, (type_id, vendor_id))
            for pk, type_id, vendor_id in Product.objects.filter(pk__in={pk for pk, _ in keys})
            .values_list("pk", "product_type_id", "vendor_id")
            .order_by()
        )
        by_country: dict[str, set] = defaultdict(set)
        for product_id, country in keys:
            if product_id in facts:
                by_country[country].add(facts[product_id])
        rates = {country: tax_services.vat_rates(pairs, country) for country, pairs in by_country.items()}
        return [rates[country][facts[pk]] if pk in facts else None for pk, country in keys]


class PriceRangeLoader(BaseLoader):
    """Key (product id, channel slug): the product's variant price range there."""

    def batch_load(self, keys):
        found = {}
        for slug, ids in _group_keys_by_channel(keys).items():
            channel = channel_by_slug(self.context, slug)
            if channel is None:
                continue
            for product_id, price_range in selectors.price_ranges(ids, channel).items():
                found[(product_id, slug)] = price_range
        return [found.get(key) for key in keys]


class QuantityAvailableLoader(BaseLoader):
    """Key (variant id, channel slug or None)."""

    def batch_load(self, keys):
        found = {}
        for slug, ids in _group_keys_by_channel(keys).items():
            channel = channel_by_slug(self.context, slug)
            if slug and channel is None:
                continue
            for variant_id, quantity in selectors.quantities_available(ids, channel).items():
                found[(variant_id, slug)] = quantity
        return [found.get(key, 0) for key in keys]


class ProductInStockLoader(BaseLoader):
    """Key (product id, channel slug): some sellable variant has unallocated stock in the channel."""

    def batch_load(self, keys):
        found = set()
        for slug, ids in _group_keys_by_channel(keys).items():
            channel = channel_by_slug(self.context, slug)
            for product_id in selectors.products_in_stock(ids, channel):
                found.add((product_id, slug))
        return [key in found for key in keys]


class MediaByProductLoader(BaseLoader):
    def batch_load(self, keys):
        found = defaultdict(list)
        rows = sql.fetch(
            f"SELECT {sql.columns(ProductMedia, 'm')} FROM {sql.table(ProductMedia)} m"
            " WHERE m.product_id = ANY(%s) ORDER BY m.sort_order, m.id",
            [sql.id_array(keys)],
        )
        for row in rows:
            media = sql.instance(ProductMedia, row)
            found[media.product_id].append(media)
        return [found.get(key, []) for key in keys]


class MediaByVariantLoader(ListByForeignKeyLoader):
    """Key variant id: the variant's own photos, through its links."""

    model = VariantMedia
    key_field = "variant_id"
    related = ("media",)
    ordering = ("media__sort_order", "media__pk")

    def value(self, row: VariantMedia) -> ProductMedia:
        return row.media


class CollectionsByProductLoader(BaseLoader):
    """Key (product id, channel slug, sees all): the collections holding the product that the viewer sees."""

    def batch_load(self, keys):
        groups: dict[tuple[str | None, bool], set[int]] = defaultdict(set)
        for product_id, slug, sees_all in keys:
            groups[(slug, sees_all)].add(product_id)
        found = defaultdict(list)
        for (slug, sees_all), ids in groups.items():
            viewer = selectors.Viewer(sees_all=sees_all)
            collections = selectors.visible_collections(viewer, channel_by_slug(self.context, slug))
            links = (
                CollectionProduct.objects.filter(product_id__in=ids, collection__in=collections)
                .select_related("collection")
                .order_by("collection__slug")
            )
            for link in links:
                found[(link.product_id, slug, sees_all)].append(link.collection)
        return [found.get(key, []) for key in keys]


class ProductCountByVendorLoader(BaseLoader):
    """Key (vendor id, channel slug, viewer): how many items of the vendor the viewer sees listed there."""

    def batch_load(self, keys):
        groups: dict[tuple, set[int]] = defaultdict(set)
        for vendor_id, slug, viewer in keys:
            groups[(slug, viewer)].add(vendor_id)
        found = {}
        for (slug, viewer), ids in groups.items():
            products = selectors.visible_products(viewer, channel_by_slug(self.context, slug), listing=True)
            rows = products.filter(vendor_id__in=ids).values("vendor_id").annotate(total=Count("pk")).order_by()
            for row in rows:
                found[(row["vendor_id"], slug, viewer)] = row["total"]
        return [found.get(key, 0) for key in keys]
