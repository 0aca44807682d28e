"""Helpers of the account tests: call the API as a storefront does and read what it e-mailed."""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qs, urlsplit

from django.core import mail
from django.test import Client

from saleor_ext.account.models import User

PASSWORD = "Reuse-and-repair-42"
SHOPPER_EMAIL = "anne.dupont@example.be"

TOKEN_CREATE = """
mutation Login($email: String!, $password: String!, $audience: String) {
  tokenCreate(email: $email, password: $password, audience: $audience) {
    token refreshToken csrfToken
    user { email }
    errors { field message code }
  }
}
"""


def graphql(query: str, variables: dict | None = None, client: Client | None = None, **headers) -> dict:
    body = json.dumps({"query": query, "variables": variables or {}})
    response = (client or Client()).post("/graphql/", body, content_type="application/json", **headers)
    assert response.status_code == 200, response.content
    return response.json()


def login(email: str, password: str = PASSWORD, **variables) -> dict:
    return graphql(TOKEN_CREATE, {"email": email, "password": password, **variables})["data"]["tokenCreate"]


def bearer(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def make_shopper(email: str = SHOPPER_EMAIL, password: str = PASSWORD, **fields) -> User:
    fields.setdefault("first_name", "Anne")
    fields.setdefault("last_name", "Dupont")
    return User.objects.create_user(email, password, **fields)


def data_of(body: dict, name: str) -> dict:
    """The payload of root field ``name``; fails on any top-level error."""
    assert "errors" not in body, body["errors"]
    return body["data"][name]


def codes(payload: dict) -> list[tuple[str | None, str]]:
    return [(error["field"], error["code"]) for error in payload["errors"]]


def sent_link(message: mail.EmailMessage) -> tuple[str, dict[str, str]]:
    """The link of an account e-mail, and its query parameters."""
    url = re.search(r"https?://\S+", message.body).group(0)
    parts = urlsplit(url)
    return url, {key: values[0] for key, values in parse_qs(parts.query).items()}


def graphql_committed(capture_on_commit, query: str, variables: dict | None = None, **headers) -> dict:
    """``graphql`` whose after-commit work (the e-mails) runs as it would outside the test's transaction.

    ``capture_on_commit`` is pytest-django's ``django_capture_on_commit_callbacks`` fixture.
    """
    with capture_on_commit(execute=True):
        return graphql(query, variables, **headers)


class FailingEmailBackend:
    """An e-mail backend whose server is down (``settings.EMAIL_BACKEND`` in tests)."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP server unreachable")
