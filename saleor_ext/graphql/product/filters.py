"""Product filters: Saleor's ``ProductFilterInput`` (``filter``) and ``ProductWhereInput`` (``where``)."""

from __future__ import annotations

from decimal import Decimal

import graphene
from django.db.models import Exists, OuterRef, Q, QuerySet
from graphql import GraphQLError

from saleor_ext.attribute.models import AssignedProductAttributeValue, AssignedVariantAttributeValue
from saleor_ext.channel.models import Channel
from saleor_ext.product import selectors
from saleor_ext.product.models import CollectionProduct

from ..core.enums import enum_name
from ..core.filters import GlobalIDFilterInput, StringFilterInput, string_condition
from ..core.ids import pks_from_global_ids
from ..core.scalars import Decimal as DecimalScalar
from .extensions import filter_conditions, mixins, where_conditions


class StockAvailability(graphene.Enum):
    IN_STOCK = "IN_STOCK"
    OUT_OF_STOCK = "OUT_OF_STOCK"


class PriceRangeInput(graphene.InputObjectType):
    gte = graphene.Float()
    lte = graphene.Float()


class IntRangeInput(graphene.InputObjectType):
    gte = graphene.Int()
    lte = graphene.Int()


class DecimalRangeInput(graphene.InputObjectType):
    gte = DecimalScalar()
    lte = DecimalScalar()


class DecimalFilterInput(graphene.InputObjectType):
    eq = DecimalScalar()
    one_of = graphene.List(graphene.NonNull(DecimalScalar))
    range = graphene.Field(DecimalRangeInput)


class AttributeInput(graphene.InputObjectType):
    slug = graphene.String()
    values = graphene.List(graphene.NonNull(graphene.String), deprecation_reason="Use `value` instead.")
    values_range = graphene.Field(IntRangeInput, deprecation_reason="Use `value` instead.")
    boolean = graphene.Boolean(deprecation_reason="Use `value` instead.")


class ProductFilterInput(*mixins("filter_fields"), graphene.InputObjectType):
    collections = graphene.List(graphene.NonNull(graphene.ID))
    categories = graphene.List(graphene.NonNull(graphene.ID), description="Categories and their subcategories.")
    has_category = graphene.Boolean()
    attributes = graphene.List(graphene.NonNull(AttributeInput))
    stock_availability = graphene.Field(StockAvailability)
    search = graphene.String()
    is_available = graphene.Boolean(description="Some variant has stock in the channel.")
    price = graphene.Field(PriceRangeInput)
    minimal_price = graphene.Field(PriceRangeInput)
    product_types = graphene.List(graphene.NonNull(graphene.ID))
    ids = graphene.List(graphene.NonNull(graphene.ID))
    slugs = graphene.List(graphene.NonNull(graphene.String))
    vendors = graphene.List(
        graphene.NonNull(graphene.String), description="Member shop slugs (marketplace addition)."
    )


class ProductWhereInput(*mixins("where_fields"), graphene.InputObjectType):
    ids = graphene.List(graphene.NonNull(graphene.ID))
    name = graphene.Field(StringFilterInput)
    slug = graphene.Field(StringFilterInput)
    product_type = graphene.Field(GlobalIDFilterInput)
    category = graphene.Field(GlobalIDFilterInput, description="Categories and their subcategories.")
    collection = graphene.Field(GlobalIDFilterInput)
    is_available = graphene.Boolean()
    has_category = graphene.Boolean()
    price = graphene.Field(DecimalFilterInput)
    minimal_price = graphene.Field(DecimalFilterInput)
    attributes = graphene.List(graphene.NonNull(AttributeInput))
    stock_availability = graphene.Field(StockAvailability)
    vendor = graphene.Field(StringFilterInput, description="Member shop slugs (marketplace addition).")
    AND = graphene.List(graphene.NonNull(lambda: ProductWhereInput), name="AND")
    OR = graphene.List(graphene.NonNull(lambda: ProductWhereInput), name="OR")


# --- building blocks (each returns a Q on Product) ---------------------------------------------


def _ids(global_ids, type_name: str) -> list[int]:
    return [int(pk) for pk in pks_from_global_ids(list(global_ids), type_name)]


def _in_categories(global_ids) -> Q:
    categories = selectors.category_with_descendants(_ids(global_ids, "Category"))
    return Q(category_id__in=categories.values("pk"))


def _in_collections(global_ids) -> Q:
    links = CollectionProduct.objects.filter(collection_id__in=_ids(global_ids, "Collection"))
    return Q(pk__in=links.values("product_id"))


def _attribute(value: dict) -> Q:
    slug = value.get("slug")
    if not slug:
        raise GraphQLError("Attribute filters need the attribute `slug`.")
    condition = Q(value__attribute__slug=slug)
    if value.get("values") is not None:
        condition &= Q(value__slug__in=value["values"])
    elif value.get("values_range") is not None:
        bounds = value["values_range"]
        if bounds.get("gte") is not None:
            condition &= Q(value__numeric__gte=bounds["gte"])
        if bounds.get("lte") is not None:
            condition &= Q(value__numeric__lte=bounds["lte"])
    elif value.get("boolean") is not None:
        condition &= Q(value__boolean=value["boolean"])
    on_product = AssignedProductAttributeValue.objects.filter(condition, product_id=OuterRef("pk"))
    on_variant = AssignedVariantAttributeValue.objects.filter(condition, assignment__variant__product_id=OuterRef("pk"))
    return Q(Exists(on_product)) | Q(Exists(on_variant))


def _attributes(values) -> Q:
    result = Q()
    for value in values:
        result &= _attribute(value)
    return result


def _stock(value, channel: Channel | None) -> Q:
    in_stock = Q(selectors.in_stock_products_exists(channel))
    return in_stock if enum_name(value) == "IN_STOCK" else ~in_stock


def _price_range(gte, lte, channel: Channel | None) -> Q:
    if channel is None:
        raise GraphQLError("Filtering by price requires the `channel` argument.")
    condition = Q()
    if gte is not None:
        condition &= Q(price_amount__gte=Decimal(str(gte)))
    if lte is not None:
        condition &= Q(price_amount__lte=Decimal(str(lte)))
    return condition


def _decimal_price(value: dict, channel: Channel | None) -> Q:
    if value.get("eq") is not None:
        return _price_range(value["eq"], value["eq"], channel)
    if value.get("one_of") is not None:
        if channel is None:
            raise GraphQLError("Filtering by price requires the `channel` argument.")
        return Q(price_amount__in=list(value["one_of"]))
    bounds = value.get("range") or {}
    return _price_range(bounds.get("gte"), bounds.get("lte"), channel)


def _global_ids(value: dict) -> list[str]:
    if value.get("eq") is not None:
        return [value["eq"]]
    return list(value.get("one_of") or [])


def _has_category(value: bool) -> Q:
    return Q(category__isnull=not value)


# --- the two inputs ---------------------------------------------------------------------------


def filter_condition(value: dict, channel: Channel | None) -> Q:
    """``ProductFilterInput`` (all given fields must hold); ``search`` is applied by the caller."""
    condition = Q()
    if value.get("collections"):
        condition &= _in_collections(value["collections"])
    if value.get("categories"):
        condition &= _in_categories(value["categories"])
    if value.get("has_category") is not None:
        condition &= _has_category(value["has_category"])
    if value.get("attributes"):
        condition &= _attributes(value["attributes"])
    if value.get("stock_availability") is not None:
        condition &= _stock(value["stock_availability"], channel)
    if value.get("is_available") is not None:
        condition &= _stock("IN_STOCK" if value["is_available"] else "OUT_OF_STOCK", channel)
    for key in ("price", "minimal_price"):
        if value.get(key):
            condition &= _price_range(value[key].get("gte"), value[key].get("lte"), channel)
    if value.get("product_types"):
        condition &= Q(product_type_id__in=_ids(value["product_types"], "ProductType"))
    if value.get("ids"):
        condition &= Q(pk__in=_ids(value["ids"], "Product"))
    if value.get("slugs"):
        condition &= Q(slug__in=list(value["slugs"]))
    if value.get("vendors"):
        condition &= Q(vendor__slug__in=list(value["vendors"]))
    return condition & filter_conditions(value)


def where_condition(value: dict, channel: Channel | None) -> Q:
    """``ProductWhereInput``: fields AND-ed together, with nested ``AND`` / ``OR`` lists."""
    condition = Q()
    if value.get("ids"):
        condition &= Q(pk__in=_ids(value["ids"], "Product"))
    if value.get("name"):
        condition &= string_condition("name", value["name"])
    if value.get("slug"):
        condition &= string_condition("slug", value["slug"])
    if value.get("product_type"):
        condition &= Q(product_type_id__in=_ids(_global_ids(value["product_type"]), "ProductType"))
    if value.get("category"):
        condition &= _in_categories(_global_ids(value["category"]))
    if value.get("collection"):
        condition &= _in_collections(_global_ids(value["collection"]))
    if value.get("is_available") is not None:
        condition &= _stock("IN_STOCK" if value["is_available"] else "OUT_OF_STOCK", channel)
    if value.get("has_category") is not None:
        condition &= _has_category(value["has_category"])
    for key in ("price", "minimal_price"):
        if value.get(key):
            condition &= _decimal_price(value[key], channel)
    if value.get("attributes"):
        condition &= _attributes(value["attributes"])
    if value.get("stock_availability") is not None:
        condition &= _stock(value["stock_availability"], channel)
    if value.get("vendor"):
        condition &= string_condition("vendor__slug", value["vendor"])
    condition &= where_conditions(value)
    if value.get("AND"):
        for nested in value["AND"]:
            condition &= where_condition(nested, channel)
    if value.get("OR"):
        either = Q(pk__in=[])
        for nested in value["OR"]:
            either |= where_condition(nested, channel)
        condition &= either
    return condition


def apply_filters(
    queryset: QuerySet, *, filter_value: dict | None, where_value: dict | None, channel: Channel | None
) -> QuerySet:
    if filter_value and where_value:
        raise GraphQLError("Only one filtering argument (filter or where) can be specified.")
    if filter_value:
        queryset = queryset.filter(filter_condition(filter_value, channel))
    if where_value:
        queryset = queryset.filter(where_condition(where_value, channel))
    return queryset
