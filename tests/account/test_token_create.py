"""Shoppers log in with their e-mail and password and get Saleor-shaped JWTs."""

from __future__ import annotations

import jwt

from saleor_ext.graphql.core.ids import to_global_id
from saleor_ext.site.models import SiteSettings

from .conftest import login


def test_login_returns_access_and_refresh_tokens(shopper):
    result = login("anne.dupont@example.be")

    assert result["errors"] == []
    assert result["user"] == {"email": "anne.dupont@example.be"}
    access = jwt.decode(result["token"], options={"verify_signature": False})
    refresh = jwt.decode(result["refreshToken"], options={"verify_signature": False})
    assert access["type"] == "access"
    assert refresh["type"] == "refresh"
    assert refresh["csrfToken"] == result["csrfToken"]
    for claims in (access, refresh):
        assert claims["owner"] == "saleor"
        assert claims["email"] == "anne.dupont@example.be"
        assert claims["user_id"] == to_global_id("User", shopper.pk)
        assert claims["token"] == shopper.jwt_token_key
        assert claims["is_staff"] is False
        assert claims["exp"] > claims["iat"]
    assert access["exp"] - access["iat"] == 5 * 60
    assert refresh["exp"] - refresh["iat"] == 30 * 24 * 3600
    assert jwt.get_unverified_header(result["token"])["alg"] == "RS256"


def test_issuer_is_the_absolute_graphql_url(shopper):
    access = jwt.decode(login("anne.dupont@example.be")["token"], options={"verify_signature": False})
    assert access["iss"] == "http://testserver/graphql/"


def test_issuer_follows_public_url_when_set(shopper, settings):
    settings.PUBLIC_URL = "https://api.reemploi.example"
    access = jwt.decode(login("anne.dupont@example.be")["token"], options={"verify_signature": False})
    assert access["iss"] == "https://api.reemploi.example/graphql/"


def test_audience_becomes_a_custom_aud_claim(shopper):
    result = login("anne.dupont@example.be", audience="storefront")
    access = jwt.decode(result["token"], options={"verify_signature": False})
    assert access["aud"] == "custom:storefront"


def test_email_is_case_insensitive(shopper):
    assert login("Anne.Dupont@Example.BE")["errors"] == []


def test_wrong_password_is_invalid_credentials(shopper):
    result = login("anne.dupont@example.be", password="not-the-password")
    assert result["token"] is None
    assert result["user"] is None
    assert result["errors"] == [
        {"field": "email", "message": "Please, enter valid credentials", "code": "INVALID_CREDENTIALS"}
    ]


def test_unknown_email_looks_like_a_wrong_password(db):
    result = login("nobody@example.be")
    assert result["token"] is None
    assert [e["code"] for e in result["errors"]] == ["INVALID_CREDENTIALS"]


def test_inactive_user_cannot_log_in(shopper):
    shopper.is_active = False
    shopper.save()
    result = login("anne.dupont@example.be")
    assert result["token"] is None
    assert result["errors"] == [{"field": "email", "message": "Account inactive.", "code": "INACTIVE"}]


def test_unconfirmed_account_blocked_when_the_shop_requires_confirmation(shopper):
    shopper.is_confirmed = False
    shopper.save()
    site = SiteSettings.get()
    site.allow_login_without_confirmation = False
    site.save()
    result = login("anne.dupont@example.be")
    assert result["token"] is None
    assert [(e["field"], e["code"]) for e in result["errors"]] == [("email", "ACCOUNT_NOT_CONFIRMED")]


def test_unconfirmed_account_may_log_in_when_the_shop_allows_it(shopper):
    shopper.is_confirmed = False
    shopper.save()
    assert SiteSettings.get().allow_login_without_confirmation is True
    assert login("anne.dupont@example.be")["errors"] == []


def test_deprecated_account_errors_mirror_errors(shopper):
    from .conftest import graphql

    body = graphql(
        'mutation { tokenCreate(email: "anne.dupont@example.be", password: "nope") { accountErrors { code } } }'
    )
    assert body["data"]["tokenCreate"]["accountErrors"] == [{"code": "INVALID_CREDENTIALS"}]
