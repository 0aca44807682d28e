"""What plugins add to the product API, so that the core never imports a plugin.

A plugin class in ``settings.PLUGINS`` may name a ``CatalogueExtension`` in its
``CATALOGUE_EXTENSION`` attribute (a dotted path). Its field mixins join ``ProductVariant``,
``ProductFilterInput``, ``ProductWhereInput`` and ``ProductFacets`` when the schema is built; its
conditions join the product filters and its sorts join ``ProductOrderField``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class SortSpec:
    description: str
    # Annotates the sort keys onto the queryset and returns them (ascending, pk excluded).
    annotate: Callable[[QuerySet], tuple[QuerySet, list[str]]]


@dataclass(frozen=True)
class CatalogueExtension:
    variant_fields: tuple[type, ...] = ()
    filter_fields: tuple[type, ...] = ()
    where_fields: tuple[type, ...] = ()
    facet_fields: tuple[type, ...] = ()
    # Given the whole input dict, the condition for this extension's own keys.
    filter: Callable[[dict], Q] | None = None
    where: Callable[[dict], Q] | None = None
    sorts: dict[str, SortSpec] = field(default_factory=dict)
    # Given (info, variant ids, selected variant fields), loads the extension's variant fields of a
    # page in one batch before they resolve (see ``prime_variants``).
    prime_variants: Callable[[Any, list[int], set[str]], None] | None = None


@lru_cache(maxsize=1)
def extensions() -> tuple[CatalogueExtension, ...]:
    found = []
    for path in settings.PLUGINS:
        extension_path = getattr(import_string(path), "CATALOGUE_EXTENSION", None)
        if extension_path:
            found.append(import_string(extension_path))
    return tuple(found)


def mixins(kind: str) -> tuple[type, ...]:
    """The field mixins of every extension for one type (``variant_fields``, ``filter_fields``…)."""
    return tuple(mixin for extension in extensions() for mixin in getattr(extension, kind))


def filter_conditions(value: dict) -> Q:
    condition = Q()
    for extension in extensions():
        if extension.filter is not None:
            condition &= extension.filter(value)
    return condition


def where_conditions(value: dict) -> Q:
    condition = Q()
    for extension in extensions():
        if extension.where is not None:
            condition &= extension.where(value)
    return condition


def sorts() -> dict[str, SortSpec]:
    return {name: spec for extension in extensions() for name, spec in extension.sorts.items()}
