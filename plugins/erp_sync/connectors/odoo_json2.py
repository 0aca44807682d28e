"""Odoo 19+'s JSON-2 API: ``POST /json/2/<model>/<method>`` with a bearer API key.

Each call is its own transaction on the Odoo side; parameters go by name in the JSON body with
``ids`` and ``context``. Errors come back as ``{name, message, arguments, context, debug}`` with
an HTTP status: 401 a refused key, 403 missing rights, 5xx the server's trouble (retryable).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import requests

from .base import AccessDenied, AuthenticationFailed, ConnectorError
from .odoo import FieldMapping, OdooConnector, from_odoo_datetime

USER_AGENT = "reuse-marketplace-erp-sync/1.0"


class OdooJson2Connector(OdooConnector):
    def __init__(self, *, url: str, database: str, api_key: str, mapping: FieldMapping | None = None,
                 timeout: float = 30.0, lang: str = "fr_BE"):
        super().__init__(mapping=mapping, lang=lang)
        self.url = url.rstrip("/")
        self.database = database
        self.timeout = timeout
        self.session = requests.Session()
        self.session.headers.update(
            {
                "Authorization": f"bearer {api_key}",
                "X-Odoo-Database": database,
                "User-Agent": USER_AGENT,
                "Content-Type": "application/json",
            }
        )

    def _request(self, method: str, path: str, body: dict | None = None) -> Any:
        try:
            response = self.session.request(method, f"{self.url}{path}", json=body, timeout=self.timeout)
        except requests.Timeout as error:
            raise ConnectorError(f"Odoo did not answer within {self.timeout:g} s.", code="timeout",
                                 retryable=True) from error
        except requests.ConnectionError as error:
            raise ConnectorError(f"Cannot reach {self.url}: {error}", code="unreachable", retryable=True) from error
        if response.status_code == 200:
            return response.json()
        try:
            detail = response.json()
        except ValueError:
            detail = {}
        message = str(detail.get("message") or response.reason or f"HTTP {response.status_code}")
        if response.status_code == 401:
            raise AuthenticationFailed(f"Odoo refused the API key: {message}")
        if response.status_code == 403:
            raise AccessDenied(message)
        retryable = response.status_code >= 500 or response.status_code == 429
        if retryable:  # the server's trouble, not the request's: say which, for the run's record
            message = f"Odoo answered HTTP {response.status_code}: {message}"
        raise ConnectorError(message, code=str(detail.get("name") or response.status_code), retryable=retryable)

    def call(self, model: str, method: str, *, ids: Sequence[int] | None = None,
             context: dict | None = None, **params: Any) -> Any:
        body: dict[str, Any] = dict(params)
        if ids is not None:
            body["ids"] = list(ids)
        if context is not None:
            body["context"] = context
        return self._request("POST", f"/json/2/{model}/{method}", body)

    def server_version(self) -> str:
        return str(self._request("GET", "/web/version").get("version", ""))

    def current_user(self) -> tuple[int, str]:
        rows = self.call("res.users", "context_get", context=self._context())
        uid = rows.get("uid") if isinstance(rows, dict) else None
        if uid:
            users = self.call("res.users", "read", ids=[uid], context=self._context(), fields=["name"])
            return uid, str(users[0].get("name", "")) if users else ""
        return 0, ""

    def key_expiry(self) -> datetime | None:
        try:
            rows = self.search_read("res.users.apikeys", [], ["expiration_date"], limit=10)
        except ConnectorError:
            return None
        dates = [from_odoo_datetime(row.get("expiration_date")) for row in rows]
        dates = [date for date in dates if date is not None]
        return min(dates) if dates else None
