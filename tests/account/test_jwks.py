"""Clients can check our tokens with the public key set served at /.well-known/jwks.json."""

from __future__ import annotations

import jwt
from django.test import Client

from .conftest import login


def test_jwks_verifies_an_access_token(shopper):
    token = login("anne.dupont@example.be")["token"]

    response = Client().get("/.well-known/jwks.json")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    key_set = jwt.PyJWKSet.from_dict(response.json())
    kid = jwt.get_unverified_header(token)["kid"]
    signing_key = next(key for key in key_set.keys if key.key_id == kid)
    assert signing_key.algorithm_name == "RS256"
    assert response.json()["keys"][0]["use"] == "sig"
    claims = jwt.decode(token, signing_key.key, algorithms=["RS256"], issuer="http://testserver/graphql/")
    assert claims["email"] == "anne.dupont@example.be"


def test_jwks_holds_only_public_material(db):
    key = Client().get("/.well-known/jwks.json").json()["keys"][0]
    assert key["kty"] == "RSA"
    assert set(key) == {"kty", "n", "e", "kid", "alg", "use"}


def test_kid_is_stable_across_requests(db):
    first = Client().get("/.well-known/jwks.json").json()["keys"][0]["kid"]
    second = Client().get("/.well-known/jwks.json").json()["keys"][0]["kid"]
    assert first == second


def test_configured_private_key_signs_tokens(shopper, settings):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    private_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = private_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    settings.RSA_PRIVATE_KEY = pem.replace("\n", "\\n")  # as an environment variable may carry it

    token = login("anne.dupont@example.be")["token"]

    claims = jwt.decode(token, private_key.public_key(), algorithms=["RS256"], options={"verify_aud": False})
    assert claims["email"] == "anne.dupont@example.be"
    served = Client().get("/.well-known/jwks.json").json()["keys"][0]
    assert served["kid"] == jwt.get_unverified_header(token)["kid"]


def test_without_a_configured_key_one_is_generated_once(db, settings, tmp_path):
    settings.RSA_PRIVATE_KEY = ""
    settings.VAR_DIR = tmp_path

    kid = Client().get("/.well-known/jwks.json").json()["keys"][0]["kid"]

    key_file = tmp_path / "jwt_private_key.pem"
    assert key_file.exists()
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert Client().get("/.well-known/jwks.json").json()["keys"][0]["kid"] == kid
    assert key_file.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")


def test_kid_is_the_rfc_7638_thumbprint():
    from saleor_ext.account.jwt import thumbprint

    # The worked example of RFC 7638, section 3.1.
    example = {
        "kty": "RSA",
        "e": "AQAB",
        "n": (
            "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3"
            "oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZ"
            "Hzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-"
            "kEgU8awapJzKnqDKgw"
        ),
    }
    public_key = jwt.algorithms.RSAAlgorithm.from_jwk(example)
    assert thumbprint(public_key) == "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"
