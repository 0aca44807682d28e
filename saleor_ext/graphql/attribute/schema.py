"""Attribute queries."""

from __future__ import annotations

import graphene
from django.db.models import Q

from saleor_ext.attribute.models import Attribute as AttributeModel

from ..core.connection import connection_args, countable_connection, paginate
from ..core.enums import enum_name, enum_value
from ..core.ids import from_global_id_or_error, pks_from_global_ids
from ..core.types import OrderDirection
from .types import ASSIGNED_ATTRIBUTE_TYPES, Attribute, AttributeTypeEnum

AttributeCountableConnection = countable_connection(Attribute, "Attribute")


class AttributeFilterInput(graphene.InputObjectType):
    value_required = graphene.Boolean()
    visible_in_storefront = graphene.Boolean()
    search = graphene.String()
    ids = graphene.List(graphene.NonNull(graphene.ID))
    type = graphene.Field(AttributeTypeEnum)
    slugs = graphene.List(graphene.NonNull(graphene.String))


class AttributeSortField(graphene.Enum):
    NAME = "name"
    SLUG = "slug"
    VALUE_REQUIRED = "value_required"
    VISIBLE_IN_STOREFRONT = "visible_in_storefront"


class AttributeSortingInput(graphene.InputObjectType):
    direction = graphene.Argument(OrderDirection, required=True)
    field = graphene.Argument(AttributeSortField, required=True)


class AttributeQueries(graphene.ObjectType):
    attributes = graphene.Field(
        AttributeCountableConnection,
        filter=graphene.Argument(AttributeFilterInput, deprecation_reason="Use `where` filter instead."),
        search=graphene.String(),
        sort_by=graphene.Argument(AttributeSortingInput),
        **connection_args(),
    )
    attribute = graphene.Field(
        Attribute, id=graphene.ID(), slug=graphene.String(), external_reference=graphene.String()
    )

    @staticmethod
    def resolve_attributes(_root, _info, filter=None, search=None, sort_by=None, **kwargs):
        attributes = AttributeModel.objects.all()
        filter = filter or {}
        search = search or filter.get("search")
        if search:
            attributes = attributes.filter(Q(name__icontains=search) | Q(slug__icontains=search))
        for flag in ("value_required", "visible_in_storefront"):
            if filter.get(flag) is not None:
                attributes = attributes.filter(**{flag: filter[flag]})
        if filter.get("ids"):
            attributes = attributes.filter(pk__in=pks_from_global_ids(filter["ids"], "Attribute"))
        if filter.get("type") is not None:
            attributes = attributes.filter(type=enum_value(filter["type"]))
        if filter.get("slugs"):
            attributes = attributes.filter(slug__in=list(filter["slugs"]))
        keys = ["storefront_search_position", "slug", "pk"]
        if sort_by:
            field = str(enum_name(sort_by["field"])).lower()
            keys = [field, "slug", "pk"] if field != "slug" else ["slug", "pk"]
            if str(enum_name(sort_by.get("direction"))).upper() == "DESC":
                keys = [f"-{key}" for key in keys]
        return paginate(attributes, sort_keys=keys, connection_name="attributes", **kwargs)

    @staticmethod
    def resolve_attribute(_root, _info, id=None, slug=None, external_reference=None):
        if id:
            return AttributeModel.objects.filter(pk=from_global_id_or_error(id, "Attribute")).first()
        if slug:
            return AttributeModel.objects.filter(slug=slug).first()
        if external_reference:
            return AttributeModel.objects.filter(external_reference=external_reference).first()
        return None


__all__ = ["ASSIGNED_ATTRIBUTE_TYPES", "AttributeQueries"]
