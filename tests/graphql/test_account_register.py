"""accountRegister and confirmAccount: a shopper signs up, gets a link by e-mail and confirms the account."""

from __future__ import annotations

import pytest
from django.core import mail

from saleor_ext.account.models import User
from saleor_ext.account.tokens import password_reset_token_generator
from saleor_ext.channel.models import Channel
from tests.account.helpers import PASSWORD, codes, data_of, graphql, graphql_committed, login, make_shopper, sent_link

pytestmark = pytest.mark.django_db

REGISTER = """
mutation Register($input: AccountRegisterInput!) {
  accountRegister(input: $input) {
    requiresConfirmation
    user { id email firstName lastName isConfirmed isActive languageCode metadata { key value } }
    errors { field message code }
    accountErrors { field code }
  }
}
"""

CONFIRM = """
mutation Confirm($email: String!, $token: String!, $password: String) {
  confirmAccount(email: $email, token: $token, password: $password) {
    user { email isConfirmed isActive }
    errors { field message code }
  }
}
"""

SET_PASSWORD = """
mutation SetPassword($email: String!, $password: String!, $token: String!) {
  setPassword(email: $email, password: $password, token: $token) { token errors { field code } }
}
"""

REDIRECT = "https://shop.reemploi.example/account/confirm"


def register(capture, **fields) -> dict:
    variables = {"email": "Marc.Lambert@Example.be", "password": PASSWORD, "redirectUrl": REDIRECT, **fields}
    return data_of(graphql_committed(capture, REGISTER, {"input": variables}), "accountRegister")


def test_registering_creates_an_unconfirmed_account_and_mails_the_link(django_capture_on_commit_callbacks):
    result = register(django_capture_on_commit_callbacks, firstName="Marc", lastName="Lambert")

    assert result["errors"] == [] and result["accountErrors"] == []
    assert result["requiresConfirmation"] is True
    assert result["user"]["email"] == "marc.lambert@example.be"
    assert (result["user"]["isConfirmed"], result["user"]["isActive"]) == (False, True)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["marc.lambert@example.be"]
    assert message.subject == "Reuse marketplace : confirmez votre compte"
    assert message.body.startswith("Bonjour Marc,")
    url, params = sent_link(message)
    assert url.startswith(REDIRECT + "?")
    assert params["email"] == "marc.lambert@example.be"

    confirmed = data_of(graphql(CONFIRM, params), "confirmAccount")

    assert confirmed == {
        "user": {"email": "marc.lambert@example.be", "isConfirmed": True, "isActive": True},
        "errors": [],
    }
    assert User.objects.get(email="marc.lambert@example.be").is_confirmed is True
    # The link works once.
    again = data_of(graphql(CONFIRM, params), "confirmAccount")
    assert codes(again) == [("token", "INVALID")]


def test_the_redirect_url_keeps_its_own_query(django_capture_on_commit_callbacks):
    register(django_capture_on_commit_callbacks, redirectUrl=REDIRECT + "?next=%2Fcart")
    _url, params = sent_link(mail.outbox[0])
    assert params["next"] == "/cart" and "token" in params


@pytest.mark.parametrize(
    ("fields", "headers", "subject", "stored"),
    [
        ({"languageCode": "NL_BE"}, {}, "Reuse marketplace: bevestig je account", "nl-be"),
        ({}, {"HTTP_ACCEPT_LANGUAGE": "en"}, "Reuse marketplace: confirm your account", "en"),
        ({}, {"HTTP_ACCEPT_LANGUAGE": "nl"}, "Reuse marketplace: bevestig je account", "nl"),
        ({"languageCode": "DE"}, {"HTTP_ACCEPT_LANGUAGE": "en"}, "Reuse marketplace: confirm your account", "de"),
    ],
    ids=["chosen-language", "request-language-en", "request-language-nl", "unwritten-language-falls-back"],
)
def test_the_mail_is_in_the_shoppers_language(django_capture_on_commit_callbacks, fields, headers, subject, stored):
    variables = {"email": "lotte@example.be", "password": PASSWORD, "redirectUrl": REDIRECT, **fields}
    with django_capture_on_commit_callbacks(execute=True):
        body = graphql(REGISTER, {"input": variables}, **headers)
    assert data_of(body, "accountRegister")["errors"] == []
    assert mail.outbox[0].subject == subject
    assert User.objects.get(email="lotte@example.be").language_code == stored


def test_without_confirmation_the_account_is_ready_at_once(settings, django_capture_on_commit_callbacks):
    settings.ENABLE_ACCOUNT_CONFIRMATION_BY_EMAIL = False

    result = register(django_capture_on_commit_callbacks, redirectUrl=None)

    assert result["errors"] == []
    assert result["requiresConfirmation"] is False
    assert result["user"]["isConfirmed"] is True
    assert mail.outbox == []
    assert login("marc.lambert@example.be")["errors"] == []


def test_an_unconfirmed_shopper_may_log_in_while_the_site_allows_it(django_capture_on_commit_callbacks):
    from saleor_ext.site.models import SiteSettings

    register(django_capture_on_commit_callbacks)
    assert login("marc.lambert@example.be")["errors"] == []

    SiteSettings.objects.update_or_create(pk=1, defaults={"allow_login_without_confirmation": False})
    assert [e["code"] for e in login("marc.lambert@example.be")["errors"]] == ["ACCOUNT_NOT_CONFIRMED"]


def test_metadata_and_names_are_stored(django_capture_on_commit_callbacks):
    result = register(
        django_capture_on_commit_callbacks, firstName="Marc", lastName="Lambert",
        metadata=[{"key": "newsletter", "value": "yes"}],
    )
    assert (result["user"]["firstName"], result["user"]["lastName"]) == ("Marc", "Lambert")
    assert result["user"]["metadata"] == [{"key": "newsletter", "value": "yes"}]


def test_an_email_already_registered_is_unique_whatever_its_case(django_capture_on_commit_callbacks):
    make_shopper("marc.lambert@example.be")

    result = register(django_capture_on_commit_callbacks)

    assert result["user"] is None
    assert codes(result) == [("email", "UNIQUE")]
    assert result["accountErrors"] == [{"field": "email", "code": "UNIQUE"}]
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("password", "expected"),
    [
        ("sunshine", [("password", "PASSWORD_TOO_COMMON")]),
        ("1234", [("password", "PASSWORD_TOO_SHORT"), ("password", "PASSWORD_TOO_COMMON"),
                  ("password", "PASSWORD_ENTIRELY_NUMERIC")]),
        ("marc.lambert", [("password", "PASSWORD_TOO_SIMILAR")]),
    ],
)
def test_a_weak_password_gets_django_validators_messages(django_capture_on_commit_callbacks, password, expected):
    result = register(django_capture_on_commit_callbacks, password=password)

    assert codes(result) == expected
    assert all(error["message"] for error in result["errors"])
    assert not User.objects.filter(email="marc.lambert@example.be").exists()


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "This password is too short. It must contain at least 8 characters."),
        ("fr", "Ce mot de passe est trop court. Il doit contenir au minimum 8 caractères."),
    ],
)
def test_password_messages_are_djangos_in_the_request_language(language, message):
    variables = {"email": "marc@example.be", "password": "x7!kQ", "redirectUrl": REDIRECT}
    body = graphql(REGISTER, {"input": variables}, HTTP_ACCEPT_LANGUAGE=language)
    assert data_of(body, "accountRegister")["errors"] == [
        {"field": "password", "message": message, "code": "PASSWORD_TOO_SHORT"}
    ]


def test_redirect_url_must_be_on_an_allowed_host(settings, django_capture_on_commit_callbacks):
    settings.ALLOWED_CLIENT_HOSTS = ["shop.reemploi.example", ".reemploi.be"]

    refused = register(django_capture_on_commit_callbacks, redirectUrl="https://evil.example/confirm")
    assert codes(refused) == [("redirectUrl", "INVALID")]
    assert refused["errors"][0]["message"] == "Links to evil.example are not allowed."

    subdomain = register(django_capture_on_commit_callbacks, redirectUrl="https://www.reemploi.be/confirm")
    assert subdomain["errors"] == []


@pytest.mark.parametrize(
    ("redirect_url", "code"), [(None, "REQUIRED"), ("not a url", "INVALID"), ("javascript:alert(1)", "INVALID")]
)
def test_redirect_url_is_needed_when_confirming(django_capture_on_commit_callbacks, redirect_url, code):
    result = register(django_capture_on_commit_callbacks, redirectUrl=redirect_url)
    assert codes(result) == [("redirectUrl", code)]


def test_every_wrong_field_is_reported_at_once(django_capture_on_commit_callbacks):
    result = register(django_capture_on_commit_callbacks, email="not-an-email", password="1234", redirectUrl="x")
    fields = {field for field, _code in codes(result)}
    assert fields == {"email", "password", "redirectUrl"}
    assert ("email", "INVALID") in codes(result)


def test_channel_must_exist_and_be_active(django_capture_on_commit_callbacks):
    Channel.objects.create(name="Closed", slug="closed", is_active=False)
    Channel.objects.create(name="Marketplace", slug="marketplace", is_active=True)

    assert codes(register(django_capture_on_commit_callbacks, channel="nowhere")) == [("channel", "NOT_FOUND")]
    assert codes(register(django_capture_on_commit_callbacks, channel="closed")) == [("channel", "CHANNEL_INACTIVE")]
    assert register(django_capture_on_commit_callbacks, channel="marketplace")["errors"] == []


def test_confirming_with_a_password_sets_it(django_capture_on_commit_callbacks):
    register(django_capture_on_commit_callbacks)
    _url, params = sent_link(mail.outbox[0])

    result = data_of(graphql(CONFIRM, {**params, "password": "Another-long-phrase-7"}), "confirmAccount")

    assert result["errors"] == []
    assert login("marc.lambert@example.be", "Another-long-phrase-7")["errors"] == []


def test_wrong_tokens_and_unknown_emails_get_the_same_answer(django_capture_on_commit_callbacks):
    register(django_capture_on_commit_callbacks)
    _url, params = sent_link(mail.outbox[0])

    wrong_token = data_of(graphql(CONFIRM, {**params, "token": "abc-123"}), "confirmAccount")
    unknown_email = data_of(graphql(CONFIRM, {**params, "email": "nobody@example.be"}), "confirmAccount")

    assert wrong_token == unknown_email == {
        "user": None, "errors": [{"field": "token", "message": "Invalid or expired token.", "code": "INVALID"}]
    }


def test_a_confirmation_token_cannot_reset_a_password_nor_the_reverse(django_capture_on_commit_callbacks):
    register(django_capture_on_commit_callbacks)
    _url, params = sent_link(mail.outbox[0])

    reset = data_of(graphql(SET_PASSWORD, {**params, "password": "Hijacked-password-9"}), "setPassword")
    assert codes(reset) == [("token", "INVALID")]

    user = User.objects.get(email="marc.lambert@example.be")
    reset_token = password_reset_token_generator.make_token(user)
    confirm = data_of(graphql(CONFIRM, {"email": user.email, "token": reset_token}), "confirmAccount")
    assert codes(confirm) == [("token", "INVALID")]


def test_a_mail_server_failure_does_not_undo_the_registration(settings, django_capture_on_commit_callbacks, caplog):
    settings.EMAIL_BACKEND = "tests.account.helpers.FailingEmailBackend"

    result = register(django_capture_on_commit_callbacks)

    assert result["errors"] == [] and result["requiresConfirmation"] is True
    assert User.objects.filter(email="marc.lambert@example.be").exists()
    assert "Could not send the account e-mail" in caplog.text
