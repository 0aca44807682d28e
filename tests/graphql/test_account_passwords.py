"""requestPasswordReset, setPassword and passwordChange."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from saleor_ext.account.models import User
from tests.account.helpers import (
    PASSWORD,
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

REQUEST_RESET = """
mutation Reset($email: String!, $channel: String, $redirectUrl: String!) {
  requestPasswordReset(email: $email, channel: $channel, redirectUrl: $redirectUrl) {
    errors { field message code }
    accountErrors { field message code }
  }
}
"""

SET_PASSWORD = """
mutation SetPassword($email: String!, $password: String!, $token: String!) {
  setPassword(email: $email, password: $password, token: $token) {
    token refreshToken csrfToken
    user { email isConfirmed }
    errors { field message code }
  }
}
"""

CHANGE = """
mutation Change($newPassword: String!, $oldPassword: String) {
  passwordChange(newPassword: $newPassword, oldPassword: $oldPassword) {
    user { email }
    errors { field message code }
  }
}
"""

REDIRECT = "https://shop.reemploi.example/reset"
NEW_PASSWORD = "Second-hand-bikes-2026"


@pytest.fixture
def shopper():
    return make_shopper()


def request_reset(capture, email: str, **headers) -> dict:
    body = graphql_committed(capture, REQUEST_RESET, {"email": email, "redirectUrl": REDIRECT}, **headers)
    return data_of(body, "requestPasswordReset")


def test_a_reset_link_is_mailed_to_a_known_address(shopper, django_capture_on_commit_callbacks):
    result = request_reset(django_capture_on_commit_callbacks, "Anne.Dupont@example.be")

    assert result == {"errors": [], "accountErrors": []}
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [SHOPPER_EMAIL]
    assert message.subject == "Reuse marketplace : choisissez un nouveau mot de passe"
    url, params = sent_link(message)
    assert url.startswith(REDIRECT + "?")
    assert params["email"] == SHOPPER_EMAIL and params["token"]


def test_an_unknown_address_gets_the_same_answer_and_no_mail(shopper, django_capture_on_commit_callbacks):
    known = graphql_committed(
        django_capture_on_commit_callbacks, REQUEST_RESET, {"email": SHOPPER_EMAIL, "redirectUrl": REDIRECT}
    )
    mail.outbox.clear()
    unknown = graphql_committed(
        django_capture_on_commit_callbacks, REQUEST_RESET, {"email": "nobody@example.be", "redirectUrl": REDIRECT}
    )

    assert unknown == known == {"data": {"requestPasswordReset": {"errors": [], "accountErrors": []}}}
    assert mail.outbox == []


def test_an_inactive_account_gets_no_mail(shopper, django_capture_on_commit_callbacks):
    User.objects.filter(pk=shopper.pk).update(is_active=False)
    assert request_reset(django_capture_on_commit_callbacks, SHOPPER_EMAIL)["errors"] == []
    assert mail.outbox == []


def test_the_reset_mail_is_in_the_users_language(django_capture_on_commit_callbacks):
    make_shopper(language_code="nl-be")
    request_reset(django_capture_on_commit_callbacks, SHOPPER_EMAIL, HTTP_ACCEPT_LANGUAGE="en")
    assert mail.outbox[0].subject == "Reuse marketplace: kies een nieuw wachtwoord"
    assert mail.outbox[0].body.startswith("Hallo Anne,")


def test_the_redirect_url_is_checked_whoever_asks(shopper, settings, django_capture_on_commit_callbacks):
    settings.ALLOWED_CLIENT_HOSTS = ["shop.reemploi.example"]
    for email in (SHOPPER_EMAIL, "nobody@example.be"):
        body = graphql(REQUEST_RESET, {"email": email, "redirectUrl": "https://evil.example/reset"})
        assert codes(data_of(body, "requestPasswordReset")) == [("redirectUrl", "INVALID")]
    assert mail.outbox == []


def test_an_unknown_channel_is_refused(shopper):
    body = graphql(REQUEST_RESET, {"email": SHOPPER_EMAIL, "redirectUrl": REDIRECT, "channel": "nowhere"})
    assert codes(data_of(body, "requestPasswordReset")) == [("channel", "NOT_FOUND")]


def test_set_password_logs_in_and_revokes_earlier_tokens(shopper, django_capture_on_commit_callbacks):
    old_session = login(SHOPPER_EMAIL)["token"]
    request_reset(django_capture_on_commit_callbacks, SHOPPER_EMAIL)
    _url, params = sent_link(mail.outbox[0])

    result = data_of(graphql(SET_PASSWORD, {**params, "password": NEW_PASSWORD}), "setPassword")

    assert result["errors"] == []
    assert result["user"] == {"email": SHOPPER_EMAIL, "isConfirmed": True}
    assert result["token"] and result["refreshToken"] and result["csrfToken"]
    me = graphql("{ me { email } }", **bearer(result["token"]))
    assert me == {"data": {"me": {"email": SHOPPER_EMAIL}}}
    # Whoever knew the old password is logged out.
    assert graphql("{ me { email } }", **bearer(old_session))["data"] is None
    assert [e["code"] for e in login(SHOPPER_EMAIL, PASSWORD)["errors"]] == ["INVALID_CREDENTIALS"]
    assert login(SHOPPER_EMAIL, NEW_PASSWORD)["errors"] == []
    # The link works once.
    again = data_of(graphql(SET_PASSWORD, {**params, "password": "Yet-another-phrase-3"}), "setPassword")
    assert codes(again) == [("token", "INVALID")]
    assert again["token"] is None


def test_set_password_with_a_wrong_token_or_address(shopper, django_capture_on_commit_callbacks):
    request_reset(django_capture_on_commit_callbacks, SHOPPER_EMAIL)
    _url, params = sent_link(mail.outbox[0])

    wrong = data_of(graphql(SET_PASSWORD, {**params, "token": "1-abc", "password": NEW_PASSWORD}), "setPassword")
    other = data_of(
        graphql(SET_PASSWORD, {**params, "email": "nobody@example.be", "password": NEW_PASSWORD}), "setPassword"
    )

    assert wrong == other
    assert codes(wrong) == [("token", "INVALID")]
    assert login(SHOPPER_EMAIL)["errors"] == []


def test_set_password_refuses_a_weak_password_and_keeps_the_link_usable(shopper, django_capture_on_commit_callbacks):
    request_reset(django_capture_on_commit_callbacks, SHOPPER_EMAIL)
    _url, params = sent_link(mail.outbox[0])

    weak = data_of(graphql(SET_PASSWORD, {**params, "password": "sunshine"}), "setPassword")
    assert codes(weak) == [("password", "PASSWORD_TOO_COMMON")]

    assert data_of(graphql(SET_PASSWORD, {**params, "password": NEW_PASSWORD}), "setPassword")["errors"] == []


def test_password_change_needs_the_current_password(shopper):
    token = login(SHOPPER_EMAIL)["token"]

    wrong = data_of(graphql(CHANGE, {"newPassword": NEW_PASSWORD, "oldPassword": "guess"}, **bearer(token)),
                    "passwordChange")
    missing = data_of(graphql(CHANGE, {"newPassword": NEW_PASSWORD}, **bearer(token)), "passwordChange")

    assert codes(wrong) == codes(missing) == [("oldPassword", "INVALID_PASSWORD")]
    assert login(SHOPPER_EMAIL)["errors"] == []


def test_password_change_validates_the_new_one(shopper):
    token = login(SHOPPER_EMAIL)["token"]
    result = data_of(graphql(CHANGE, {"newPassword": "anne.dupont", "oldPassword": PASSWORD}, **bearer(token)),
                     "passwordChange")
    assert codes(result) == [("newPassword", "PASSWORD_TOO_SIMILAR")]


def test_password_change_keeps_the_storefront_session(shopper):
    tokens = login(SHOPPER_EMAIL)

    result = data_of(
        graphql(CHANGE, {"newPassword": NEW_PASSWORD, "oldPassword": PASSWORD}, **bearer(tokens["token"])),
        "passwordChange",
    )

    assert result == {"user": {"email": SHOPPER_EMAIL}, "errors": []}
    assert login(SHOPPER_EMAIL, NEW_PASSWORD)["errors"] == []
    assert graphql("{ me { email } }", **bearer(tokens["token"]))["data"]["me"] == {"email": SHOPPER_EMAIL}
    refreshed = graphql(
        "mutation($t: String!) { tokenRefresh(refreshToken: $t) { token errors { code } } }",
        {"t": tokens["refreshToken"]},
    )
    assert data_of(refreshed, "tokenRefresh")["errors"] == []


def test_an_account_without_a_password_may_set_one(db):
    user = User.objects.create_user("social@example.be")  # no usable password, e.g. made by staff
    client = Client()
    client.force_login(user)
    body = graphql(CHANGE, {"newPassword": NEW_PASSWORD}, client=client)
    assert data_of(body, "passwordChange")["errors"] == []
    assert login("social@example.be", NEW_PASSWORD)["errors"] == []


def test_password_change_needs_a_logged_in_user(db):
    body = graphql(CHANGE, {"newPassword": NEW_PASSWORD, "oldPassword": PASSWORD})
    assert body["data"]["passwordChange"] is None
    assert body["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"


def test_a_back_office_session_stays_logged_in_after_a_password_change(shopper):
    client = Client()
    client.force_login(shopper)

    body = graphql(CHANGE, {"newPassword": NEW_PASSWORD, "oldPassword": PASSWORD}, client=client)

    assert data_of(body, "passwordChange")["errors"] == []
    assert graphql("{ me { email } }", client=client)["data"]["me"] == {"email": SHOPPER_EMAIL}
