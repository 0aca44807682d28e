"""Global IDs in the API: decoded for queries (a malformed one is a top-level error) and for
mutation inputs (a GRAPHQL_ERROR on the input's field, in the mutation's ``errors``)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from enum import Enum

from django.core.exceptions import ValidationError
from graphql import GraphQLError

from saleor_ext.core.ids import InvalidGlobalId, from_global_id
from saleor_ext.core.ids import to_global_id as to_global_id  # the API's types import it from here

# Types whose primary key is a UUID; every other type's is an integer.
UUID_TYPES = {
    "Checkout",
    "CheckoutLine",
    "CheckoutDelivery",
    "Delivery",
    "Order",
    "OrderLine",
    "TransactionItem",
    "VendorOrder",
    "Warehouse",
}

Pk = int | uuid.UUID


def from_global_id_or_error(global_id: str, only_type: str | tuple[str, ...]) -> str:
    """Return the pk of an ID of the expected type, or raise the error Saleor gives."""
    expected = (only_type,) if isinstance(only_type, str) else only_type
    try:
        type_name, pk = from_global_id(global_id)
    except InvalidGlobalId:
        raise GraphQLError(f"Invalid ID: {global_id}. Expected: a global ID.") from None
    if type_name not in expected:
        raise GraphQLError(f"Invalid ID: {global_id}. Expected: {', '.join(expected)}, received: {type_name}.")
    if _typed_pk(type_name, pk) is None:
        raise GraphQLError(f"Invalid ID: {global_id}. Expected: {type_name}.")
    return pk


def pks_from_global_ids(global_ids: list[str], only_type: str) -> list[str]:
    return [from_global_id_or_error(gid, only_type) for gid in global_ids]


def global_id_type(global_id: str) -> str | None:
    """The type an ID names, or None when it is not a global ID."""
    try:
        return from_global_id(global_id)[0]
    except InvalidGlobalId:
        return None


def input_type_and_pk(
    global_id: str | None,
    only_type: str | Sequence[str],
    *,
    field: str,
    codes: type[Enum],
    wrong_type_code: Enum | None = None,
) -> tuple[str, Pk]:
    """(type name, pk) of a mutation input's ID of one of ``only_type``, the pk an int or a UUID as
    the type needs. Otherwise a ``ValidationError`` on ``field`` with ``codes.GRAPHQL_ERROR``
    (``wrong_type_code`` for an ID of another type), or REQUIRED for no ID where ``codes`` has it."""
    expected = (only_type,) if isinstance(only_type, str) else tuple(only_type)
    names = " or ".join(expected)
    if not global_id:
        raise _input_error(field, f"Give an id of {names}.", getattr(codes, "REQUIRED", codes.GRAPHQL_ERROR))
    try:
        type_name, raw_pk = from_global_id(global_id)
    except InvalidGlobalId:
        raise _input_error(field, f"Couldn't resolve id: {global_id}.", codes.GRAPHQL_ERROR) from None
    if type_name not in expected:
        raise _input_error(field, f"Must receive an id of {names}.", wrong_type_code or codes.GRAPHQL_ERROR)
    pk = _typed_pk(type_name, raw_pk)
    if pk is None:
        raise _input_error(field, f"Couldn't resolve id: {global_id}.", codes.GRAPHQL_ERROR)
    return type_name, pk


def input_pk(global_id: str | None, only_type: str, *, field: str, codes: type[Enum]) -> Pk:
    """The pk of a mutation input's ID of ``only_type`` (see ``input_type_and_pk``)."""
    return input_type_and_pk(global_id, only_type, field=field, codes=codes)[1]


def _typed_pk(type_name: str, pk: str) -> Pk | None:
    if type_name in UUID_TYPES:
        try:
            return uuid.UUID(pk)
        except ValueError:
            return None
    return int(pk) if pk.isascii() and pk.isdigit() else None


def _input_error(field: str, message: str, code: Enum) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code.value)})
