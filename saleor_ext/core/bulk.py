"""Fast bulk inserts with PostgreSQL COPY, for writers of hundreds of thousands of rows (the ERP
sync's new items and photos, the demo importers).

Rows are plain dicts keyed by field attname (``vendor_id``, not ``vendor``): no model instances,
no signals, no save(). Fields a row leaves out get the model field's default, so a field added
to a model later does not break the importer. JSON goes over as text, which the column parses.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, models
from django.utils import timezone


def allocate_ids(model: type[models.Model], count: int) -> list[int]:
    """Reserve ``count`` primary keys from the model's sequence (for rows that others point to)."""
    if count <= 0:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, model._meta.pk.column, count],
        )
        return [row[0] for row in cursor.fetchall()]


def _default(field: models.Field) -> Any:
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return timezone.now()
    return field.get_default()


def copy_insert(model: type[models.Model], rows: Sequence[dict[str, Any]]) -> int:
    """COPY ``rows`` into the model's table; returns how many were written."""
    if not rows:
        return 0
    given = list(rows[0])
    fields = {f.attname: f for f in model._meta.concrete_fields}
    unknown = set(given) - set(fields)
    if unknown:
        raise ValueError(f"{model.__name__} has no fields {sorted(unknown)}")
    defaulted = [
        f for name, f in fields.items() if name not in given and not isinstance(f, models.fields.AutoFieldMixin)
    ]
    # A callable default of a unique column (a uuid key) must differ per row; others are shared.
    per_row = [f for f in defaulted if (f.unique or f.primary_key) and f.has_default() and callable(f.default)]
    shared = [f for f in defaulted if f not in per_row]
    json_given = [i for i, name in enumerate(given) if isinstance(fields[name], models.JSONField)]
    shared_values = [
        json.dumps(value) if isinstance(f, models.JSONField) and value is not None else value
        for f in shared
        for value in [_default(f)]
    ]
    names = given + [f.attname for f in shared] + [f.attname for f in per_row]
    columns = ", ".join(connection.ops.quote_name(fields[name].column) for name in names)
    statement = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            values = [row[name] for name in given]
            for i in json_given:
                if values[i] is not None:
                    values[i] = json.dumps(values[i])
            copy.write_row(values + shared_values + [f.default() for f in per_row])
    return len(rows)


def copy_insert_many(batches: Iterable[tuple[type[models.Model], Sequence[dict[str, Any]]]]) -> None:
    """COPY each (model, rows) pair in turn, in the order given (rows others point to first)."""
    for model, rows in batches:
        copy_insert(model, rows)
