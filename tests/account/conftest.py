from __future__ import annotations

import json

import pytest
from django.test import Client

from saleor_ext.account.models import User

PASSWORD = "Reuse-and-repair-42"


def graphql(query: str, variables: dict | None = None, client: Client | None = None, **headers) -> dict:
    body = json.dumps({"query": query, "variables": variables or {}})
    response = (client or Client()).post("/graphql/", body, content_type="application/json", **headers)
    assert response.status_code == 200, response.content
    return response.json()


TOKEN_CREATE = """
mutation Login($email: String!, $password: String!, $audience: String) {
  tokenCreate(email: $email, password: $password, audience: $audience) {
    token refreshToken csrfToken
    user { email }
    errors { field message code }
  }
}
"""


def login(email: str, password: str = PASSWORD, **variables) -> dict:
    return graphql(TOKEN_CREATE, {"email": email, "password": password, **variables})["data"]["tokenCreate"]


@pytest.fixture
def shopper(db) -> User:
    return User.objects.create_user("anne.dupont@example.be", PASSWORD, first_name="Anne", last_name="Dupont")
