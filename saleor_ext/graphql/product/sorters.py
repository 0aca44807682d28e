"""``ProductOrder``: sort fields as keyset keys (annotated, never NULL, pk last so cursors are total)."""

from __future__ import annotations

from decimal import Decimal
from enum import Enum as PyEnum

import graphene
from django.db.models import F, FloatField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from graphql import GraphQLError

from saleor_ext.channel.models import Channel
from saleor_ext.product.models import CollectionProduct

from ..core.enums import enum_name
from ..core.types import OrderDirection
from .extensions import sorts as extension_sorts

# Saleor's sort fields (database-style values), then the ones plugins add (extensions.sorts()).
SALEOR_FIELDS = {
    "NAME": "name",
    "RANK": "rank",
    "PRICE": "price",
    "MINIMAL_PRICE": "minimal_price",
    "LAST_MODIFIED": "last_modified",
    "DATE": "date",
    "TYPE": "type",
    "PUBLICATION_DATE": "publication_date",
    "PUBLISHED_AT": "published_at",
    "LAST_MODIFIED_AT": "last_modified_at",
    "COLLECTION": "collection",
    "RATING": "rating",
    "CREATED_AT": "created_at",
    "VENDOR": "vendor",
}
DEPRECATED = {
    "LAST_MODIFIED": "Use `LAST_MODIFIED_AT` instead.",
    "DATE": "Use `LAST_MODIFIED_AT` instead.",
    "PUBLICATION_DATE": "Use `PUBLISHED_AT` instead.",
}
DESCRIPTIONS = {
    "RANK": "By search relevance; needs a search value.",
    "COLLECTION": "By position in the collection; only in `Collection.products`.",
    "VENDOR": "By member shop name (marketplace addition).",
    **{name: spec.description for name, spec in extension_sorts().items()},
}
_OrderFields = PyEnum(
    "ProductOrderField", {**SALEOR_FIELDS, **{name: name.lower() for name in extension_sorts()}}
)
ProductOrderField = graphene.Enum.from_enum(
    _OrderFields,
    description=lambda member: DESCRIPTIONS.get(member.name) if member is not None else None,
    deprecation_reason=lambda member: DEPRECATED.get(member.name) if member is not None else None,
)


class ProductOrder(graphene.InputObjectType):
    direction = graphene.Argument(OrderDirection, required=True)
    attribute_id = graphene.Argument(graphene.ID, description="Not supported yet: sorting by attribute is ignored.")
    field = graphene.Argument(ProductOrderField)


def _require_channel(channel: Channel | None, field: str) -> None:
    if channel is None:
        raise GraphQLError(f"Sorting by {field} requires the `channel` argument.")


def sort_products(
    queryset: QuerySet,
    sort_by,
    *,
    channel: Channel | None,
    searched: bool,
    collection_id: int | None = None,
) -> tuple[QuerySet, list[str]]:
    """Annotate the sort keys of ``sort_by`` onto ``queryset`` and return them, pk last."""
    if not sort_by:
        if searched:
            return queryset, ["-search_rank", "-pk"]
        return queryset, ["slug", "pk"]
    field = str(enum_name(sort_by.get("field")) or "NAME").upper()
    descending = str(enum_name(sort_by.get("direction"))).upper() == "DESC"
    if field == "RANK":
        if not searched:
            raise GraphQLError("Sorting by RANK is available only when using a search filter.")
        keys = ["search_rank"]
    elif field == "NAME":
        keys = ["name", "slug"]
    elif field in ("PRICE", "MINIMAL_PRICE"):
        _require_channel(channel, field)
        queryset = queryset.annotate(sort_price=Coalesce(F("price_amount"), Value(Decimal(0))))
        keys = ["sort_price", "slug"]
    elif field in ("LAST_MODIFIED", "LAST_MODIFIED_AT", "DATE"):
        keys = ["updated_at"]
    elif field == "CREATED_AT":
        keys = ["created_at"]
    elif field in ("PUBLISHED_AT", "PUBLICATION_DATE"):
        published = F("listing_published_at") if channel is not None else F("created_at")
        queryset = queryset.annotate(sort_published=Coalesce(published, F("created_at")))
        keys = ["sort_published"]
    elif field == "RATING":
        queryset = queryset.annotate(sort_rating=Coalesce(F("rating"), Value(-1.0), output_field=FloatField()))
        keys = ["sort_rating", "slug"]
    elif field == "TYPE":
        queryset = queryset.annotate(sort_type=F("product_type__name"))
        keys = ["sort_type", "slug"]
    elif field == "COLLECTION":
        if collection_id is None:
            raise GraphQLError("Sorting by COLLECTION is available only in `Collection.products`.")
        position = CollectionProduct.objects.filter(collection_id=collection_id, product_id=OuterRef("pk"))
        queryset = queryset.annotate(
            sort_collection=Coalesce(Subquery(position.values("sort_order")[:1]), Value(0))
        )
        keys = ["sort_collection"]
    elif field in extension_sorts():
        queryset, keys = extension_sorts()[field].annotate(queryset)
    elif field == "VENDOR":
        queryset = queryset.annotate(sort_vendor=F("vendor__name"))
        keys = ["sort_vendor", "slug"]
    else:
        raise GraphQLError(f"Unsupported sort field: {field}.")
    keys.append("pk")
    return queryset, [f"-{key}" if descending else key for key in keys]
