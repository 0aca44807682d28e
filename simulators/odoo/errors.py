"""Odoo's exceptions as its clients see them: the dotted name, the JSON-2 status and the XML-RPC fault
code of each (Odoo 16–19)."""

from __future__ import annotations

import xmlrpc.client


class OdooError(Exception):
    """An error as Odoo reports it: its exception's dotted name, HTTP status (JSON-2) and XML-RPC fault code."""

    name = "odoo.exceptions.UserError"
    status = 422
    fault_code = 2

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def debug(self) -> str:
        return (
            "Traceback (most recent call last):\n"
            '  File "/usr/lib/python3/dist-packages/odoo/http.py", line 2138, in _serve_db\n'
            f"{self.name.removeprefix('builtins.')}: {self.message}\n"
        )

    def json2_body(self) -> dict:
        return {"name": self.name, "message": self.message, "arguments": [self.message], "context": {},
                "debug": self.debug()}

    def fault(self) -> xmlrpc.client.Fault:
        # Code 1 (application error) carries the traceback text, the others the bare message.
        return xmlrpc.client.Fault(self.fault_code, self.debug() if self.fault_code == 1 else self.message)


class UserError(OdooError):
    pass


class ValidationError(UserError):
    name = "odoo.exceptions.ValidationError"


class MissingError(UserError):
    name = "odoo.exceptions.MissingError"
    status = 404


class AccessError(OdooError):
    name = "odoo.exceptions.AccessError"
    status = 403
    fault_code = 4


class AccessDenied(OdooError):
    name = "odoo.exceptions.AccessDenied"
    status = 401
    fault_code = 3

    def __init__(self, message: str = "Access Denied"):
        super().__init__(message)


class InvalidApiKey(AccessDenied):
    name = "werkzeug.exceptions.Unauthorized"

    def __init__(self) -> None:
        super().__init__("Invalid apikey")


class NotFound(OdooError):
    name = "werkzeug.exceptions.NotFound"
    status = 404
    fault_code = 1


class BadParams(OdooError):
    """A call's parameters do not fit the method (Python's TypeError in Odoo)."""

    name = "builtins.TypeError"
    status = 422
    fault_code = 1


class BadValue(OdooError):
    """An unknown field, a malformed domain or a wrong value (Python's ValueError in Odoo)."""

    name = "builtins.ValueError"
    status = 422
    fault_code = 1


class ServerError(OdooError):
    name = "builtins.Exception"
    status = 500
    fault_code = 1
