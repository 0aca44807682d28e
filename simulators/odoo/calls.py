"""The model methods a client may call, with their parameters as Odoo names them (and the older names
Odoo 16–17 accept), and the binding of a call's arguments to them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .errors import BadParams, BadValue


@dataclass
class Signature:
    on_records: bool
    params: list[tuple[str, Any]]
    access: str | None  # 'read', 'write', 'create', 'unlink' or None (no access check)
    models: frozenset[str] | None = None


REQUIRED = object()
SIGNATURES: dict[str, Signature] = {
    "search_read": Signature(False, [("domain", None), ("fields", None), ("offset", 0), ("limit", None),
                                     ("order", None)], "read"),
    "search": Signature(False, [("domain", REQUIRED), ("offset", 0), ("limit", None), ("order", None)], "read"),
    "search_count": Signature(False, [("domain", REQUIRED), ("limit", None)], "read"),
    "read": Signature(True, [("fields", None), ("load", "_classic_read")], "read"),
    "create": Signature(False, [("vals_list", REQUIRED)], "create"),
    "write": Signature(True, [("vals", REQUIRED)], "write"),
    "unlink": Signature(True, [], "unlink"),
    "fields_get": Signature(False, [("allfields", None), ("attributes", None)], None),
    "name_search": Signature(False, [("name", ""), ("domain", None), ("operator", "ilike"), ("limit", 100)], "read"),
    "action_confirm": Signature(True, [], "write", frozenset({"sale.order"})),
    "action_cancel": Signature(True, [], "write", frozenset({"sale.order"})),
    "context_get": Signature(False, [], None, frozenset({"res.users"})),
}
# Older names of the same parameters (Odoo 16–17 say args for search's domain, vals for create).
ALIASES = {"args": "domain", "vals": "vals_list"}


def bind(method: str, signature: Signature, args: list, kwargs: dict) -> dict:
    names = [name for name, _default in signature.params]
    if len(args) > len(names):
        raise BadParams(f"{method}() takes {len(names) + 1} positional arguments but {len(args) + 1} were given")
    params = dict(zip(names, args))
    for key, value in kwargs.items():
        key = ALIASES.get(key, key) if key not in names else key
        if key not in names:
            raise BadParams(f"{method}() got an unexpected keyword argument '{key}'")
        if key in params:
            raise BadParams(f"{method}() got multiple values for argument '{key}'")
        params[key] = value
    for name, default in signature.params:
        if name not in params:
            if default is REQUIRED:
                raise BadParams(f"{method}() missing 1 required positional argument: '{name}'")
            params[name] = default
    return params


def as_ids(value: Any) -> list[int]:
    if value in (None, False):
        return []
    if isinstance(value, int) and not isinstance(value, bool):
        return [value]
    if isinstance(value, list | tuple) and all(isinstance(item, int) and not isinstance(item, bool)
                                               for item in value):
        return list(value)
    raise BadValue(f"Invalid ids: {value!r}")
