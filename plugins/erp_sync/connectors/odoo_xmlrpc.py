"""Odoo 16–18 (and 19, deprecated there) through XML-RPC: ``/xmlrpc/2/common`` to log in,
``/xmlrpc/2/object`` ``execute_kw`` for everything else, with ``xmlrpc.client`` as it ships.

Faults carry Odoo's error text and code: 3 refused credentials, 4 an access error, 2 a user or
validation error, 1 any other exception on the server.
"""

from __future__ import annotations

import http.client
import xmlrpc.client
from collections.abc import Sequence
from typing import Any

from .base import AccessDenied, AuthenticationFailed, ConnectorError
from .odoo import FieldMapping, OdooConnector


class _Timeout:
    """A transport whose connections give up after ``timeout`` seconds (xmlrpc.client has none)."""

    timeout: float = 30.0

    def make_connection(self, host):
        connection = super().make_connection(host)
        connection.timeout = self.timeout
        return connection


class _TimeoutTransport(_Timeout, xmlrpc.client.Transport):
    pass


class _TimeoutSafeTransport(_Timeout, xmlrpc.client.SafeTransport):
    pass


class OdooXmlRpcConnector(OdooConnector):
    def __init__(self, *, url: str, database: str, login: str, password: str,
                 mapping: FieldMapping | None = None, timeout: float = 30.0, lang: str = "fr_BE"):
        super().__init__(mapping=mapping, lang=lang)
        self.url = url.rstrip("/")
        self.database = database
        self.login = login
        self.password = password
        self.timeout = timeout
        self._uid: int | None = None

    def _proxy(self, service: str) -> xmlrpc.client.ServerProxy:
        transport = (_TimeoutSafeTransport if self.url.startswith("https") else _TimeoutTransport)()
        transport.timeout = self.timeout
        return xmlrpc.client.ServerProxy(
            f"{self.url}/xmlrpc/2/{service}", transport=transport, allow_none=True, use_builtin_types=True
        )

    def _guard(self, invoke):
        try:
            return invoke()
        except xmlrpc.client.Fault as fault:
            text = str(fault.faultString)
            lowered = text.lower()
            if fault.faultCode in (3, "3") or "access denied" in lowered or "invalid credentials" in lowered:
                last = text.splitlines()[-1] if text else ""
                raise AuthenticationFailed(f"Odoo refused the login: {last}") from fault
            if fault.faultCode in (4, "4") or "accesserror" in lowered or "not allowed to access" in lowered:
                raise AccessDenied(text.splitlines()[-1] if text else "Access denied") from fault
            # Odoo's fault codes: 2 a user or validation error (the request is wrong: do not retry),
            # 1 an exception on the server (a crash, a serialisation failure…: worth retrying).
            raise ConnectorError(
                text.splitlines()[-1] if text else "Odoo error", code=f"fault_{fault.faultCode}",
                retryable=fault.faultCode not in (2, "2"),
            ) from fault
        except xmlrpc.client.ProtocolError as error:
            raise ConnectorError(f"Odoo answered HTTP {error.errcode}: {error.errmsg}", code=str(error.errcode),
                                 retryable=error.errcode >= 500) from error
        except TimeoutError as error:
            raise ConnectorError(f"Odoo did not answer within {self.timeout:g} s.", code="timeout",
                                 retryable=True) from error
        except (ConnectionError, OSError, http.client.HTTPException) as error:
            raise ConnectorError(f"Cannot reach {self.url}: {error}", code="unreachable", retryable=True) from error

    def uid(self) -> int:
        if self._uid is None:
            uid = self._guard(
                lambda: self._proxy("common").authenticate(self.database, self.login, self.password, {})
            )
            if not uid:
                raise AuthenticationFailed("Odoo refused the login or password.")
            self._uid = int(uid)
        return self._uid

    def call(self, model: str, method: str, *, ids: Sequence[int] | None = None,
             context: dict | None = None, **params: Any) -> Any:
        uid = self.uid()
        args: list[Any] = [list(ids)] if ids is not None else []
        kwargs = dict(params)
        if context is not None:
            kwargs["context"] = context
        return self._guard(
            lambda: self._proxy("object").execute_kw(self.database, uid, self.password, model, method, args, kwargs)
        )

    def server_version(self) -> str:
        info = self._guard(lambda: self._proxy("common").version())
        return str(info.get("server_version", "")) if isinstance(info, dict) else ""

    def current_user(self) -> tuple[int, str]:
        uid = self.uid()
        rows = self.call("res.users", "read", ids=[uid], context=self._context(), fields=["name"])
        return uid, str(rows[0].get("name", "")) if rows else ""
