"""Catalogue queries: products, variants, categories and collections (Saleor's names and arguments)."""

from __future__ import annotations

import graphene
from django.db.models import Count, Q
from graphql import GraphQLError

from saleor_ext.product.models import Category as CategoryModel
from saleor_ext.product.models import CategoryTranslation, CollectionTranslation, ProductTranslation
from saleor_ext.product.selectors import visible_collections, visible_products, visible_variants

from ..core.connection import connection_args, countable_connection, paginate
from ..core.context import ChannelContext
from ..core.enums import enum_name, enum_value
from ..core.ids import from_global_id_or_error, pks_from_global_ids
from ..core.types import LanguageCodeEnum, OrderDirection
from ..translations.dataloaders import language_candidates
from .channel import get_viewer, resolve_channel
from .filters import StringFilterInput
from .prime import prime_products
from .resolvers import resolve_products
from .types.categories import Category, CategoryCountableConnection
from .types.collections import Collection
from .types.product_connection import ProductCountableConnection, product_list_args
from .types.products import Product, ProductVariant, ProductVariantCountableConnection

CollectionCountableConnection = countable_connection(Collection, "Collection")


class CategoryFilterInput(graphene.InputObjectType):
    search = graphene.String()
    ids = graphene.List(graphene.NonNull(graphene.ID))
    slugs = graphene.List(graphene.NonNull(graphene.String))


class CategorySortField(graphene.Enum):
    NAME = "name"
    PRODUCT_COUNT = "product_count"
    SUBCATEGORY_COUNT = "subcategory_count"


class CategorySortingInput(graphene.InputObjectType):
    direction = graphene.Argument(OrderDirection, required=True)
    field = graphene.Argument(CategorySortField, required=True)


class CollectionFilterInput(graphene.InputObjectType):
    search = graphene.String()
    ids = graphene.List(graphene.NonNull(graphene.ID))
    slugs = graphene.List(graphene.NonNull(graphene.String))


class CollectionSortField(graphene.Enum):
    NAME = "name"
    PRODUCT_COUNT = "product_count"


class CollectionSortingInput(graphene.InputObjectType):
    direction = graphene.Argument(OrderDirection, required=True)
    field = graphene.Argument(CollectionSortField, required=True)


class ProductVariantFilterInput(graphene.InputObjectType):
    search = graphene.String()
    sku = graphene.List(graphene.NonNull(graphene.String))


class ProductVariantWhereInput(graphene.InputObjectType):
    ids = graphene.List(graphene.NonNull(graphene.ID))
    sku = graphene.Field(StringFilterInput)


class ProductVariantSortField(graphene.Enum):
    LAST_MODIFIED_AT = "last_modified_at"


class ProductVariantSortingInput(graphene.InputObjectType):
    direction = graphene.Argument(OrderDirection, required=True)
    field = graphene.Argument(ProductVariantSortField, required=True)


def _directed(keys: list[str], direction) -> list[str]:
    if str(enum_name(direction)).upper() == "DESC":
        return [f"-{key}" for key in keys]
    return keys


def _one_identifier(**identifiers) -> tuple[str, str]:
    given = [(name, value) for name, value in identifiers.items() if value]
    if len(given) != 1:
        names = ", ".join(f"'{name}'" for name in identifiers)
        raise GraphQLError(f"Argument {names} cannot be combined; provide exactly one of them.")
    return given[0]


def _translated_slug_lookup(translation_model, fk: str, slug: str, language_code) -> Q:
    """The object whose own slug, or whose translated slug in ``language_code``, is ``slug``."""
    if not language_code:
        return Q(slug=slug)
    translated = translation_model.objects.filter(
        slug=slug, language_code__in=language_candidates(enum_value(language_code))
    ).values(fk)
    return Q(pk__in=translated) | Q(slug=slug)


class ProductQueries(graphene.ObjectType):
    products = graphene.Field(ProductCountableConnection, **product_list_args(channel=True))
    product = graphene.Field(
        Product,
        id=graphene.ID(),
        slug=graphene.String(),
        slug_language_code=graphene.Argument(LanguageCodeEnum),
        external_reference=graphene.String(),
        channel=graphene.String(),
    )
    product_variant = graphene.Field(
        ProductVariant,
        id=graphene.ID(),
        sku=graphene.String(),
        external_reference=graphene.String(),
        channel=graphene.String(),
    )
    product_variants = graphene.Field(
        ProductVariantCountableConnection,
        ids=graphene.List(graphene.NonNull(graphene.ID)),
        channel=graphene.String(),
        filter=graphene.Argument(ProductVariantFilterInput, deprecation_reason="Use `where` filter instead."),
        where=graphene.Argument(ProductVariantWhereInput),
        search=graphene.String(),
        sort_by=graphene.Argument(ProductVariantSortingInput),
        **connection_args(),
    )
    categories = graphene.Field(
        CategoryCountableConnection,
        filter=graphene.Argument(CategoryFilterInput),
        sort_by=graphene.Argument(CategorySortingInput),
        level=graphene.Int(),
        **connection_args(),
    )
    category = graphene.Field(
        Category, id=graphene.ID(), slug=graphene.String(), slug_language_code=graphene.Argument(LanguageCodeEnum)
    )
    collections = graphene.Field(
        CollectionCountableConnection,
        filter=graphene.Argument(CollectionFilterInput),
        sort_by=graphene.Argument(CollectionSortingInput),
        channel=graphene.String(),
        **connection_args(),
    )
    collection = graphene.Field(
        Collection,
        id=graphene.ID(),
        slug=graphene.String(),
        slug_language_code=graphene.Argument(LanguageCodeEnum),
        channel=graphene.String(),
    )

    @staticmethod
    def resolve_products(_root, info, channel=None, **kwargs):
        return resolve_products(info, channel=channel, **kwargs)

    @staticmethod
    def resolve_product(_root, info, id=None, slug=None, slug_language_code=None, external_reference=None,
                        channel=None):
        name, value = _one_identifier(id=id, slug=slug, external_reference=external_reference)
        channel_obj = resolve_channel(info, channel)
        products = visible_products(get_viewer(info), channel_obj, listing=False)
        if name == "id":
            lookup = Q(pk=from_global_id_or_error(value, "Product"))
        elif name == "slug":
            lookup = _translated_slug_lookup(ProductTranslation, "product_id", value, slug_language_code)
        else:
            lookup = Q(external_reference=value)
        product = products.filter(lookup).order_by("pk").first()
        if product is None:
            return None
        root = ChannelContext(product, channel_obj.slug if channel_obj else None)
        prime_products(info, [root], references=True)
        return root

    @staticmethod
    def resolve_product_variant(_root, info, id=None, sku=None, external_reference=None, channel=None):
        name, value = _one_identifier(id=id, sku=sku, external_reference=external_reference)
        channel_obj = resolve_channel(info, channel)
        variants = visible_variants(get_viewer(info), channel_obj)
        if name == "id":
            lookup = Q(pk=from_global_id_or_error(value, "ProductVariant"))
        else:
            lookup = Q(**{name: value})
        variant = variants.filter(lookup).order_by("pk").first()
        return ChannelContext(variant, channel_obj.slug if channel_obj else None) if variant else None

    @staticmethod
    def resolve_product_variants(_root, info, ids=None, channel=None, filter=None, where=None, search=None,
                                 sort_by=None, **kwargs):
        channel_obj = resolve_channel(info, channel)
        variants = visible_variants(get_viewer(info), channel_obj)
        if ids:
            variants = variants.filter(pk__in=pks_from_global_ids(ids, "ProductVariant"))
        search = search or (filter or {}).get("search")
        if search:
            variants = variants.filter(
                Q(name__icontains=search) | Q(sku__icontains=search) | Q(product__name__icontains=search)
            )
        if filter and filter.get("sku"):
            variants = variants.filter(sku__in=list(filter["sku"]))
        if where:
            if where.get("ids"):
                variants = variants.filter(pk__in=pks_from_global_ids(where["ids"], "ProductVariant"))
            sku = where.get("sku") or {}
            if sku.get("eq") is not None:
                variants = variants.filter(sku=sku["eq"])
            if sku.get("one_of") is not None:
                variants = variants.filter(sku__in=list(sku["one_of"]))
        keys = ["updated_at", "pk"] if sort_by else ["sort_order", "pk"]
        if sort_by:
            keys = _directed(keys, sort_by.get("direction"))
        slug = channel_obj.slug if channel_obj else None
        return paginate(
            variants,
            sort_keys=keys,
            connection_name="productVariants",
            wrap=lambda variant: ChannelContext(variant, slug),
            **kwargs,
        )

    @staticmethod
    def resolve_categories(_root, _info, filter=None, sort_by=None, level=None, **kwargs):
        categories = CategoryModel.objects.all()
        filter = filter or {}
        if filter.get("search"):
            term = filter["search"]
            categories = categories.filter(Q(name__icontains=term) | Q(slug__icontains=term))
        if filter.get("ids"):
            categories = categories.filter(pk__in=pks_from_global_ids(filter["ids"], "Category"))
        if filter.get("slugs"):
            categories = categories.filter(slug__in=list(filter["slugs"]))
        if level is not None:
            categories = categories.filter(level=level)
        keys = ["tree_id", "lft", "pk"]
        if sort_by:
            field = str(enum_name(sort_by.get("field"))).upper()
            if field == "PRODUCT_COUNT":
                categories = categories.annotate(sort_count=Count("products"))
                keys = ["sort_count", "name", "pk"]
            elif field == "SUBCATEGORY_COUNT":
                categories = categories.annotate(sort_count=Count("children"))
                keys = ["sort_count", "name", "pk"]
            else:
                keys = ["name", "slug", "pk"]
            keys = _directed(keys, sort_by.get("direction"))
        return paginate(categories, sort_keys=keys, connection_name="categories", **kwargs)

    @staticmethod
    def resolve_category(_root, _info, id=None, slug=None, slug_language_code=None):
        name, value = _one_identifier(id=id, slug=slug)
        if name == "id":
            lookup = Q(pk=from_global_id_or_error(value, "Category"))
        else:
            lookup = _translated_slug_lookup(CategoryTranslation, "category_id", value, slug_language_code)
        return CategoryModel.objects.filter(lookup).order_by("pk").first()

    @staticmethod
    def resolve_collections(_root, info, filter=None, sort_by=None, channel=None, **kwargs):
        channel_obj = resolve_channel(info, channel)
        collections = visible_collections(get_viewer(info), channel_obj)
        filter = filter or {}
        if filter.get("search"):
            term = filter["search"]
            collections = collections.filter(Q(name__icontains=term) | Q(slug__icontains=term))
        if filter.get("ids"):
            collections = collections.filter(pk__in=pks_from_global_ids(filter["ids"], "Collection"))
        if filter.get("slugs"):
            collections = collections.filter(slug__in=list(filter["slugs"]))
        keys = ["slug", "pk"]
        if sort_by:
            if str(enum_name(sort_by.get("field"))).upper() == "PRODUCT_COUNT":
                collections = collections.annotate(sort_count=Count("collectionproduct"))
                keys = ["sort_count", "slug", "pk"]
            else:
                keys = ["name", "slug", "pk"]
            keys = _directed(keys, sort_by.get("direction"))
        slug = channel_obj.slug if channel_obj else None
        return paginate(
            collections,
            sort_keys=keys,
            connection_name="collections",
            wrap=lambda collection: ChannelContext(collection, slug),
            **kwargs,
        )

    @staticmethod
    def resolve_collection(_root, info, id=None, slug=None, slug_language_code=None, channel=None):
        name, value = _one_identifier(id=id, slug=slug)
        channel_obj = resolve_channel(info, channel)
        collections = visible_collections(get_viewer(info), channel_obj)
        if name == "id":
            lookup = Q(pk=from_global_id_or_error(value, "Collection"))
        else:
            lookup = _translated_slug_lookup(CollectionTranslation, "collection_id", value, slug_language_code)
        collection = collections.filter(lookup).order_by("pk").first()
        return ChannelContext(collection, channel_obj.slug if channel_obj else None) if collection else None
