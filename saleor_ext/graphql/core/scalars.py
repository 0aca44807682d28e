"""Custom scalars with the names Saleor's schema (and its storefront's codegen) expects."""

from __future__ import annotations

import decimal
import json
import uuid
from typing import Any

import graphene
from graphene.types.generic import GenericScalar  # noqa: F401  (re-exported: name GenericScalar)
from graphql import GraphQLError
from graphql.language import ast


def _literal_value(node: ast.ValueNode) -> Any:
    if isinstance(node, ast.IntValueNode):
        return int(node.value)
    if isinstance(node, ast.FloatValueNode):
        return float(node.value)
    if isinstance(node, (ast.StringValueNode, ast.EnumValueNode)):
        return node.value
    if isinstance(node, ast.BooleanValueNode):
        return node.value
    if isinstance(node, ast.ListValueNode):
        return [_literal_value(v) for v in node.values]
    if isinstance(node, ast.ObjectValueNode):
        return {f.name.value: _literal_value(f.value) for f in node.fields}
    return None


class Decimal(graphene.Scalar):
    """A decimal number sent and received as a JSON number or string."""

    @staticmethod
    def serialize(value):
        return float(value)

    @staticmethod
    def parse_value(value):
        try:
            result = decimal.Decimal(str(value))
        except (decimal.InvalidOperation, ValueError) as exc:
            raise GraphQLError(f"Invalid decimal: {value!r}") from exc
        if not result.is_finite():
            raise GraphQLError(f"Invalid decimal: {value!r}")
        return result

    @classmethod
    def parse_literal(cls, node, _variables=None):
        if isinstance(node, (ast.IntValueNode, ast.FloatValueNode, ast.StringValueNode)):
            return cls.parse_value(node.value)
        raise GraphQLError("Decimal expects a number or a string.")


class PositiveDecimal(Decimal):
    """A decimal number greater than or equal to zero."""

    @staticmethod
    def parse_value(value):
        result = Decimal.parse_value(value)
        if result < 0:
            raise GraphQLError(f"Value must be positive: {value!r}")
        return result


class PositiveInt(graphene.Scalar):
    """An integer greater than or equal to zero."""

    @staticmethod
    def serialize(value):
        return int(value)

    @staticmethod
    def parse_value(value):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise GraphQLError(f"Value must be a positive integer: {value!r}")
        return value

    @classmethod
    def parse_literal(cls, node, _variables=None):
        if isinstance(node, ast.IntValueNode):
            return cls.parse_value(int(node.value))
        raise GraphQLError("PositiveInt expects an integer.")


class _JSONBase(graphene.Scalar):
    @staticmethod
    def serialize(value):
        return value

    @staticmethod
    def parse_value(value):
        return value

    @classmethod
    def parse_literal(cls, node, _variables=None):
        return _literal_value(node)


class JSON(_JSONBase):
    """Any JSON value."""


class Metadata(_JSONBase):
    """A map of metadata keys to string values."""


class _Any(_JSONBase):
    """Federation representation input."""


class JSONString(graphene.Scalar):
    """JSON sent as a string (EditorJS descriptions are returned this way)."""

    @staticmethod
    def serialize(value):
        if value is None:
            return None
        return value if isinstance(value, str) else json.dumps(value)

    @staticmethod
    def parse_value(value):
        if isinstance(value, str):
            try:
                return json.loads(value)
            except ValueError as exc:
                raise GraphQLError(f"Invalid JSON string: {exc}") from exc
        return value

    @classmethod
    def parse_literal(cls, node, _variables=None):
        if isinstance(node, ast.StringValueNode):
            return cls.parse_value(node.value)
        return _literal_value(node)


class UUID(graphene.UUID):
    """A UUID in its canonical string form."""

    @staticmethod
    def parse_value(value):
        try:
            return uuid.UUID(str(value))
        except ValueError as exc:
            raise GraphQLError(f"Invalid UUID: {value!r}") from exc


class Date(graphene.Date):
    """An ISO-8601 date."""


class DateTime(graphene.DateTime):
    """An ISO-8601 date and time with a time zone."""


class _IntScalar(graphene.Scalar):
    @staticmethod
    def serialize(value):
        return int(value)

    @staticmethod
    def parse_value(value):
        return int(value)

    @classmethod
    def parse_literal(cls, node, _variables=None):
        if isinstance(node, ast.IntValueNode):
            return int(node.value)
        raise GraphQLError(f"{cls.__name__} expects an integer.")


class Day(graphene.Scalar):
    """A day of the week as a string."""

    serialize = staticmethod(str)
    parse_value = staticmethod(str)

    @classmethod
    def parse_literal(cls, node, _variables=None):
        return str(_literal_value(node))


class Hour(_IntScalar):
    """An hour of the day, 0 to 23."""


class Minute(_IntScalar):
    """A minute of the hour, 0 to 59."""


class WeightScalar(graphene.Scalar):
    """A weight, as a number in the shop's default unit."""

    @staticmethod
    def serialize(value):
        return float(value)

    @staticmethod
    def parse_value(value):
        return Decimal.parse_value(value)

    @classmethod
    def parse_literal(cls, node, _variables=None):
        return Decimal.parse_literal(node)


class Upload(graphene.Scalar):
    """A file sent in a multipart request."""

    serialize = staticmethod(lambda value: None)
    parse_value = staticmethod(lambda value: value)
    parse_literal = classmethod(lambda cls, node, _variables=None: None)


__all__ = [
    "Date",
    "DateTime",
    "Day",
    "Decimal",
    "GenericScalar",
    "Hour",
    "JSON",
    "JSONString",
    "Metadata",
    "Minute",
    "PositiveDecimal",
    "PositiveInt",
    "UUID",
    "Upload",
    "WeightScalar",
    "_Any",
]
