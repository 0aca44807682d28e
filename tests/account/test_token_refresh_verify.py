"""Refresh tokens mint new access tokens; tokenVerify tells whether a token is still good."""

from __future__ import annotations

import jwt
from django.test import Client

from saleor_ext.account.services import deactivate_all_tokens

from .conftest import graphql, login

REFRESH = """
mutation Refresh($refreshToken: String, $csrfToken: String) {
  tokenRefresh(refreshToken: $refreshToken, csrfToken: $csrfToken) {
    token user { email } errors { field message code }
  }
}
"""
VERIFY = """
mutation Verify($token: String!) {
  tokenVerify(token: $token) { isValid payload user { email } errors { field code } }
}
"""


def test_refresh_token_mints_a_new_access_token(shopper):
    tokens = login(shopper.email, audience="storefront")

    result = graphql(REFRESH, {"refreshToken": tokens["refreshToken"]})["data"]["tokenRefresh"]

    assert result["errors"] == []
    assert result["user"] == {"email": shopper.email}
    claims = jwt.decode(result["token"], options={"verify_signature": False})
    assert claims["type"] == "access"
    assert claims["iss"] == "http://testserver/graphql/"
    assert claims["aud"] == "custom:storefront"
    me = graphql("{ me { email } }", HTTP_AUTHORIZATION=f"Bearer {result['token']}")
    assert me["data"]["me"] == {"email": shopper.email}


def test_refresh_without_any_token_is_missing_token(db):
    result = graphql(REFRESH)["data"]["tokenRefresh"]
    assert result["token"] is None
    assert result["errors"] == [
        {"field": "refreshToken", "message": "Missing refreshToken", "code": "JWT_MISSING_TOKEN"}
    ]


def test_access_token_cannot_refresh(shopper):
    access = login(shopper.email)["token"]
    result = graphql(REFRESH, {"refreshToken": access})["data"]["tokenRefresh"]
    assert result["token"] is None
    assert [(e["field"], e["code"]) for e in result["errors"]] == [("refreshToken", "JWT_INVALID_TOKEN")]


def test_expired_refresh_token(shopper, settings):
    settings.JWT_TTL_REFRESH = -1
    refresh = login(shopper.email)["refreshToken"]
    result = graphql(REFRESH, {"refreshToken": refresh})["data"]["tokenRefresh"]
    assert [e["code"] for e in result["errors"]] == ["JWT_SIGNATURE_EXPIRED"]


def test_refresh_from_cookie_needs_the_matching_csrf_token(shopper):
    tokens = login(shopper.email)
    client = Client()
    client.cookies["refreshToken"] = tokens["refreshToken"]

    without_csrf = graphql(REFRESH, client=client)["data"]["tokenRefresh"]
    wrong_csrf = graphql(REFRESH, {"csrfToken": "forged"}, client=client)["data"]["tokenRefresh"]
    right_csrf = graphql(REFRESH, {"csrfToken": tokens["csrfToken"]}, client=client)["data"]["tokenRefresh"]

    assert [(e["field"], e["code"]) for e in without_csrf["errors"]] == [("csrfToken", "JWT_INVALID_CSRF_TOKEN")]
    assert [(e["field"], e["code"]) for e in wrong_csrf["errors"]] == [("csrfToken", "JWT_INVALID_CSRF_TOKEN")]
    assert right_csrf["errors"] == []
    assert right_csrf["token"]


def test_rotated_key_revokes_refresh_tokens(shopper):
    refresh = login(shopper.email)["refreshToken"]
    deactivate_all_tokens(user=shopper)
    result = graphql(REFRESH, {"refreshToken": refresh})["data"]["tokenRefresh"]
    assert result["token"] is None
    assert [e["code"] for e in result["errors"]] == ["JWT_INVALID_TOKEN"]


def test_verify_a_valid_token(shopper):
    access = login(shopper.email)["token"]

    result = graphql(VERIFY, {"token": access})["data"]["tokenVerify"]

    assert result["isValid"] is True
    assert result["errors"] == []
    assert result["user"] == {"email": shopper.email}
    assert result["payload"]["email"] == shopper.email
    assert result["payload"]["type"] == "access"
    assert isinstance(result["payload"]["exp"], int)


def test_verify_a_tampered_token(shopper):
    access = login(shopper.email)["token"]
    tampered = access[:-4] + ("AAAA" if not access.endswith("AAAA") else "BBBB")

    result = graphql(VERIFY, {"token": tampered})["data"]["tokenVerify"]

    assert result == {
        "isValid": False,
        "payload": None,
        "user": None,
        "errors": [{"field": "token", "code": "JWT_DECODE_ERROR"}],
    }


def test_verify_a_revoked_token(shopper):
    access = login(shopper.email)["token"]
    deactivate_all_tokens(user=shopper)
    result = graphql(VERIFY, {"token": access})["data"]["tokenVerify"]
    assert result["isValid"] is False
    assert [e["code"] for e in result["errors"]] == ["JWT_INVALID_TOKEN"]


def test_verify_an_expired_token(shopper, settings):
    settings.JWT_TTL_ACCESS = -1
    access = login(shopper.email)["token"]
    result = graphql(VERIFY, {"token": access})["data"]["tokenVerify"]
    assert result["isValid"] is False
    assert [e["code"] for e in result["errors"]] == ["JWT_SIGNATURE_EXPIRED"]
