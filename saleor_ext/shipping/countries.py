"""Country codes the back-office accepts (ISO 3166-1 alpha-2), named in the back-office language."""

from __future__ import annotations

from functools import cache

from babel import Locale
from django.core.exceptions import ValidationError

# Babel territories that are not countries one delivers to.
NOT_COUNTRIES = {"EU", "EZ", "QO", "UN", "XA", "XB", "ZZ"}


@cache
def country_names() -> dict[str, str]:
    """Code → French name, ordered by name."""
    territories = Locale("fr").territories
    codes = [code for code in territories if len(code) == 2 and code.isalpha() and code not in NOT_COUNTRIES]
    return {code: territories[code] for code in sorted(codes, key=lambda c: territories[c])}


def validate_country_code(code: str) -> None:
    if code not in country_names():
        raise ValidationError(f"Unknown country code: {code}.")


def validate_country_codes(codes: list[str]) -> None:
    unknown = [code for code in codes if code not in country_names()]
    if unknown:
        raise ValidationError(f"Unknown country codes: {', '.join(unknown)}.")
