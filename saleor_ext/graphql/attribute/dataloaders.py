"""Attribute assignments of products and variants, batched."""

from __future__ import annotations

from dataclasses import dataclass, field

from saleor_ext.attribute.models import (
    AssignedProductAttributeValue,
    AssignedVariantAttribute,
    AssignedVariantAttributeValue,
    Attribute,
    AttributeValue,
    AttributeVariant,
)
from saleor_ext.core import sql

from ..core.context import BaseLoader


@dataclass
class AssignedValues:
    """One attribute of an object with the values given to it."""

    attribute: Attribute
    values: list[AttributeValue] = field(default_factory=list)
    variant_selection: bool = False


def _group(rows) -> list[AssignedValues]:
    result: dict[int, AssignedValues] = {}
    for value, variant_selection in rows:
        entry = result.get(value.attribute_id)
        if entry is None:
            entry = result[value.attribute_id] = AssignedValues(value.attribute, [], variant_selection)
        entry.values.append(value)
    return list(result.values())


def _values_with_attributes(rows, offset: int) -> list[AttributeValue]:
    """AttributeValue instances (attribute attached) from rows holding both tables' columns at ``offset``."""
    value_width = sql.width(AttributeValue)
    attributes: dict[int, Attribute] = {}
    values = []
    for row in rows:
        value = sql.instance(AttributeValue, row[offset : offset + value_width])
        attribute = attributes.get(value.attribute_id)
        if attribute is None:
            attribute = attributes[value.attribute_id] = sql.instance(Attribute, row[offset + value_width :])
        AttributeValue.attribute.field.set_cached_value(value, attribute)
        values.append(value)
    return values


class ProductAttributesLoader(BaseLoader):
    """Key product id: its attributes with values, in the order they were assigned."""

    def batch_load(self, keys):
        rows = sql.fetch(
            f"SELECT a.product_id, {sql.columns(AttributeValue, 'val')}, {sql.columns(Attribute, 'att')}"
            f" FROM {sql.table(AssignedProductAttributeValue)} a"
            f" JOIN {sql.table(AttributeValue)} val ON val.id = a.value_id"
            f" JOIN {sql.table(Attribute)} att ON att.id = val.attribute_id"
            " WHERE a.product_id = ANY(%s)"
            " ORDER BY a.product_id, att.storefront_search_position, att.slug, a.sort_order, a.id",
            [sql.id_array(keys)],
        )
        by_product: dict[int, list] = {}
        for row, value in zip(rows, _values_with_attributes(rows, 1)):
            by_product.setdefault(row[0], []).append((value, False))
        return [_group(by_product.get(key, [])) for key in keys]


class VariantAttributesLoader(BaseLoader):
    """Key variant id: its attributes with values, flagged when they select the variant."""

    def batch_load(self, keys):
        rows = sql.fetch(
            f"SELECT assigned.variant_id, link.variant_selection,"
            f" {sql.columns(AttributeValue, 'val')}, {sql.columns(Attribute, 'att')}"
            f" FROM {sql.table(AssignedVariantAttributeValue)} x"
            f" JOIN {sql.table(AssignedVariantAttribute)} assigned ON assigned.id = x.assignment_id"
            f" JOIN {sql.table(AttributeVariant)} link ON link.id = assigned.assignment_id"
            f" JOIN {sql.table(AttributeValue)} val ON val.id = x.value_id"
            f" JOIN {sql.table(Attribute)} att ON att.id = val.attribute_id"
            " WHERE assigned.variant_id = ANY(%s)"
            " ORDER BY link.sort_order, link.id, x.sort_order, x.id",
            [sql.id_array(keys)],
        )
        by_variant: dict[int, list] = {}
        for row, value in zip(rows, _values_with_attributes(rows, 2)):
            by_variant.setdefault(row[0], []).append((value, row[1]))
        return [_group(by_variant.get(key, [])) for key in keys]
