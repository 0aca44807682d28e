"""Attribute assignments of products and variants, batched."""

from __future__ import annotations

from dataclasses import dataclass, field

from saleor_ext.attribute.models import (
    AssignedProductAttributeValue,
    AssignedVariantAttributeValue,
    Attribute,
    AttributeValue,
)

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


class ProductAttributesLoader(BaseLoader):
    """Key product id: its attributes with values, in the order they were assigned."""

    def batch_load(self, keys):
        rows = (
            AssignedProductAttributeValue.objects.filter(product_id__in=set(keys))
            .select_related("value__attribute")
            .order_by("product_id", "value__attribute__storefront_search_position", "value__attribute__slug",
                      "sort_order", "pk")
        )
        by_product: dict[int, list] = {}
        for row in rows:
            by_product.setdefault(row.product_id, []).append((row.value, False))
        return [_group(by_product.get(key, [])) for key in keys]


class VariantAttributesLoader(BaseLoader):
    """Key variant id: its attributes with values, flagged when they select the variant."""

    def batch_load(self, keys):
        rows = (
            AssignedVariantAttributeValue.objects.filter(assignment__variant_id__in=set(keys))
            .select_related("value__attribute", "assignment__assignment")
            .order_by("assignment__assignment__sort_order", "assignment__assignment_id", "sort_order", "pk")
        )
        by_variant: dict[int, list] = {}
        for row in rows:
            by_variant.setdefault(row.assignment.variant_id, []).append(
                (row.value, row.assignment.assignment.variant_selection)
            )
        return [_group(by_variant.get(key, [])) for key in keys]


class AttributeByIdLoader(BaseLoader):
    def batch_load(self, keys):
        found = Attribute.objects.in_bulk(set(keys))
        return [found.get(key) for key in keys]
