"""Global IDs as Saleor writes them: base64("<TypeName>:<pk>").

Plain encoding, no GraphQL: the API builds on it, and so does the JWT, whose ``user_id`` claim is
the user's global ID.
"""

from __future__ import annotations

import base64
import binascii


class InvalidGlobalId(ValueError):
    """Not base64 of "<TypeName>:<pk>"."""


def to_global_id(type_name: str, pk) -> str:
    return base64.b64encode(f"{type_name}:{pk}".encode()).decode()


def from_global_id(global_id: str) -> tuple[str, str]:
    """(type name, pk string) of a global ID; raises ``InvalidGlobalId`` when it is not one."""
    try:
        type_name, _, pk = base64.b64decode(str(global_id), validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise InvalidGlobalId(global_id) from None
    if not type_name or not pk:
        raise InvalidGlobalId(global_id)
    return type_name, pk
