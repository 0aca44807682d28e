"""Order lines and where their units are allocated."""

from __future__ import annotations

from decimal import Decimal

import graphene

from saleor_ext.order import models

from ...core.context import ChannelContext, get_loader
from ...core.futures import gather, then
from ...core.scalars import PositiveDecimal
from ...core.types import GlobalId, Image, Money, PrivateMetadataFields, TaxedMoney, ThumbnailFormatEnum
from ...product.dataloaders import (
    MediaByProductLoader,
    MediaByVariantLoader,
    ProductVariantByIdLoader,
    VendorByIdLoader,
)
from ...product.types.media import has_image, media_url
from ...product.types.products import ProductVariant, Warehouse
from ...vendor.types import Vendor
from ..dataloaders import (
    AllocationsByOrderLineIdLoader,
    ChannelByIdLoader,
    OrderByIdLoader,
)
from ..enums import DiscountValueTypeEnum
from .money import money, taxed
from .viewer import order_viewer


class Allocation(GlobalId):
    quantity = graphene.Int(required=True)
    warehouse = graphene.Field(Warehouse, required=True)

    @staticmethod
    def resolve_quantity(root, _info):
        return root.quantity_allocated

    @staticmethod
    def resolve_warehouse(root, _info):
        return root.stock.warehouse


def _line_order(info, line: models.OrderLine):
    order = getattr(line, "_order", None)
    return order if order is not None else get_loader(info, OrderByIdLoader).load(line.order_id)


def _channel_slug(info, order: models.Order):
    return then(get_loader(info, ChannelByIdLoader).load(order.channel_id), lambda channel: channel.slug)


class OrderLine(GlobalId, PrivateMetadataFields):
    product_name = graphene.String(required=True)
    variant_name = graphene.String(required=True)
    product_sku = graphene.String()
    product_variant_id = graphene.String()
    is_shipping_required = graphene.Boolean(required=True)
    quantity = graphene.Int(required=True)
    quantity_fulfilled = graphene.Int(required=True)
    tax_rate = graphene.Float(required=True)
    thumbnail = graphene.Field(
        Image, size=graphene.Int(), format=graphene.Argument(ThumbnailFormatEnum, default_value="ORIGINAL")
    )
    unit_price = graphene.Field(TaxedMoney, required=True)
    undiscounted_unit_price = graphene.Field(TaxedMoney, required=True)
    unit_discount = graphene.Field(Money, required=True)
    unit_discount_reason = graphene.String()
    unit_discount_value = PositiveDecimal(required=True)
    unit_discount_type = graphene.Field(DiscountValueTypeEnum)
    total_price = graphene.Field(TaxedMoney, required=True)
    undiscounted_total_price = graphene.Field(TaxedMoney, required=True)
    is_price_overridden = graphene.Boolean()
    price_override_reason = graphene.String()
    variant = graphene.Field(ProductVariant)
    translated_product_name = graphene.String(required=True)
    translated_variant_name = graphene.String(required=True)
    allocations = graphene.List(graphene.NonNull(Allocation))
    sale_id = graphene.ID()
    quantity_to_fulfill = graphene.Int(required=True)
    voucher_code = graphene.String()
    is_gift = graphene.Boolean()
    vendor = graphene.Field(Vendor, required=True, description="The member shop selling the item (marketplace).")
    quantity_cancelled = graphene.Int(required=True, description="Units the shop cancelled (marketplace).")

    @staticmethod
    def resolve_variant_name(root, _info):
        return root.variant_name or ""

    @staticmethod
    def resolve_tax_rate(root, _info):
        return float(root.tax_rate)

    @staticmethod
    def resolve_unit_price(root, _info):
        return taxed(root.unit_price_net_amount, root.unit_price_gross_amount, root.currency)

    @staticmethod
    def resolve_undiscounted_unit_price(root, info):
        return OrderLine.resolve_unit_price(root, info)

    @staticmethod
    def resolve_unit_discount(root, _info):
        return money(0, root.currency)

    @staticmethod
    def resolve_unit_discount_value(_root, _info):
        return Decimal(0)

    @staticmethod
    def resolve_total_price(root, _info):
        return taxed(root.total_price_net_amount, root.total_price_gross_amount, root.currency)

    @staticmethod
    def resolve_undiscounted_total_price(root, info):
        return OrderLine.resolve_total_price(root, info)

    @staticmethod
    def resolve_is_price_overridden(_root, _info):
        return False

    @staticmethod
    def resolve_is_gift(_root, _info):
        return False

    @staticmethod
    def resolve_translated_product_name(root, _info):
        return root.product_name

    @staticmethod
    def resolve_translated_variant_name(root, _info):
        return root.variant_name or ""

    @staticmethod
    def resolve_quantity_to_fulfill(root, _info):
        return root.quantity_unfulfilled

    @staticmethod
    def resolve_vendor(root, info):
        return get_loader(info, VendorByIdLoader).load(root.vendor_id)

    @staticmethod
    def resolve_allocations(root, info):
        # Where the shop keeps the promised units: back-office information.
        if not order_viewer(info).is_order_staff:
            return None
        return get_loader(info, AllocationsByOrderLineIdLoader).load(root.pk)

    @staticmethod
    def resolve_variant(root, info):
        if root.variant_id is None:
            return None
        variant = get_loader(info, ProductVariantByIdLoader).load(root.variant_id)
        slug = then(_line_order(info, root), lambda order: _channel_slug(info, order))
        return then(gather(variant, slug), lambda pair: ChannelContext(pair[0], pair[1]) if pair[0] else None)

    @staticmethod
    def resolve_thumbnail(root, info, size=None, format="ORIGINAL"):
        if root.variant_id is None:
            return None

        def image(media_list):
            found = next((media for media in media_list if has_image(media)), None)
            if found is None:
                return None
            return Image(url=media_url(info, found, size, format), alt=found.alt or root.product_name)

        def from_variant(variant):
            if variant is None:
                return None
            own = get_loader(info, MediaByVariantLoader).load(variant.pk)
            product = get_loader(info, MediaByProductLoader).load(variant.product_id)
            # The variant's own photos first, then its product's.
            return then(gather(own, product), lambda pair: image(pair[0]) or image(pair[1]))

        return then(get_loader(info, ProductVariantByIdLoader).load(root.variant_id), from_variant)
