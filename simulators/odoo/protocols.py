"""Odoo's protocols on the wire: the URL routing (``/_db/<name>/`` mounts included), JSON-2 (Odoo 19+),
XML-RPC and JSON-RPC requests, answers and errors."""

from __future__ import annotations

import json
import xmlrpc.client
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

from .._http import QuietHandler
from .calls import SIGNATURES
from .controls import AdminRoutes
from .errors import BadParams, InvalidApiKey, NotFound, OdooError, ServerError

if TYPE_CHECKING:
    from .server import OdooSimulator


NOT_FOUND_HTML = (
    b"<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n"
    b"<p>The requested URL was not found on the server. If you entered the URL manually please check your "
    b"spelling and try again.</p>\n"
)


class OdooHandler(QuietHandler):
    server_version = "Werkzeug/3.0.1"
    sys_version = "Python/3.12"

    @property
    def sim(self) -> OdooSimulator:
        return self.server.app  # type: ignore[attr-defined]

    def _route(self) -> tuple[str | None, str, dict]:
        parts = urlsplit(self.path)
        path = parts.path
        mounted = None
        if path.startswith("/_db/"):
            rest = path[len("/_db/"):]
            mounted, _, tail = rest.partition("/")
            path = "/" + tail
        return mounted, path, parse_qs(parts.query)

    def send_json(self, status: int, data: Any) -> None:
        self.send_bytes(status, json.dumps(data).encode(), "application/json; charset=utf-8")

    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        self.verbose = self.sim.verbose
        mounted, path, query = self._route()
        if mounted and mounted not in self.sim.databases:
            return self.send_bytes(404, NOT_FOUND_HTML, "text/html; charset=utf-8")
        if path == "/web/version":
            database = self.sim.resolve(self.headers.get("X-Odoo-Database") or (query.get("db") or [None])[0],
                                        mounted)
            info = self.sim.version_info(database)
            return self.send_json(200, {"version": info["server_version"], "version_info": info["server_version_info"]})
        if path.rstrip("/") == "/_sim" or path.startswith("/_sim/"):
            status, data = AdminRoutes.handle(self.sim, "GET", [p for p in path.split("/")[2:] if p], {})
            return self.send_json(status, data)
        if path.startswith("/json/2/"):
            return self.send_bytes(405, b"Method Not Allowed", "text/plain")
        self.send_bytes(404, NOT_FOUND_HTML, "text/html; charset=utf-8")

    def do_POST(self) -> None:  # noqa: N802 - the stdlib's name
        self.verbose = self.sim.verbose
        mounted, path, query = self._route()
        body = self.read_body()
        if mounted and mounted not in self.sim.databases:
            return self.send_bytes(404, NOT_FOUND_HTML, "text/html; charset=utf-8")
        if path.startswith("/json/2/"):
            return self._json2(path, body, mounted)
        if path.startswith("/xmlrpc/2/") or path.startswith("/xmlrpc/"):
            return self._xmlrpc(path.rstrip("/").rsplit("/", 1)[-1], body, mounted)
        if path in ("/jsonrpc", "/web/webclient/version_info"):
            return self._jsonrpc(path, body, mounted)
        if path.rstrip("/") == "/_sim" or path.startswith("/_sim/"):
            try:
                data = json.loads(body or b"{}")
            except ValueError:
                return self.send_json(400, {"error": "invalid JSON"})
            status, result = AdminRoutes.handle(self.sim, "POST", [p for p in path.split("/")[2:] if p], data)
            return self.send_json(status, result)
        self.send_bytes(404, NOT_FOUND_HTML, "text/html; charset=utf-8")

    # -- JSON-2 ---------------------------------------------------------------------------------------

    def _json2_error(self, error: OdooError) -> None:
        self.send_json(error.status, error.json2_body())

    def _json2(self, path: str, raw: bytes, mounted: str | None) -> None:
        database = self.sim.resolve(self.headers.get("X-Odoo-Database"), mounted)
        if database is None or database.version < 19:
            # No database chosen (or an Odoo before 19): the route does not exist.
            return self.send_bytes(404, NOT_FOUND_HTML, "text/html; charset=utf-8")
        try:
            segments = path[len("/json/2/"):].split("/")
            if len(segments) != 2 or not all(segments):
                raise NotFound("The requested URL was not found on the server.")
            model, method = segments
            authorization = self.headers.get("Authorization") or ""
            scheme, _, key = authorization.partition(" ")
            failing = database.before_call()
            if scheme.lower() != "bearer" or not key.strip():
                raise InvalidApiKey()
            uid = database.user_for_key(key.strip())
            if failing:
                error = ServerError("Internal Server Error")
                error.status = failing
                raise error
            try:
                body = json.loads(raw or b"{}")
            except ValueError as exc:
                error = BadParams(f"Invalid JSON data: {exc}")
                error.name, error.status = "werkzeug.exceptions.BadRequest", 400
                raise error from exc
            if not isinstance(body, dict):
                raise BadParams("The body must be a JSON object")
            ids = body.pop("ids", None)
            context = body.pop("context", None) or {}
            if method not in SIGNATURES or (SIGNATURES[method].models and model not in SIGNATURES[method].models):
                database.model(model)
                raise NotFound(f"the model {model!r} has no public method {method!r}")
            signature = SIGNATURES[method]
            if signature.on_records and ids is None:
                ids = []
            result = database.call(uid, model, method, ids=ids if signature.on_records else None,
                                   kwargs=body, context=context)
        except OdooError as error:
            return self._json2_error(error)
        except Exception as exc:  # a bug here is Odoo's 500
            return self._json2_error(ServerError(f"{type(exc).__name__}: {exc}"))
        self.send_json(200, result)

    # -- XML-RPC and JSON-RPC ---------------------------------------------------------------------------

    def _xmlrpc(self, service: str, raw: bytes, mounted: str | None) -> None:
        try:
            params, method = xmlrpc.client.loads(raw, use_builtin_types=True)
        except Exception:  # noqa: BLE001 - an unparsable request is a fault, as Odoo answers
            answer = xmlrpc.client.dumps(ServerError("Invalid XML-RPC request").fault(), methodresponse=True)
            return self.send_bytes(200, answer.encode(), "text/xml")
        try:
            result = self.sim.rpc(service, method or "", list(params), mounted)
            answer = xmlrpc.client.dumps((result,), methodresponse=True, allow_none=True)
        except OdooError as error:
            answer = xmlrpc.client.dumps(error.fault(), methodresponse=True, allow_none=True)
        except Exception as exc:  # noqa: BLE001
            answer = xmlrpc.client.dumps(ServerError(f"{type(exc).__name__}: {exc}").fault(), methodresponse=True)
        self.send_bytes(200, answer.encode(), "text/xml; charset=utf-8")

    def _jsonrpc(self, path: str, raw: bytes, mounted: str | None) -> None:
        request_id = None
        try:
            request = json.loads(raw or b"{}")
            request_id = request.get("id")
            params = request.get("params") or {}
            if path == "/web/webclient/version_info":
                database = self.sim.resolve(self.headers.get("X-Odoo-Database"), mounted)
                result = self.sim.version_info(database)
            else:
                result = self.sim.rpc(str(params.get("service")), str(params.get("method")),
                                      list(params.get("args") or []), mounted)
            answer: dict[str, Any] = {"jsonrpc": "2.0", "id": request_id, "result": result}
        except OdooError as error:
            answer = {"jsonrpc": "2.0", "id": request_id, "error": {
                "code": 200, "message": "Odoo Server Error", "data": error.json2_body()}}
        except Exception as exc:  # noqa: BLE001
            error = ServerError(f"{type(exc).__name__}: {exc}")
            answer = {"jsonrpc": "2.0", "id": request_id, "error": {
                "code": 200, "message": "Odoo Server Error", "data": error.json2_body()}}
        self.send_json(200, answer)
