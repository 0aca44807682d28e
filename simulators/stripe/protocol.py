"""Stripe's wire format: object ids, the API version, amounts in words, the error shape and the
form-encoded parameters with the checks Stripe makes on them."""

from __future__ import annotations

import re
import secrets
import string
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

# The version stripe 16.1.0 pins; answers and events say the version the request asked for.
API_VERSION = "2026-10-28.endive"
ZERO_DECIMAL_CURRENCIES = set("bif clp djf gnf jpy kmf krw mga pyg rwf ugx vnd vuv xaf xof xpf".split())
# Smallest charge Stripe accepts, in minor units (other currencies: 1).
MINIMUM_CHARGE = {"eur": 50, "usd": 50, "gbp": 30, "chf": 50, "cad": 50, "aud": 50}
MAXIMUM_AMOUNT = 99_999_999
CURRENCY_SYMBOLS = {"eur": "€", "usd": "$", "gbp": "£"}

_ALPHABET = string.ascii_letters + string.digits


def new_id(prefix: str, length: int = 24) -> str:
    return f"{prefix}_{''.join(secrets.choice(_ALPHABET) for _ in range(length))}"


def format_amount(amount: int, currency: str) -> str:
    """``€12.34`` for messages, as Stripe words amounts in its errors."""
    if currency in ZERO_DECIMAL_CURRENCIES:
        value = str(amount)
    else:
        value = f"{amount / 100:.2f}"
    symbol = CURRENCY_SYMBOLS.get(currency)
    return f"{symbol}{value}" if symbol else f"{value} {currency.upper()}"


class StripeApiError(Exception):
    """An answer in Stripe's error shape. ``stored`` errors are kept under the idempotency key:
    Stripe keeps the outcome of a request whose work started (a declined card), not of one that
    failed validation."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        type: str = "invalid_request_error",
        code: str | None = None,
        param: str | None = None,
        extra: dict | None = None,
        stored: bool = False,
    ):
        super().__init__(message)
        self.status = status
        self.message = message
        self.type = type
        self.code = code
        self.param = param
        self.extra = extra or {}
        self.stored = stored

    def body(self, request_id: str) -> dict:
        error: dict[str, Any] = {"type": self.type, "message": self.message}
        if self.code:
            error["code"] = self.code
            error["doc_url"] = f"https://stripe.com/docs/error-codes/{self.code.replace('_', '-')}"
        if self.param:
            error["param"] = self.param
        error["request_log_url"] = f"https://dashboard.stripe.com/test/logs/{request_id}"
        error.update(self.extra)
        return {"error": error}


def no_such(kind: str, object_id: str, param: str = "id") -> StripeApiError:
    # 404 for the object a URL names, 400 for one a parameter names.
    status = 404 if param in ("id", "intent") else 400
    return StripeApiError(status, f"No such {kind}: '{object_id}'", code="resource_missing", param=param)


def bad_request(message: str, param: str | None = None, code: str | None = None) -> StripeApiError:
    return StripeApiError(400, message, code=code, param=param)


# -- form parameters -------------------------------------------------------------------------------

_KEY = re.compile(r"^([^\[\]]+)((?:\[[^\[\]]*\])*)$")


def parse_params(pairs: Iterable[tuple[str, str]]) -> dict:
    """Stripe's form encoding: ``metadata[k]=v``, ``list[0]=a`` and ``list[]=a`` become dicts and lists."""
    root: dict = {}
    for key, value in pairs:
        match = _KEY.match(key)
        if not match:
            raise bad_request(f"Invalid parameter name: {key}", param=key)
        parts = [match.group(1)] + re.findall(r"\[([^\[\]]*)\]", match.group(2))
        target = root
        for depth, part in enumerate(parts[:-1]):
            following = parts[depth + 1]
            if following == "":
                if depth + 2 != len(parts):
                    raise bad_request(f"Invalid parameter name: {key}", param=key)
                bucket = target.setdefault(part, [])
                if not isinstance(bucket, list):
                    raise bad_request(f"Invalid array: {key}", param=key)
                bucket.append(value)
                break
            child = target.setdefault(part, {})
            if not isinstance(child, dict):
                raise bad_request(f"Invalid hash: {key}", param=key)
            target = child
        else:
            if parts[-1] == "" or isinstance(target.get(parts[-1]), dict | list):
                raise bad_request(f"Invalid parameter name: {key}", param=key)
            target[parts[-1]] = value
    return _indexed_to_lists(root)


def _indexed_to_lists(value: Any) -> Any:
    if isinstance(value, dict):
        value = {key: _indexed_to_lists(item) for key, item in value.items()}
        if value and all(key.isdigit() for key in value):
            return [value[key] for key in sorted(value, key=int)]
        return value
    if isinstance(value, list):
        return [_indexed_to_lists(item) for item in value]
    return value


class Params:
    """The request's parameters with Stripe's checks: unknown names, integers, booleans, enums."""

    def __init__(self, data: dict, allowed: Iterable[str]):
        unknown = sorted(set(data) - set(allowed) - {"expand"})
        if unknown:
            raise bad_request(f"Received unknown parameter: {unknown[0]}", param=unknown[0], code="parameter_unknown")
        self.data = data

    def __contains__(self, name: str) -> bool:
        return name in self.data

    def text(self, name: str, *, required: bool = False, choices: Iterable[str] | None = None) -> str | None:
        value = self.data.get(name)
        if value is None or value == "":
            if required:
                raise bad_request(f"Missing required param: {name}.", param=name, code="parameter_missing")
            return None
        if not isinstance(value, str):
            raise bad_request(f"Invalid string: {name} must be a string.", param=name)
        if choices is not None and value not in choices:
            options = ", ".join(choices)
            raise bad_request(f"Invalid {name}: must be one of {options}.", param=name, code="parameter_invalid_string")
        return value

    def integer(self, name: str, *, required: bool = False, minimum: int | None = None) -> int | None:
        raw = self.text(name, required=required)
        if raw is None:
            return None
        try:
            value = int(raw)
        except ValueError:
            raise bad_request(f"Invalid integer: {raw}", param=name, code="parameter_invalid_integer") from None
        if minimum is not None and value < minimum:
            raise bad_request(f"{name} must be at least {minimum}.", param=name, code="parameter_invalid_integer")
        if value > MAXIMUM_AMOUNT:
            raise bad_request(f"{name} must be at most {MAXIMUM_AMOUNT}.", param=name, code="amount_too_large")
        return value

    def boolean(self, name: str, default: bool = False) -> bool:
        raw = self.data.get(name)
        if raw is None or raw == "":
            return default
        if raw not in ("true", "false"):
            raise bad_request(f"Invalid boolean: {raw}", param=name)
        return raw == "true"

    def currency(self, *, required: bool = True) -> str | None:
        raw = self.text("currency", required=required)
        if raw is None:
            return None
        if not re.fullmatch(r"[A-Za-z]{3}", raw):
            raise bad_request(f"Invalid currency: {raw}.", param="currency", code="parameter_invalid_string")
        return raw.lower()

    def array(self, name: str) -> list | None:
        value = self.data.get(name)
        if value is None:
            return None
        if value == "":
            return []
        if not isinstance(value, list):
            raise bad_request(f"Invalid array: {name} must be a list.", param=name)
        return value

    def hash(self, name: str) -> dict | None:
        value = self.data.get(name)
        if value is None:
            return None
        if value == "":
            return {}
        if not isinstance(value, dict):
            raise bad_request(f"Invalid object: {name} must be a hash.", param=name)
        return value

    def metadata(self, current: dict | None = None) -> dict:
        """Stripe's merge: new keys are added, a key set to "" is removed, ``metadata=""`` empties it."""
        result = dict(current or {})
        if "metadata" not in self.data:
            return result
        changes = self.hash("metadata")
        if not changes:
            return {}
        for key, value in changes.items():
            if not isinstance(value, str):
                raise bad_request(f"Invalid metadata[{key}]: values must be strings.", param=f"metadata[{key}]")
            if len(key) > 40:
                raise bad_request("Metadata keys can be up to 40 characters long.", param=f"metadata[{key}]")
            if len(value) > 500:
                raise bad_request("Metadata values can be up to 500 characters long.", param=f"metadata[{key}]")
            if value == "":
                result.pop(key, None)
            else:
                result[key] = value
        if len(result) > 50:
            raise bad_request("An object can have at most 50 metadata keys.", param="metadata")
        return result

    def amount(self, currency: str, *, required: bool = True) -> int | None:
        amount = self.integer("amount", required=required, minimum=1)
        if amount is not None and amount < MINIMUM_CHARGE.get(currency, 1):
            minimum = format_amount(MINIMUM_CHARGE[currency], currency)
            raise bad_request(f"Amount must be at least {minimum} {currency}.", param="amount", code="amount_too_small")
        return amount


# -- requests ----------------------------------------------------------------------------------------


@dataclass
class Call:
    """One API request as the handlers see it."""

    method: str
    path: str
    params: dict
    request_id: str
    stripe_version: str
    idempotency_key: str | None
    publishable: bool = False
    groups: dict = field(default_factory=dict)
