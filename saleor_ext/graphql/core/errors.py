"""Mutation error types: ``errors: [XxxError!]!`` with ``field``, ``message`` and ``code``."""

from __future__ import annotations

from enum import Enum

import graphene
from django.core.exceptions import ValidationError
from graphql import GraphQLError


class PermissionDenied(GraphQLError):
    """Raised by resolvers; shown as a top-level error with code PermissionDenied."""

    def __init__(self, message: str = "You do not have permission to perform this action", permissions=None):
        if permissions:
            message = f"To access this path, you need one of the following permissions: {', '.join(permissions)}"
        super().__init__(message, extensions={"exception": {"code": "PermissionDenied"}})


def snake_to_camel(name: str) -> str:
    head, *tail = name.split("_")
    return head + "".join(part.title() for part in tail)


def validation_error_to_list(error: ValidationError, error_type: type[graphene.ObjectType], code_enum: type[Enum]):
    """One GraphQL error object per message; params whose names match error fields are copied onto it."""
    result = []
    error_dict = error.error_dict if hasattr(error, "error_dict") else {None: error.error_list}
    for field, errors in error_dict.items():
        for err in errors:
            code = err.code or "invalid"
            extra = {k: v for k, v in (err.params or {}).items() if k in error_type._meta.fields}
            result.append(
                error_type(
                    field=snake_to_camel(field) if field and field != "__all__" else None,
                    message=err.messages[0] if err.messages else str(err),
                    code=code_enum(code).value if not isinstance(code, Enum) else code.value,
                    **extra,
                )
            )
    return result
