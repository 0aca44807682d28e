"""accountUpdate, account deletion and addressValidationRules."""

from __future__ import annotations

import pytest
from django.core import mail

from saleor_ext.account.models import Address, User
from saleor_ext.graphql.core.ids import to_global_id
from tests.account.helpers import (
    SHOPPER_EMAIL,
    bearer,
    codes,
    data_of,
    graphql,
    graphql_committed,
    login,
    make_shopper,
    sent_link,
)

pytestmark = pytest.mark.django_db

UPDATE = """
mutation Update($input: AccountInput!) {
  accountUpdate(input: $input) {
    user {
      firstName lastName languageCode metadata { key value }
      addresses { city }
      defaultBillingAddress { city postalCode isDefaultBillingAddress }
      defaultShippingAddress { city }
    }
    errors { field message code addressType }
  }
}
"""

REQUEST_DELETION = """
mutation RequestDeletion($redirectUrl: String!, $channel: String) {
  accountRequestDeletion(redirectUrl: $redirectUrl, channel: $channel) { errors { field message code } }
}
"""

DELETE = """
mutation Delete($token: String!) {
  accountDelete(token: $token) { user { id email } errors { field message code } }
}
"""

RULES = """
query Rules($countryCode: CountryCode!, $countryArea: String, $city: String, $cityArea: String) {
  addressValidationRules(countryCode: $countryCode, countryArea: $countryArea, city: $city, cityArea: $cityArea) {
    countryCode countryName addressFormat addressLatinFormat allowedFields requiredFields upperFields
    countryAreaType countryAreaChoices { raw verbose } cityType cityChoices { raw verbose }
    cityAreaType cityAreaChoices { raw verbose } postalCodeType postalCodeMatchers postalCodeExamples
    postalCodePrefix
  }
}
"""

REDIRECT = "https://shop.reemploi.example/account/delete"


@pytest.fixture
def shopper():
    return make_shopper()


@pytest.fixture
def auth(shopper) -> dict:
    return bearer(login(shopper.email)["token"])


def test_update_names_language_and_metadata(shopper, auth):
    shopper.metadata = {"newsletter": "no", "source": "fair"}
    shopper.save()

    result = data_of(
        graphql(UPDATE, {"input": {"firstName": "Anne-Marie", "languageCode": "NL_BE",
                                   "metadata": [{"key": "newsletter", "value": "yes"}]}}, **auth),
        "accountUpdate",
    )

    assert result["errors"] == []
    user = result["user"]
    assert (user["firstName"], user["lastName"], user["languageCode"]) == ("Anne-Marie", "Dupont", "NL_BE")
    assert {item["key"]: item["value"] for item in user["metadata"]} == {"newsletter": "yes", "source": "fair"}
    shopper.refresh_from_db()
    assert shopper.language_code == "nl-be"


def test_update_with_default_addresses_adds_them_to_the_book(shopper, auth):
    billing = {"streetAddress1": "Rue de la Loi 16", "postalCode": "1000", "city": "Bruxelles", "country": "BE"}
    shipping = {"streetAddress1": "Damrak 1", "postalCode": "1012 LG", "city": "Amsterdam", "country": "NL"}

    result = data_of(
        graphql(UPDATE, {"input": {"defaultBillingAddress": billing, "defaultShippingAddress": shipping}}, **auth),
        "accountUpdate",
    )

    assert result["errors"] == []
    user = result["user"]
    assert user["defaultBillingAddress"] == {"city": "BRUXELLES", "postalCode": "1000", "isDefaultBillingAddress": True}
    assert user["defaultShippingAddress"] == {"city": "AMSTERDAM"}
    assert sorted(a["city"] for a in user["addresses"]) == ["AMSTERDAM", "BRUXELLES"]


def test_an_invalid_default_address_says_which_one(shopper, auth):
    billing = {"streetAddress1": "Rue de la Loi 16", "postalCode": "10000", "city": "Bruxelles", "country": "BE"}
    shipping = {"streetAddress1": "Damrak 1", "postalCode": "1012 LG", "country": "NL"}

    result = data_of(
        graphql(UPDATE, {"input": {"firstName": "X", "defaultBillingAddress": billing,
                                   "defaultShippingAddress": shipping}}, **auth),
        "accountUpdate",
    )

    assert result["user"] is None
    assert [(e["field"], e["code"], e["addressType"]) for e in result["errors"]] == [
        ("postalCode", "INVALID", "BILLING"),
        ("city", "REQUIRED", "SHIPPING"),
    ]
    shopper.refresh_from_db()
    assert shopper.first_name == "Anne"
    assert Address.objects.count() == 0


def test_update_needs_a_logged_in_user():
    body = graphql(UPDATE, {"input": {"firstName": "X"}})
    assert body["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"


def test_deletion_is_confirmed_by_the_mailed_token(shopper, auth, django_capture_on_commit_callbacks):
    shopper.addresses.add(Address.objects.create(street_address_1="Rue 1", postal_code="1000", city="BRUXELLES"))

    requested = graphql_committed(django_capture_on_commit_callbacks, REQUEST_DELETION, {"redirectUrl": REDIRECT},
                                  **auth)

    assert data_of(requested, "accountRequestDeletion") == {"errors": []}
    assert mail.outbox[0].to == [SHOPPER_EMAIL]
    assert mail.outbox[0].subject == "Reuse marketplace : confirmez la suppression de votre compte"
    url, params = sent_link(mail.outbox[0])
    assert url.startswith(REDIRECT + "?token=")

    wrong = data_of(graphql(DELETE, {"token": "1-abc"}, **auth), "accountDelete")
    assert codes(wrong) == [("token", "INVALID")]
    assert User.objects.filter(pk=shopper.pk).exists()

    deleted = data_of(graphql(DELETE, {"token": params["token"]}, **auth), "accountDelete")

    assert deleted == {"user": {"id": to_global_id("User", shopper.pk), "email": SHOPPER_EMAIL}, "errors": []}
    assert not User.objects.filter(pk=shopper.pk).exists()
    assert Address.objects.count() == 0


def test_a_deletion_token_only_deletes_its_own_account(shopper, auth, django_capture_on_commit_callbacks):
    graphql_committed(django_capture_on_commit_callbacks, REQUEST_DELETION, {"redirectUrl": REDIRECT}, **auth)
    _url, params = sent_link(mail.outbox[0])
    other = make_shopper("other@example.be")

    result = data_of(graphql(DELETE, {"token": params["token"]}, **bearer(login(other.email)["token"])),
                     "accountDelete")

    assert codes(result) == [("token", "INVALID")]
    assert User.objects.count() == 2


def test_staff_accounts_are_not_deleted_from_the_storefront(django_capture_on_commit_callbacks):
    staff = make_shopper("staff@reemploi.example", is_staff=True)
    auth = bearer(login(staff.email)["token"])
    graphql_committed(django_capture_on_commit_callbacks, REQUEST_DELETION, {"redirectUrl": REDIRECT}, **auth)
    _url, params = sent_link(mail.outbox[0])

    result = data_of(graphql(DELETE, {"token": params["token"]}, **auth), "accountDelete")

    assert codes(result) == [(None, "DELETE_STAFF_ACCOUNT")]
    assert User.objects.filter(pk=staff.pk).exists()


def test_deletion_request_checks_its_redirect_url_and_login(auth, settings):
    settings.ALLOWED_CLIENT_HOSTS = ["shop.reemploi.example"]
    refused = data_of(graphql(REQUEST_DELETION, {"redirectUrl": "https://evil.example/"}, **auth),
                      "accountRequestDeletion")
    assert codes(refused) == [("redirectUrl", "INVALID")]

    anonymous = graphql(REQUEST_DELETION, {"redirectUrl": REDIRECT})
    assert anonymous["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"
    assert graphql(DELETE, {"token": "x"})["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"
    assert mail.outbox == []


def test_validation_rules_of_belgium():
    rules = data_of(graphql(RULES, {"countryCode": "BE"}), "addressValidationRules")

    assert rules == {
        "countryCode": "BE",
        "countryName": "BELGIUM",
        "addressFormat": "%O%n%N%n%A%n%Z %C",
        "addressLatinFormat": "%O%n%N%n%A%n%Z %C",
        "allowedFields": ["city", "companyName", "firstName", "lastName", "postalCode", "streetAddress1",
                          "streetAddress2"],
        "requiredFields": ["city", "postalCode", "streetAddress1"],
        "upperFields": ["city"],
        "countryAreaType": "province",
        "countryAreaChoices": [],
        "cityType": "city",
        "cityChoices": [],
        "cityAreaType": "suburb",
        "cityAreaChoices": [],
        "postalCodeType": "postal",
        "postalCodeMatchers": ["^\\d{4}$"],
        "postalCodeExamples": ["4000", "1000"],
        "postalCodePrefix": "",
    }


def test_validation_rules_list_areas_and_narrow_to_one():
    italy = data_of(graphql(RULES, {"countryCode": "IT"}), "addressValidationRules")
    assert {"raw": "MI", "verbose": "Milano"} in italy["countryAreaChoices"]
    assert "countryArea" in italy["requiredFields"]

    california = data_of(graphql(RULES, {"countryCode": "US", "countryArea": "CA"}), "addressValidationRules")
    assert california["postalCodeMatchers"] == ["^(\\d{5})(?:[ \\-](\\d{4}))?$", "^9[0-5]|96[01]"]
    assert california["postalCodeExamples"] == ["90000", "96199"]


def test_luxembourg_rules_give_the_postal_prefix():
    rules = data_of(graphql(RULES, {"countryCode": "LU"}), "addressValidationRules")
    assert rules["postalCodePrefix"] == "L-"


def test_a_country_code_without_postal_rules_has_none():
    assert graphql(RULES, {"countryCode": "EU"}) == {"data": {"addressValidationRules": None}}
