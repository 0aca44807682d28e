"""Mutation error types: ``errors: [XxxError!]!`` with ``field``, ``message`` and ``code``."""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum

import graphene
from django.core.exceptions import ValidationError
from graphql import GraphQLError

from saleor_ext.core.ids import to_global_id


class PermissionDenied(GraphQLError):
    """Raised by resolvers; shown as a top-level error with code PermissionDenied."""

    def __init__(self, message: str = "You do not have permission to perform this action", permissions=None):
        if permissions:
            message = f"To access this path, you need one of the following permissions: {', '.join(permissions)}"
        super().__init__(message, extensions={"exception": {"code": "PermissionDenied"}})


class Error(graphene.ObjectType):
    """The fields every mutation error type starts with; each adds its ``code`` enum and params."""

    class Meta:
        abstract = True

    field = graphene.String()
    message = graphene.String()


def snake_to_camel(name: str) -> str:
    head, *tail = name.split("_")
    return head + "".join(part.title() for part in tail)


def validation_error_to_list(
    error: ValidationError,
    error_type: type[graphene.ObjectType],
    code_enum: type[Enum],
    *,
    id_params: Mapping[str, str] | None = None,
    unknown_code: Enum | None = None,
) -> list:
    """One GraphQL error object per message; params whose names match error fields are copied onto
    it, those named in ``id_params`` (param -> type name) turned from primary keys into global IDs.
    A code ``code_enum`` lacks becomes ``unknown_code`` (with its message), or is a bug (ValueError)."""
    codes = {member.value for member in code_enum}
    id_params = id_params or {}
    result = []
    error_dict = error.error_dict if hasattr(error, "error_dict") else {None: error.error_list}
    for field, errors in error_dict.items():
        for err in errors:
            code = getattr(err.code, "value", err.code) or "invalid"
            if code not in codes:
                if unknown_code is None:
                    raise ValueError(f"{code!r} is not a valid {code_enum.__name__}")
                code = unknown_code.value
            extra = {
                name: _global_ids(value, id_params.get(name))
                for name, value in (err.params or {}).items()
                if name in error_type._meta.fields
            }
            result.append(
                error_type(
                    field=snake_to_camel(field) if field and field != "__all__" else None,
                    message=err.messages[0] if err.messages else str(err),
                    code=code,
                    **extra,
                )
            )
    return result


def _global_ids(value, type_name: str | None):
    """A param as the API shows it: the global IDs of the pk (or pks) it holds when it names a type."""
    if type_name is None:
        return value
    if isinstance(value, list | tuple):
        return [to_global_id(type_name, pk) for pk in value]
    return to_global_id(type_name, value)
