"""Global IDs as Saleor writes them: base64("<TypeName>:<pk>")."""

from __future__ import annotations

import base64
import binascii
import uuid

from graphql import GraphQLError

UUID_TYPES = {
    "Checkout",
    "CheckoutLine",
    "CheckoutDelivery",
    "Delivery",
    "Order",
    "OrderLine",
    "VendorOrder",
    "Warehouse",
}


def to_global_id(type_name: str, pk) -> str:
    return base64.b64encode(f"{type_name}:{pk}".encode()).decode()


def decode_global_id(global_id: str) -> tuple[str, str]:
    """Split an ID into (type name, pk string); a malformed ID raises GraphQLError."""
    try:
        raw = base64.b64decode(str(global_id), validate=True).decode()
        type_name, _, pk = raw.partition(":")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise GraphQLError(f"Invalid ID: {global_id}. Expected: a global ID.") from None
    if not type_name or not pk:
        raise GraphQLError(f"Invalid ID: {global_id}. Expected: a global ID.")
    return type_name, pk


def from_global_id_or_error(global_id: str, only_type: str | tuple[str, ...]) -> str:
    """Return the pk of an ID of the expected type, or raise the error Saleor gives."""
    expected = (only_type,) if isinstance(only_type, str) else only_type
    type_name, pk = decode_global_id(global_id)
    if type_name not in expected:
        raise GraphQLError(f"Invalid ID: {global_id}. Expected: {', '.join(expected)}, received: {type_name}.")
    if type_name in UUID_TYPES:
        try:
            uuid.UUID(pk)
        except ValueError:
            raise GraphQLError(f"Invalid ID: {global_id}. Expected: {type_name}.") from None
    elif not pk.isdigit():
        raise GraphQLError(f"Invalid ID: {global_id}. Expected: {type_name}.")
    return pk


def pks_from_global_ids(global_ids: list[str], only_type: str) -> list[str]:
    return [from_global_id_or_error(gid, only_type) for gid in global_ids]
