"""JSON Web Tokens signed RS256, with Saleor's claims, key id and JWKS.

The signing key is ``settings.RSA_PRIVATE_KEY`` (PEM). Without one, a key is generated once into
``VAR_DIR/jwt_private_key.pem`` and reused, so development tokens survive restarts and every
process of one installation signs with the same key.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import tempfile
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings

from saleor_ext.core.ids import InvalidGlobalId, from_global_id, to_global_id

from .models import User

ALGORITHM = "RS256"
OWNER = "saleor"
ACCESS = "access"
REFRESH = "refresh"
KEY_FILE_NAME = "jwt_private_key.pem"


def _read_or_create_key_file(path: Path) -> bytes:
    if path.exists():
        return path.read_bytes()
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=".jwt-key-")
    try:
        with os.fdopen(fd, "wb") as tmp:
            tmp.write(pem)
        os.chmod(tmp_name, 0o600)
        # link() fails when the file exists: of two processes starting together, one key wins.
        os.link(tmp_name, path)
    except FileExistsError:
        pem = path.read_bytes()
    finally:
        os.unlink(tmp_name)
    return pem


@lru_cache(maxsize=4)
def _load_private_key(pem_setting: str, key_path: str) -> rsa.RSAPrivateKey:
    # Environment variables often carry the PEM with literal "\n" sequences.
    pem = pem_setting.replace("\\n", "\n").encode() if pem_setting.strip() else _read_or_create_key_file(Path(key_path))
    key = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ValueError("RSA_PRIVATE_KEY must be an RSA private key.")
    return key


def get_private_key() -> rsa.RSAPrivateKey:
    return _load_private_key(settings.RSA_PRIVATE_KEY, str(Path(settings.VAR_DIR) / KEY_FILE_NAME))


def get_public_key() -> rsa.RSAPublicKey:
    return get_private_key().public_key()


def _public_jwk_members(public_key: rsa.RSAPublicKey) -> dict[str, str]:
    # Only the RSA members: PyJWT also adds key_ops, which RFC 7517 says not to mix with `use`.
    jwk = jwt.algorithms.RSAAlgorithm.to_jwk(public_key, as_dict=True)
    return {name: jwk[name] for name in ("kty", "n", "e")}


def thumbprint(public_key: rsa.RSAPublicKey) -> str:
    """RFC 7638 JWK thumbprint (SHA-256): stable for one key, new when the key changes."""
    canonical = json.dumps(_public_jwk_members(public_key), separators=(",", ":"), sort_keys=True)
    digest = hashlib.sha256(canonical.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def get_kid() -> str:
    return thumbprint(get_public_key())


def get_jwks() -> dict[str, Any]:
    """The JSON Web Key Set served at /.well-known/jwks.json."""
    key = {**_public_jwk_members(get_public_key()), "kid": get_kid(), "alg": ALGORITHM, "use": "sig"}
    return {"keys": [key]}


def jwt_issuer(request) -> str:
    """The absolute GraphQL URL; auth clients attach tokens only to the API their ``iss`` names."""
    if settings.PUBLIC_URL:
        return settings.PUBLIC_URL + "/graphql/"
    return request.build_absolute_uri("/graphql/")


def _user_claims(user, token_type: str, issuer: str, audience: str | None, ttl: int) -> dict[str, Any]:
    now = datetime.now(UTC)
    claims: dict[str, Any] = {
        "iat": now,
        "exp": now + timedelta(seconds=ttl),
        "iss": issuer,
        "owner": OWNER,
        "type": token_type,
        "token": user.jwt_token_key,
        "email": user.email,
        "user_id": to_global_id("User", user.pk),
        "is_staff": user.is_staff,
    }
    if audience:
        claims["aud"] = f"custom:{audience}"
    return claims


def encode(claims: dict[str, Any]) -> str:
    return jwt.encode(claims, get_private_key(), algorithm=ALGORITHM, headers={"kid": get_kid()})


def create_access_token(user, *, issuer: str, audience: str | None = None) -> str:
    return encode(_user_claims(user, ACCESS, issuer, audience, settings.JWT_TTL_ACCESS))


def create_refresh_token(user, *, issuer: str, csrf_token: str, audience: str | None = None) -> str:
    claims = _user_claims(user, REFRESH, issuer, audience, settings.JWT_TTL_REFRESH)
    claims["csrfToken"] = csrf_token
    return encode(claims)


def decode_token(token: str) -> dict[str, Any]:
    """Check the signature, expiry and owner; raise a ``jwt.PyJWTError`` subclass otherwise."""
    payload = jwt.decode(
        token,
        get_public_key(),
        algorithms=[ALGORITHM],
        # The audience is the client's own label (tokenCreate's `audience`), not ours to enforce.
        options={"verify_aud": False, "require": ["exp", "iat", "type", "token", "user_id"]},
    )
    if payload.get("owner") != OWNER:
        raise jwt.InvalidTokenError("Invalid token.")
    return payload


def get_user_from_payload(payload: dict[str, Any], token_types: tuple[str, ...] = (ACCESS,)):
    """The active user a decoded token names, if its type is accepted and its key is current."""
    if payload.get("type") not in token_types:
        raise jwt.InvalidTokenError("Invalid token type.")
    try:
        type_name, pk = from_global_id(payload["user_id"])
    except InvalidGlobalId:
        raise jwt.InvalidTokenError("Invalid token.") from None
    if type_name != "User" or not pk.isdigit():
        raise jwt.InvalidTokenError("Invalid token.")
    user = User.objects.filter(pk=int(pk)).first()
    if user is None or not user.is_active:
        raise jwt.InvalidTokenError("User inactive or deleted.")
    # A rotated key (password change, "log out everywhere") revokes every earlier token.
    if payload.get("token") != user.jwt_token_key:
        raise jwt.InvalidTokenError("Invalid token.")
    return user


def get_user_from_access_token(token: str):
    """The user of an ``Authorization`` header's access token; ``jwt.PyJWTError`` when it is not valid."""
    return get_user_from_payload(decode_token(token))
