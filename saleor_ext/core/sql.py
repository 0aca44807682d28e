"""Fixed-text SQL for the read paths every storefront request takes.

Compiling an ORM queryset costs about a millisecond of Python here, more than PostgreSQL needs to
answer the small keyed lookups of a product page. The hot loaders therefore send fixed SQL with
``= ANY(%s)`` array parameters and build model instances straight from the rows. Table and column
names come from the models' metadata, so a renamed field still reaches the right column.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cache
from typing import Any, TypeVar

from django.db import connection
from django.db.models import Model

M = TypeVar("M", bound=Model)


@cache
def table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


@cache
def column(model: type[Model], field_name: str) -> str:
    return connection.ops.quote_name(model._meta.get_field(field_name).column)


@cache
def columns(model: type[Model], alias: str) -> str:
    """Every concrete column of ``model`` as ``alias."col"``, in the order ``from_db`` expects."""
    quote = connection.ops.quote_name
    return ", ".join(f"{alias}.{quote(field.column)}" for field in model._meta.concrete_fields)


def width(model: type[Model]) -> int:
    return len(model._meta.concrete_fields)


def fetch(sql: str, params: Sequence[Any]) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


@cache
def _converters(model: type[Model]) -> tuple[tuple[int, tuple, Any], ...]:
    """Per column, the converters the ORM applies to it (JSON text, PPOI strings…)."""
    found = []
    for index, field in enumerate(model._meta.concrete_fields):
        expression = field.get_col(model._meta.db_table)
        converters = tuple(connection.ops.get_db_converters(expression) + field.get_db_converters(connection))
        if converters:
            found.append((index, converters, expression))
    return tuple(found)


@cache
def some_columns(model: type[Model], alias: str, names: tuple[str, ...]) -> tuple[str, tuple[str, ...]]:
    """The columns of fields ``names`` in model order, and their attnames for ``partial_instance``."""
    quote = connection.ops.quote_name
    fields = [f for f in model._meta.concrete_fields if f.name in names or f.attname in names]
    return ", ".join(f"{alias}.{quote(f.column)}" for f in fields), tuple(f.attname for f in fields)


def partial_instance(model: type[M], attnames: tuple[str, ...], values: Sequence[Any]) -> M:
    """An instance with only ``attnames`` loaded (the others load on access, as with ``only()``)."""
    converters = {index: (functions, expression) for index, functions, expression in _converters(model)}
    names = set(attnames)
    positions = [i for i, f in enumerate(model._meta.concrete_fields) if f.attname in names]
    values = list(values)
    for slot, position in enumerate(positions):
        if position in converters:
            functions, expression = converters[position]
            for convert in functions:
                values[slot] = convert(values[slot], expression, connection)
    return model.from_db(connection.alias, names, values)


def instance(model: type[M], values: Sequence[Any]) -> M:
    """A model instance from a row slice holding ``columns(model, …)``, as the ORM would build it."""
    converters = _converters(model)
    if converters:
        values = list(values)
        for index, functions, expression in converters:
            for convert in functions:
                values[index] = convert(values[index], expression, connection)
    return model.from_db(connection.alias, None, values)


def id_array(ids: Iterable[int]) -> list[int]:
    """A parameter for ``= ANY(%s)``: one placeholder whatever the number of ids."""
    return list(set(ids))


@cache
def _insert_fields(model: type[Model]) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
    """The columns an INSERT of ``model`` gives, and those the database fills (serial ids, db defaults)."""
    from django.db.models import NOT_PROVIDED
    from django.db.models.fields import AutoFieldMixin

    given, filled = [], []
    for field in model._meta.concrete_fields:
        by_database = isinstance(field, AutoFieldMixin) or field.db_default is not NOT_PROVIDED
        (filled if by_database else given).append(field)
    return tuple(given), tuple(filled)


def insert_statement(model: type[Model], objects: Sequence[Model], *, returning: bool = False) -> tuple[str, list]:
    """One INSERT (SQL, params) of ``objects`` as ``save()`` would write them (defaults and
    ``pre_save`` applied), without compiling a query; ``returning``: the database-filled columns."""
    given, filled = _insert_fields(model)
    quote = connection.ops.quote_name
    row = f"({', '.join(['%s'] * len(given))})"
    text = (
        f"INSERT INTO {table(model)} ({', '.join(quote(f.column) for f in given)})"
        f" VALUES {', '.join([row] * len(objects))}"
    )
    if returning:
        text += f" RETURNING {', '.join(quote(f.column) for f in filled)}"
    params = [field.get_db_prep_save(field.pre_save(obj, True), connection) for obj in objects for field in given]
    return text, params


def insert(obj: Model) -> None:
    """INSERT one row of a model whose primary key is set by Python (a UUID default), as
    ``save()`` would without compiling a query."""
    if obj.pk is None:
        raise ValueError("sql.insert needs the primary key set before the INSERT")
    statement, values = insert_statement(type(obj), [obj])
    with connection.cursor() as cursor:
        cursor.execute(statement, values)
    obj._state.adding = False
    obj._state.db = connection.alias
