"""Product, ProductVariant and what hangs off them. Roots are ``ChannelContext`` wrappers.

Every relation goes through a request dataloader, so a page of 100 products costs the same
number of queries as a page of one.
"""

from __future__ import annotations

import graphene

from ...attribute.dataloaders import ProductAttributesLoader, VariantAttributesLoader
from ...attribute.types import AssignedAttribute, SelectedAttribute, VariantAttributeScope, assigned_attributes
from ...channel.types import Channel
from ...core.connection import connection_args, countable_connection, paginate_list
from ...core.context import ChannelContext, ChannelContextType, get_loader
from ...core.enums import enum_value
from ...core.futures import then
from ...core.permissions import PermissionDenied
from ...core.scalars import DateTime, JSONString, PositiveInt
from ...core.types import (
    GlobalId,
    Image,
    LanguageCodeEnum,
    MetadataFields,
    MetadataItem,
    MetadataResolvers,
    Money,
    ThumbnailFormatEnum,
)
from ...translations import types as translation_types
from ...translations.dataloaders import ProductTranslationLoader, ProductVariantTranslationLoader
from ...vendor.types import Vendor
from ..channel import get_viewer
from ..dataloaders import (
    CategoryByIdLoader,
    CollectionsByProductLoader,
    MediaByProductLoader,
    MediaByVariantLoader,
    PriceRangeLoader,
    ProductByIdLoader,
    ProductChannelListingLoader,
    ProductInStockLoader,
    ProductTypeByIdLoader,
    QuantityAvailableLoader,
    ReservedQuantityByStockLoader,
    StocksByVariantLoader,
    VariantChannelListingLoader,
    VariantChannelListingsLoader,
    VariantsByProductLoader,
    VendorByIdLoader,
)
from ..extensions import mixins
from ..prime import restricted_view
from .media import ProductMedia, has_image, media_url
from .pricing import ProductPricingInfo, VariantPricingInfo, product_pricing, variant_pricing, vat_rate_of


class WeightUnitsEnum(graphene.Enum):
    G = "g"
    LB = "lb"
    OZ = "oz"
    KG = "kg"
    TONNE = "tonne"


class Weight(graphene.ObjectType):
    unit = graphene.Field(WeightUnitsEnum, required=True)
    value = graphene.Float(required=True)


def weight_or_none(value: float | None) -> Weight | None:
    return Weight(unit=WeightUnitsEnum.KG, value=value) if value is not None else None


# --- small types --------------------------------------------------------------------------------


class ProductType(MetadataResolvers, GlobalId):
    name = graphene.String(required=True)
    slug = graphene.String(required=True)
    has_variants = graphene.Boolean(required=True, deprecation_reason="deprecated")
    is_shipping_required = graphene.Boolean(required=True)
    weight = graphene.Field(Weight)
    metadata = graphene.List(graphene.NonNull(MetadataItem), required=True)

    @staticmethod
    def resolve_weight(root, _info):
        return weight_or_none(root.weight)


class WarehouseClickAndCollectOptionEnum(graphene.Enum):
    DISABLED = "disabled"
    LOCAL = "local"
    ALL = "all"


class Warehouse(GlobalId):
    name = graphene.String(required=True)
    slug = graphene.String(required=True)
    email = graphene.String(required=True)
    is_private = graphene.Boolean(required=True)
    address = graphene.Field(
        "saleor_ext.graphql.account.types.Address", required=True, description="Where a pickup is collected."
    )
    click_and_collect_option = graphene.Field(WarehouseClickAndCollectOptionEnum, required=True)
    external_reference = graphene.String()


class Stock(GlobalId):
    warehouse = graphene.Field(Warehouse, required=True)
    quantity = graphene.Int(required=True)
    quantity_allocated = graphene.Int(required=True)
    quantity_reserved = graphene.Int(required=True)

    @staticmethod
    def resolve_quantity_reserved(root, info):
        return get_loader(info, ReservedQuantityByStockLoader).load(root.pk)


class ProductVariantChannelListing(GlobalId):
    channel = graphene.Field(Channel, required=True)
    price = graphene.Field(Money)
    cost_price = graphene.Field(Money)
    prior_price = graphene.Field(Money)


def _require_product_staff(info, vendor_id: int) -> None:
    if not get_viewer(info).sees_unpublished_of(vendor_id):
        raise PermissionDenied(permissions=["MANAGE_PRODUCTS"])


def load_variants(info, root: ChannelContext):
    product = root.node
    return get_loader(info, VariantsByProductLoader).load(
        (product.pk, root.channel_slug, restricted_view(info, product))
    )


def wrap_many(nodes, channel_slug):
    return [ChannelContext(node, channel_slug) for node in nodes]


# --- ProductVariant -------------------------------------------------------------------------------


class ProductVariant(GlobalId, *mixins("variant_fields"), MetadataFields, ChannelContextType):
    assigned_attribute = graphene.Field(AssignedAttribute, slug=graphene.String(required=True))
    assigned_attributes = graphene.Field(
        graphene.NonNull(graphene.List(graphene.NonNull(AssignedAttribute))), limit=PositiveInt(default_value=100)
    )
    name = graphene.String(required=True)
    sku = graphene.String()
    product = graphene.Field(lambda: Product, required=True)
    track_inventory = graphene.Boolean(required=True)
    quantity_limit_per_customer = graphene.Int()
    weight = graphene.Field(Weight)
    channel = graphene.String()
    channel_listings = graphene.List(
        graphene.NonNull(ProductVariantChannelListing), description="Staff of the product's vendor only."
    )
    pricing = graphene.Field(VariantPricingInfo)
    attributes = graphene.Field(
        graphene.NonNull(graphene.List(graphene.NonNull(SelectedAttribute))),
        variant_selection=graphene.Argument(VariantAttributeScope),
        deprecation_reason="deprecated",
    )
    media = graphene.List(graphene.NonNull(ProductMedia))
    translation = graphene.Field(
        translation_types.ProductVariantTranslation,
        language_code=graphene.Argument(LanguageCodeEnum, required=True),
    )
    stocks = graphene.List(graphene.NonNull(Stock), description="Staff of the product's vendor only.")
    quantity_available = graphene.Int(description="Unallocated stock in the channel's warehouses, capped.")
    created = DateTime(required=True)
    updated_at = DateTime(required=True)
    external_reference = graphene.String()

    @staticmethod
    def resolve_assigned_attribute(root, info, slug):
        def pick(entries):
            return next((e for e in assigned_attributes(entries) if e.attribute.slug == slug), None)

        return then(get_loader(info, VariantAttributesLoader).load(root.node.pk), pick)

    @staticmethod
    def resolve_assigned_attributes(root, info, limit=100):
        return then(
            get_loader(info, VariantAttributesLoader).load(root.node.pk),
            lambda entries: assigned_attributes(entries, limit),
        )

    @staticmethod
    def resolve_product(root, info):
        return then(
            get_loader(info, ProductByIdLoader).load(root.node.product_id),
            lambda product: ChannelContext(product, root.channel_slug),
        )

    @staticmethod
    def resolve_weight(root, _info):
        return weight_or_none(root.node.weight)

    @staticmethod
    def resolve_channel(root, _info):
        return root.channel_slug

    @staticmethod
    def resolve_channel_listings(root, info):
        _require_product_staff(info, root.node.vendor_id)
        return get_loader(info, VariantChannelListingsLoader).load(root.node.pk)

    @staticmethod
    def resolve_pricing(root, info):
        if not root.channel_slug:
            return None

        rate = vat_rate_of(info, root.node.product_id, root.channel_slug)
        listing = get_loader(info, VariantChannelListingLoader).load((root.node.pk, root.channel_slug))
        return then(listing, lambda found: variant_pricing(found, rate))

    @staticmethod
    def resolve_attributes(root, info, variant_selection=None):
        scope = enum_value(variant_selection) or "all"

        def select(entries):
            if scope == "variant_selection":
                entries = [e for e in entries if e.variant_selection]
            elif scope == "not_variant_selection":
                entries = [e for e in entries if not e.variant_selection]
            return [SelectedAttribute(attribute=e.attribute, values=e.values) for e in entries]

        return then(get_loader(info, VariantAttributesLoader).load(root.node.pk), select)

    @staticmethod
    def resolve_media(root, info):
        return get_loader(info, MediaByVariantLoader).load(root.node.pk)

    @staticmethod
    def resolve_translation(root, info, language_code):
        return get_loader(info, ProductVariantTranslationLoader).load((root.node.pk, enum_value(language_code)))

    @staticmethod
    def resolve_stocks(root, info):
        _require_product_staff(info, root.node.vendor_id)
        return get_loader(info, StocksByVariantLoader).load(root.node.pk)

    @staticmethod
    def resolve_quantity_available(root, info):
        return get_loader(info, QuantityAvailableLoader).load((root.node.pk, root.channel_slug))

    @staticmethod
    def resolve_created(root, _info):
        return root.node.created_at


ProductVariantCountableConnection = countable_connection(ProductVariant, "ProductVariant")


# --- Product ---------------------------------------------------------------------------------------


class Product(GlobalId, MetadataFields, ChannelContextType):
    assigned_attribute = graphene.Field(AssignedAttribute, slug=graphene.String(required=True))
    assigned_attributes = graphene.Field(
        graphene.NonNull(graphene.List(graphene.NonNull(AssignedAttribute))), limit=PositiveInt(default_value=100)
    )
    seo_title = graphene.String()
    seo_description = graphene.String()
    name = graphene.String(required=True)
    description = JSONString()
    product_type = graphene.Field(ProductType, required=True)
    slug = graphene.String(required=True)
    category = graphene.Field("saleor_ext.graphql.product.types.categories.Category")
    created = DateTime(required=True)
    updated_at = DateTime(required=True)
    weight = graphene.Field(Weight)
    default_variant = graphene.Field(ProductVariant)
    rating = graphene.Float()
    channel = graphene.String()
    thumbnail = graphene.Field(
        Image, size=graphene.Int(), format=graphene.Argument(ThumbnailFormatEnum, default_value="ORIGINAL")
    )
    pricing = graphene.Field(ProductPricingInfo)
    is_available = graphene.Boolean(description="Some sellable variant has stock in the channel.")
    attributes = graphene.Field(
        graphene.NonNull(graphene.List(graphene.NonNull(SelectedAttribute))), deprecation_reason="deprecated"
    )
    variants = graphene.List(graphene.NonNull(ProductVariant), deprecation_reason="deprecated")
    product_variants = graphene.Field(ProductVariantCountableConnection, **connection_args())
    media = graphene.List(graphene.NonNull(ProductMedia))
    collections = graphene.List(graphene.NonNull("saleor_ext.graphql.product.types.collections.Collection"))
    translation = graphene.Field(
        translation_types.ProductTranslation, language_code=graphene.Argument(LanguageCodeEnum, required=True)
    )
    available_for_purchase_at = DateTime()
    is_available_for_purchase = graphene.Boolean()
    external_reference = graphene.String()
    vendor = graphene.Field(Vendor, description="The member shop selling the item (marketplace addition).")

    @staticmethod
    def resolve_assigned_attribute(root, info, slug):
        def pick(entries):
            return next((e for e in assigned_attributes(entries) if e.attribute.slug == slug), None)

        return then(get_loader(info, ProductAttributesLoader).load(root.node.pk), pick)

    @staticmethod
    def resolve_assigned_attributes(root, info, limit=100):
        return then(
            get_loader(info, ProductAttributesLoader).load(root.node.pk),
            lambda entries: assigned_attributes(entries, limit),
        )

    @staticmethod
    def resolve_product_type(root, info):
        return get_loader(info, ProductTypeByIdLoader).load(root.node.product_type_id)

    @staticmethod
    def resolve_category(root, info):
        if root.node.category_id is None:
            return None
        return get_loader(info, CategoryByIdLoader).load(root.node.category_id)

    @staticmethod
    def resolve_created(root, _info):
        return root.node.created_at

    @staticmethod
    def resolve_weight(root, _info):
        return weight_or_none(root.node.weight)

    @staticmethod
    def resolve_default_variant(root, info):
        default_id = root.node.default_variant_id

        def pick(variants):
            chosen = next((v for v in variants if v.pk == default_id), None) if default_id else None
            chosen = chosen or (variants[0] if variants else None)
            return ChannelContext(chosen, root.channel_slug) if chosen else None

        return then(load_variants(info, root), pick)

    @staticmethod
    def resolve_channel(root, _info):
        return root.channel_slug

    @staticmethod
    def resolve_thumbnail(root, info, size=None, format="ORIGINAL"):
        def first_image(media):
            image = next((m for m in media if has_image(m)), None)
            if image is None:
                return None
            return Image(url=media_url(info, image, size, format), alt=image.alt or root.node.name)

        return then(get_loader(info, MediaByProductLoader).load(root.node.pk), first_image)

    @staticmethod
    def resolve_pricing(root, info):
        if not root.channel_slug:
            return None
        rate = vat_rate_of(info, root.node.pk, root.channel_slug)
        price_range = get_loader(info, PriceRangeLoader).load((root.node.pk, root.channel_slug))
        return then(price_range, lambda found: product_pricing(found, rate))

    @staticmethod
    def resolve_is_available(root, info):
        if not root.channel_slug:
            return None
        return get_loader(info, ProductInStockLoader).load((root.node.pk, root.channel_slug))

    @staticmethod
    def resolve_attributes(root, info):
        return then(
            get_loader(info, ProductAttributesLoader).load(root.node.pk),
            lambda entries: [SelectedAttribute(attribute=e.attribute, values=e.values) for e in entries],
        )

    @staticmethod
    def resolve_variants(root, info):
        return then(load_variants(info, root), lambda variants: wrap_many(variants, root.channel_slug))

    @staticmethod
    def resolve_product_variants(root, info, **kwargs):
        return then(
            load_variants(info, root),
            lambda variants: paginate_list(
                variants,
                connection_name="productVariants",
                wrap=lambda variant: ChannelContext(variant, root.channel_slug),
                **kwargs,
            ),
        )

    @staticmethod
    def resolve_media(root, info):
        return get_loader(info, MediaByProductLoader).load(root.node.pk)

    @staticmethod
    def resolve_collections(root, info):
        key = (root.node.pk, root.channel_slug, get_viewer(info).sees_all)
        return then(
            get_loader(info, CollectionsByProductLoader).load(key),
            lambda collections: wrap_many(collections, root.channel_slug),
        )

    @staticmethod
    def resolve_translation(root, info, language_code):
        return get_loader(info, ProductTranslationLoader).load((root.node.pk, enum_value(language_code)))

    @staticmethod
    def resolve_available_for_purchase_at(root, info):
        if not root.channel_slug:
            return None
        return then(
            get_loader(info, ProductChannelListingLoader).load((root.node.pk, root.channel_slug)),
            lambda listing: listing.available_for_purchase_at if listing else None,
        )

    @staticmethod
    def resolve_is_available_for_purchase(root, info):
        if not root.channel_slug:
            return None
        return then(
            get_loader(info, ProductChannelListingLoader).load((root.node.pk, root.channel_slug)),
            lambda listing: listing.is_available_for_purchase() if listing else False,
        )

    @staticmethod
    def resolve_vendor(root, info):
        return get_loader(info, VendorByIdLoader).load(root.node.vendor_id)
