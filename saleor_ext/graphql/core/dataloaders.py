"""The two shapes most batch loaders take: a row by its id, and the rows pointing at an owner.

A subclass names its model and, where it needs them, the relations to join and the ordering; one
query serves every key of a request level. ``related = ()`` keeps Django's meaning of a bare
``select_related()``: every non-null foreign key is joined (resolvers rely on those rows).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import Model, QuerySet

from saleor_ext.core.reference_cache import reference_table

from .context import BaseLoader


def rows_by_id(queryset: QuerySet, ids: Iterable, *, whole_table: bool = False) -> dict:
    """``{id: row}`` of ``queryset``; a whole-table model is read whole from the process's reference
    cache, and only rows created since are queried."""
    objects = reference_table(queryset.model._meta.label, queryset.in_bulk) if whole_table else {}
    missing = {pk for pk in ids if pk not in objects}
    if missing:
        objects = {**objects, **queryset.in_bulk(missing)}
    return objects


class ByIdLoader(BaseLoader):
    """Key: a primary key; value: the row, or None."""

    model: type[Model]
    related: tuple[str, ...] = ()
    # Small tables that rarely change are read whole from the process's reference cache.
    whole_table = False

    def batch_load(self, keys: list) -> list:
        objects = rows_by_id(self.model.objects.select_related(*self.related), keys, whole_table=self.whole_table)
        return [objects.get(key) for key in keys]


class ListByForeignKeyLoader(BaseLoader):
    """Key: an owner's id; value: the rows whose ``key_field`` holds it, in ``ordering`` (else the model's)."""

    model: type[Model]
    key_field: str
    related: tuple[str, ...] = ()
    ordering: tuple[str, ...] = ()

    def queryset(self, keys: set) -> QuerySet:
        rows = self.model.objects.select_related(*self.related).filter(**{f"{self.key_field}__in": keys})
        return rows.order_by(*self.ordering) if self.ordering else rows

    def value(self, row: Model) -> Any:
        """What the list holds for a row (the row itself unless a subclass picks a relation)."""
        return row

    def batch_load(self, keys: list) -> list:
        found = defaultdict(list)
        for row in self.queryset(set(keys)):
            found[getattr(row, self.key_field)].append(self.value(row))
        return [found.get(key, []) for key in keys]
