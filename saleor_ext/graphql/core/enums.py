"""Enum arguments arrive as members or raw values depending on the caller; read them one way."""

from __future__ import annotations

from typing import Any


def enum_value(value: Any) -> Any:
    return getattr(value, "value", value)


def enum_name(value: Any) -> Any:
    return getattr(value, "name", value)
