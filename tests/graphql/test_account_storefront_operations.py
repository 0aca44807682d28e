"""The account operations of Saleor's storefront (#20–#21, #38–#55 but the orders of #43–#44) run unchanged.

Each document in storefront/account/ is written in the shape the storefront sends (fragments appended to
the operation); storefront/account/checkout/ holds those of its checkout app.
"""

from __future__ import annotations

import re
from pathlib import Path

import jwt
import pytest
from django.core import mail
from graphql import parse, validate

from saleor_ext.account.models import User
from saleor_ext.channel.models import Channel
from saleor_ext.graphql.api import schema
from tests.account.helpers import PASSWORD, bearer, graphql, graphql_committed, make_shopper, sent_link

pytestmark = pytest.mark.django_db

DOCUMENTS = Path(__file__).parent / "storefront" / "account"
API_URL = "http://testserver/graphql/"
REDIRECT = "https://shop.reemploi.example/account/confirm"
EMAIL = "jeanne.peeters@example.be"
BRUSSELS = {"firstName": "Jeanne", "lastName": "Peeters", "streetAddress1": "Rue de la Loi 16", "postalCode": "1000",
            "city": "Bruxelles", "country": "BE", "phone": "0470 12 34 56"}


def document(name: str) -> str:
    """An operation with the fragments it spreads appended, as the storefront sends it."""
    text = (DOCUMENTS / f"{name}.graphql").read_text()
    included: set[str] = set()
    pending = set(re.findall(r"\.\.\.([A-Z]\w*)", text))
    while pending:
        fragment = pending.pop()
        included.add(fragment)
        body = (DOCUMENTS / "fragments" / f"{fragment}.graphql").read_text()
        text += "\n" + body
        pending |= set(re.findall(r"\.\.\.([A-Z]\w*)", body)) - included
    return text


OPERATIONS = sorted(
    str(path.relative_to(DOCUMENTS).with_suffix(""))
    for path in DOCUMENTS.rglob("*.graphql")
    if "fragments" not in path.parts
)


def run(name: str, variables: dict | None = None, **headers) -> dict:
    body = graphql(document(name), variables or {}, **headers)
    assert "errors" not in body, body["errors"]
    return body["data"]


def payload(name: str, field: str, variables: dict | None = None, **headers) -> dict:
    result = run(name, variables, **headers)[field]
    assert result["errors"] == [], result["errors"]
    return result


@pytest.fixture
def channel():
    return Channel.objects.create(name="Marketplace", slug="marketplace", is_active=True, default_country="BE")


def test_there_is_a_document_for_each_account_operation():
    assert len(OPERATIONS) == 21


@pytest.mark.parametrize("name", OPERATIONS)
def test_every_document_validates_against_our_schema(name):
    assert validate(schema.graphql_schema, parse(document(name))) == []


def test_checkout_app_reads_the_channels_countries_and_the_address_rules(channel):
    assert run("checkout/channel", {"slug": "marketplace"})["channel"]["countries"] == [{"code": "BE"}]

    rules = run("checkout/addressValidationRules", {"countryCode": "BE"})["addressValidationRules"]
    assert rules["requiredFields"] == ["city", "postalCode", "streetAddress1"]
    assert rules["postalCodeType"] == "postal" and rules["countryAreaChoices"] == []


def test_shopper_scenario_from_registration_to_refresh(channel, django_capture_on_commit_callbacks):
    # 53: register; the storefront reads user{id email}.
    register = {"email": EMAIL, "password": PASSWORD, "firstName": "Jeanne", "lastName": "Peeters",
                "channel": "marketplace", "redirectUrl": REDIRECT}
    body = graphql_committed(django_capture_on_commit_callbacks, document("AccountRegister"), {"input": register})
    assert body["data"]["accountRegister"]["errors"] == []
    assert body["data"]["accountRegister"]["user"]["email"] == EMAIL

    # 54: the link of the e-mail confirms the account.
    _url, params = sent_link(mail.outbox[-1])
    confirmed = payload("ConfirmAccount", "confirmAccount", params)
    assert confirmed["user"]["isConfirmed"] is True and confirmed["user"]["isActive"] is True

    # 50: log in; auth-sdk only sends the token to the API its `iss` names.
    tokens = payload("tokenCreate", "tokenCreate", {"email": EMAIL, "password": PASSWORD})
    assert jwt.decode(tokens["token"], options={"verify_signature": False})["iss"] == API_URL
    auth = bearer(tokens["token"])

    # 41, 42: the account pages.
    me = run("CurrentUser", **auth)["me"]
    assert (me["email"], me["firstName"], me["avatar"]) == (EMAIL, "Jeanne", None)
    profile = run("CurrentUserProfile", **auth)["me"]
    assert profile["addresses"] == [] and profile["defaultShippingAddress"] is None and profile["dateJoined"]

    # 45: profile update.
    updated = payload("AccountUpdate", "accountUpdate", {"input": {"firstName": "Jeanne-Marie"}}, **auth)
    assert updated["user"]["firstName"] == "Jeanne-Marie"

    # 47: address book.
    home = payload("AccountAddressCreate", "accountAddressCreate", {"input": BRUSSELS}, **auth)["address"]
    assert (home["city"], home["phone"], home["country"]) == ("BRUXELLES", "+32470123456",
                                                             {"code": "BE", "country": "Belgium"})
    shop = {**BRUSSELS, "streetAddress1": "Grote Markt 1", "postalCode": "2000", "city": "Antwerpen"}
    second = payload("AccountAddressCreate", "accountAddressCreate", {"input": shop}, **auth)["address"]
    moved = payload("AccountAddressUpdate", "accountAddressUpdate",
                    {"id": second["id"], "input": {"streetAddress2": "Bus 4"}}, **auth)["address"]
    assert moved["streetAddress2"] == "Bus 4"

    # 48: the second address becomes the default shipping address.
    payload("AccountSetDefaultAddress", "accountSetDefaultAddress", {"id": second["id"], "type": "SHIPPING"}, **auth)
    profile = run("CurrentUserProfile", **auth)["me"]
    assert profile["defaultShippingAddress"] == {"id": second["id"]}
    assert profile["defaultBillingAddress"] == {"id": home["id"]}
    assert [a["city"] for a in profile["addresses"]] == ["BRUXELLES", "ANTWERPEN"]

    # 46: password change; the session goes on, and 51 refreshes it.
    new_password = "Repair-cafe-on-saturday"
    payload("PasswordChange", "passwordChange", {"newPassword": new_password, "oldPassword": PASSWORD}, **auth)
    refreshed = payload("refreshToken", "tokenRefresh", {"refreshToken": tokens["refreshToken"]})
    assert run("CurrentUser", **bearer(refreshed["token"]))["me"]["email"] == EMAIL
    assert payload("tokenCreate", "tokenCreate", {"email": EMAIL, "password": new_password})["token"]

    payload("AccountAddressDelete", "accountAddressDelete", {"id": home["id"]}, **auth)
    assert [a["id"] for a in run("CurrentUserProfile", **auth)["me"]["addresses"]] == [second["id"]]

    # 49: deletion is requested; the e-mail carries the token.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        payload("AccountRequestDeletion", "accountRequestDeletion",
                {"redirectUrl": "https://shop.reemploi.example/account/delete", "channel": "marketplace"}, **auth)
    assert sent_link(mail.outbox[0])[1]["token"]


def test_checkout_app_user_and_default_address(channel):
    shopper = make_shopper(EMAIL)
    auth = bearer(payload("tokenCreate", "tokenCreate", {"email": EMAIL, "password": PASSWORD})["token"])
    first = payload("AccountAddressCreate", "accountAddressCreate", {"input": BRUSSELS}, **auth)["address"]
    second = payload("AccountAddressCreate", "accountAddressCreate",
                     {"input": {**BRUSSELS, "postalCode": "4000", "city": "Liège"}}, **auth)["address"]

    # 38: the checkout's `user` query.
    user = run("checkout/user", **auth)["user"]
    assert user["email"] == EMAIL
    assert [a["city"] for a in user["addresses"]] == ["BRUXELLES", "LIÈGE"]
    assert user["defaultBillingAddress"]["id"] == first["id"]

    # 40: the checkout makes another address the default billing one.
    result = payload("checkout/userSetDefaultAddress", "accountSetDefaultAddress",
                     {"id": second["id"], "type": "BILLING"}, **auth)
    assert result["user"]["defaultBillingAddress"]["id"] == second["id"]
    assert result["user"]["defaultShippingAddress"]["id"] == first["id"]
    shopper.refresh_from_db()
    assert shopper.default_billing_address_id is not None

    # Anonymous: `me` is null, not an error.
    assert run("checkout/user") == {"user": None}


@pytest.mark.parametrize("name", ["checkout/requestPasswordReset", "RequestPasswordReset"])
def test_password_reset_from_both_places_then_set_password_logs_in(
    channel, django_capture_on_commit_callbacks, name
):
    make_shopper(EMAIL)
    variables = {"channel": "marketplace", "redirectUrl": "https://shop.reemploi.example/reset"}

    # 39 / 55: the same empty answer for a known and an unknown address; only the known one gets a mail.
    for email in ("nobody@example.be", EMAIL):
        with django_capture_on_commit_callbacks(execute=True):
            assert run(name, {**variables, "email": email}) == {"requestPasswordReset": {"errors": []}}
    assert len(mail.outbox) == 1

    # 52: the link's token sets the password and logs in.
    _url, params = sent_link(mail.outbox[0])
    result = payload("passwordReset", "setPassword", {**params, "password": "Fresh-start-in-2027"})
    assert result["token"] and result["refreshToken"]
    assert run("CurrentUser", **bearer(result["token"]))["me"]["email"] == EMAIL


def test_the_checkouts_register_copy_sees_only_unique_for_a_known_address(channel, django_capture_on_commit_callbacks):
    make_shopper(EMAIL)
    variables = {"input": {"email": EMAIL, "password": PASSWORD, "channel": "marketplace", "redirectUrl": REDIRECT}}

    with django_capture_on_commit_callbacks(execute=True):
        result = run("checkout/AccountRegister", variables)["accountRegister"]

    # The checkout treats "only UNIQUE errors" as "already registered, carry on".
    assert [error["code"] for error in result["errors"]] == ["UNIQUE"]
    assert User.objects.filter(email=EMAIL).count() == 1
    assert mail.outbox == []
