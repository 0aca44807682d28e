"""The HTTP server hosting the databases, and the ``common``, ``db`` and ``object`` services that
XML-RPC and JSON-RPC share."""

from __future__ import annotations

from typing import Any

from .._http import BackgroundServer
from .calls import SIGNATURES
from .database import Database
from .errors import AccessDenied, BadParams, BadValue, NotFound, ServerError, UserError
from .models import VERSIONS
from .protocols import OdooHandler


class OdooSimulator:
    """The HTTP server and its databases. ``with OdooSimulator() as sim: sim.add_database(...)``."""

    def __init__(self, *, host: str = "127.0.0.1", port: int = 0, verbose: bool = False):
        self.databases: dict[str, Database] = {}
        self._server = BackgroundServer(OdooHandler, host=host, port=port)
        self.verbose = verbose

    def add_database(self, name: str, *, version: int = 19, items: int = 0, seed: int = 1,
                     lang: str = "fr_BE", company: str | None = None) -> Database:
        database = Database(name, version=version, lang=lang, company=company or "Ma Boutique")
        if items:
            database.seed(items, seed=seed)
        self.databases[name] = database
        return database

    def db(self, name: str) -> Database:
        return self.databases[name]

    @property
    def url(self) -> str:
        return self._server.url

    def url_of(self, name: str) -> str:
        """The URL at which ``name`` is the only database (an Odoo server of its own version)."""
        return f"{self.url}/_db/{name}"

    def start(self) -> OdooSimulator:
        self._server.start_server(self)
        return self

    def stop(self) -> None:
        self._server.stop_server()

    def __enter__(self) -> OdooSimulator:
        return self.start()

    def __exit__(self, *exc_info: Any) -> None:
        self.stop()

    # -- routing helpers --------------------------------------------------------------------------

    def resolve(self, name: str | None, mounted: str | None) -> Database | None:
        if mounted:
            return self.databases.get(mounted)
        if name:
            return self.databases.get(name)
        if len(self.databases) == 1:
            return next(iter(self.databases.values()))
        return None

    def version_info(self, database: Database | None) -> dict:
        version = database.version if database else max((one.version for one in self.databases.values()),
                                                          default=19)
        return {**VERSIONS[version], "protocol_version": 1}

    def rpc(self, service: str, method: str, args: list, mounted: str | None) -> Any:
        """The services behind /xmlrpc/2/<service> and /jsonrpc."""
        if service == "common":
            if method in ("version", "about"):
                return self.version_info(self.resolve(None, mounted))
            if method in ("login", "authenticate"):
                if len(args) < 3:
                    raise BadParams(f"{method}() missing required positional arguments")
                database = self._database(args[0], mounted)
                if database.before_call():
                    raise ServerError("Internal Server Error")
                return database.authenticate(args[1], args[2])
            raise NotFound(f'No such method "{method}" on the common service')
        if service == "db":
            if method == "list":
                return [mounted] if mounted else list(self.databases)
            if method == "server_version":
                return self.version_info(self.resolve(None, mounted))["server_version"]
            raise AccessDenied()
        if service == "object":
            if method not in ("execute_kw", "execute"):
                raise NotFound(f'No such method "{method}" on the object service')
            if len(args) < 5:
                raise BadParams(f"{method}() missing required positional arguments")
            database = self._database(args[0], mounted)
            failing = database.before_call()
            uid = database.check_credentials(args[1], args[2])
            if failing:
                raise ServerError("Internal Server Error")
            model, name = args[3], args[4]
            if method == "execute_kw":
                call_args = args[5] if len(args) > 5 else []
                call_kwargs = args[6] if len(args) > 6 else {}
                if not isinstance(call_args, list) or not isinstance(call_kwargs, dict):
                    raise BadParams("execute_kw() takes a list of arguments and a dictionary of keyword arguments")
            else:
                call_args, call_kwargs = list(args[5:]), {}
            if model not in database.models:
                raise UserError(f"Object {model} doesn't exist")
            if name not in SIGNATURES or (SIGNATURES[name].models and model not in SIGNATURES[name].models):
                error = BadValue(f"The method '{name}' does not exist on the model '{model}'")
                error.name = "builtins.AttributeError"
                raise error
            return database.call(uid, model, name, args=call_args, kwargs=call_kwargs)
        raise NotFound(f"No such service {service!r}")

    def _database(self, name: Any, mounted: str | None) -> Database:
        database = self.databases.get(name) if isinstance(name, str) else None
        if database is None or (mounted and name != mounted):
            raise ServerError(f'FATAL:  database "{name}" does not exist')
        return database
