"""ERP credentials at rest: Fernet-encrypted with a key derived from ``ERP_SECRET_KEY`` (or
Django's ``SECRET_KEY``), so a database dump alone never reveals a member's API key."""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


def _fernet() -> Fernet:
    material = (getattr(settings, "ERP_SECRET_KEY", "") or settings.SECRET_KEY).encode()
    key = base64.urlsafe_b64encode(hashlib.sha256(b"erp-sync:" + material).digest())
    return Fernet(key)


def encrypt(plain: str) -> str:
    return _fernet().encrypt(plain.encode()).decode() if plain else ""


def decrypt(token: str) -> str:
    """The plain secret; empty when none is stored or the key changed since (re-enter it)."""
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        return ""
