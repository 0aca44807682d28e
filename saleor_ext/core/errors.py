"""The one way a domain service refuses an input: a ``ValidationError`` on a field."""

from __future__ import annotations

from enum import Enum

from django.core.exceptions import ValidationError


def validation_error(field: str | None, message: str, code: Enum, **params) -> ValidationError:
    """A refusal of one input ``field`` (``None``: of the whole input) with a code of the domain's
    enum; ``params`` (primary keys of the variants or lines at fault…) ride along for the API,
    which turns them into global IDs."""
    return ValidationError({field or "__all__": [ValidationError(message, code=code.value, params=params or None)]})
