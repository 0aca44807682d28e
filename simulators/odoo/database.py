"""One Odoo database: its models, records, users and keys, and each call run as one transaction."""

from __future__ import annotations

import copy
import itertools
import random
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from . import catalogue
from .calls import SIGNATURES, as_ids, bind
from .controls import ControlsMixin
from .errors import AccessDenied, AccessError, BadParams, InvalidApiKey, MissingError, NotFound, UserError
from .models import ADMIN_UID, DATETIME_FORMAT, VERSIONS, Field, Model, build_models, now_string
from .records import RecordsMixin
from .search import TRUE_LEAF, SearchMixin
from .stock import StockMixin
from .writes import WritesMixin


@dataclass
class Rights:
    read: frozenset[str]
    write: frozenset[str]


BOT_READ = frozenset({
    "product.template", "product.product", "product.category", "product.tag", "stock.location", "stock.lot",
    "stock.quant", "sale.order", "sale.order.line", "res.partner", "res.company", "res.users",
})
BOT_WRITE = frozenset({"sale.order", "sale.order.line", "res.partner"})
BOT_RIGHTS = Rights(BOT_READ, BOT_WRITE)


class Database(RecordsMixin, SearchMixin, WritesMixin, StockMixin, ControlsMixin):
    """One Odoo database: its models, records, users and keys, and the test controls.

    Reading, searching, writing, sale orders with their stock moves and the test controls come from the
    mixins of ``records``, ``search``, ``writes``, ``stock`` and ``controls``.
    """

    def __init__(self, name: str, *, version: int = 19, company: str = "Ma Boutique", lang: str = "fr_BE"):
        if version not in VERSIONS:
            raise ValueError(f"Unsupported Odoo version {version}")
        self.name = name
        self.version = version
        self.lang = lang
        self.models = build_models(version)
        self.records: dict[str, dict[int, dict]] = {model: {} for model in self.models}
        self.next_id: dict[str, int] = dict.fromkeys(self.models, 1)
        self.generation: dict[str, int] = dict.fromkeys(self.models, 0)
        self.shape: dict[str, int] = dict.fromkeys(self.models, 0)
        # Undo log of the running call (None outside calls): each call is one transaction.
        self._journal: list[tuple] | None = None
        self.images = catalogue.ImageStore()
        self.lock = threading.RLock()
        self.passwords: dict[int, str] = {}
        self.rights: dict[int, Rights | None] = {}
        self.credentials: list[dict] = []  # what the CLI prints
        self._cache: OrderedDict[tuple, Any] = OrderedDict()
        self._order_sequence = itertools.count(1)
        self._photo_numbers = itertools.count(10_000)
        self._pending_pos_sales: list[int] = []
        # Test controls.
        self.slow_ms = 0
        self._fail_after = 0
        self._fail_count = 0
        self._fail_status = 500
        self.calls = 0
        self._setup(company)

    # -- structure --------------------------------------------------------------------------------

    def _insert(self, model: str, values: dict, when: str | None = None, uid: int = 1) -> dict:
        """Store a record with its access-log fields; no checks (seeding and internal moves)."""
        record_id = values.get("id") or self.next_id[model]
        self.next_id[model] = max(self.next_id[model], record_id + 1)
        when = when or now_string()
        record = {"id": record_id, "create_date": when, "write_date": when, "create_uid": uid, "write_uid": uid}
        for name, item in self.models[model].fields.items():
            if item.stored and item.compute is None and name not in record:
                record[name] = item.default() if callable(item.default) else item.default
        record.update(values)
        self.records[model][record_id] = record
        self.generation[model] += 1
        self.shape[model] += 1
        if self._journal is not None:
            self._journal.append(("insert", model, record_id, None))
        return record

    def _touch(self, model: str, record: dict) -> dict:
        """Notes a record's values before a change (for the rollback of a failing call)."""
        if self._journal is not None:
            self._journal.append(("update", model, record["id"], dict(record)))
        return record

    def _setup(self, company: str) -> None:
        self._insert("res.company", {"id": 1, "name": company})
        self._insert("res.users", {"id": 1, "name": "OdooBot", "login": "__system__", "active": False,
                                   "company_id": 1})
        self.add_user("admin", "admin", name="Administrator", uid=ADMIN_UID, rights=None)
        self._insert("res.partner", {"name": company, "is_company": True, "company_id": 1})
        view = self._insert("stock.location", {"name": "WH", "usage": "view", "company_id": 1})
        self.stock_location = self._insert("stock.location", {"name": "Stock", "location_id": view["id"],
                                                              "company_id": 1})["id"]
        self.web_location = self._insert("stock.location", {"name": "Réservé web", "location_id":
                                                            self.stock_location, "company_id": 1})["id"]
        partners = self._insert("stock.location", {"name": "Partners", "usage": "view"})
        self.customer_location = self._insert("stock.location", {"name": "Customers", "usage": "customer",
                                                                 "location_id": partners["id"]})["id"]
        virtual = self._insert("stock.location", {"name": "Virtual Locations", "usage": "view"})
        self._insert("stock.location", {"name": "Inventory adjustment", "usage": "inventory",
                                        "location_id": virtual["id"]})
        self._insert("stock.location", {"name": "Scrap", "usage": "inventory", "location_id": virtual["id"]})
        self._insert("product.category", {"id": 1, "name": "All"})

    def add_user(self, login: str, password: str, *, name: str | None = None, uid: int | None = None,
                 rights: Rights | None = BOT_RIGHTS) -> int:
        """A user who can log in with ``password``; ``rights=None`` gives every right (an admin)."""
        with self.lock:
            values = {"name": name or login, "login": login, "company_id": 1}
            if uid:
                values["id"] = uid
            record = self._insert("res.users", values)
            self.passwords[record["id"]] = password
            self.rights[record["id"]] = rights
            self.credentials.append({"login": login, "password": password, "uid": record["id"]})
            return record["id"]

    def add_custom_field(self, name: str, type_: str, string: str, **options: Any) -> None:
        """A field a member added to its products (Odoo Studio's ``x_`` fields): stored on the
        template, readable and writable through its variants, listed by ``fields_get``."""
        if not name.startswith("x_"):
            raise ValueError("Custom fields' names start with x_")
        with self.lock:
            template = self.models["product.template"]
            item = Field(name, type_, string, **options)
            template.fields[name] = item
            delegated = copy.copy(item)
            delegated.stored = False
            delegated.compute = lambda db, rec: db.get(template, db.template_of(rec), name)
            delegated.inverse = lambda db, rec, value: db.write_template_of(rec, name, value)
            self.models["product.product"].fields[name] = delegated
            self._cache.clear()

    def add_api_key(self, uid: int, key: str | None = None, *, name: str = "marketplace",
                    expires: datetime | None = None) -> str:
        """An API key of ``uid`` (random if not given), valid until ``expires`` (never if None)."""
        key = key or "".join(random.SystemRandom().choice("0123456789abcdef") for _ in range(40))
        with self.lock:
            self._insert("res.users.apikeys", {
                "name": name, "user_id": uid, "scope": "rpc", "_key": key,
                "expiration_date": expires.astimezone(UTC).strftime(DATETIME_FORMAT) if expires else False,
            })
            login = self.records["res.users"][uid]["login"]
            self.credentials.append({"login": login, "api_key": key, "uid": uid,
                                     "expires": expires.isoformat() if expires else None})
        return key

    # -- authentication ---------------------------------------------------------------------------

    def _key_user(self, key: str) -> int | None:
        moment = now_string()
        for record in self.records["res.users.apikeys"].values():
            if record.get("_key") == key:
                expiry = record.get("expiration_date")
                if expiry and expiry <= moment:
                    return None
                return record["user_id"]
        return None

    def _active_user(self, uid: Any) -> dict | None:
        user = self.records["res.users"].get(uid) if isinstance(uid, int) else None
        return user if user and user["active"] else None

    def user_for_key(self, key: str) -> int:
        with self.lock:
            uid = self._key_user(key)
            if uid is None or not self._active_user(uid):
                raise InvalidApiKey()
            return uid

    def authenticate(self, login: str, password: str) -> int | bool:
        """uid for a login and a password or one of the user's API keys, else False (as Odoo)."""
        with self.lock:
            for user in self.records["res.users"].values():
                if user["login"] == login and user["active"]:
                    uid = user["id"]
                    if self.passwords.get(uid) == password or self._key_user(password) == uid:
                        return uid
            return False

    def check_credentials(self, uid: Any, password: str) -> int:
        with self.lock:
            if not self._active_user(uid) or not (
                self.passwords.get(uid) == password or self._key_user(password) == uid
            ):
                raise AccessDenied()
            return uid
    # -- the call ------------------------------------------------------------------------------------

    def check_access(self, uid: int, model: Model, access: str | None) -> None:
        if access is None or model.name == "res.users.apikeys" and access == "read":
            return
        rights = self.rights.get(uid)
        if rights is None:
            return
        allowed = rights.read if access == "read" else rights.write
        if model.name not in allowed:
            verb = {"read": "access", "write": "modify", "create": "create", "unlink": "delete"}[access]
            raise AccessError(
                f"You are not allowed to {verb} '{model.description}' ({model.name}) records.\n\n"
                f"This operation is allowed for the following groups:\n\t- {model.group}\n\n"
                "Contact your administrator to request access if necessary."
            )

    def call(self, uid: int, model_name: str, method: str, *, ids: Any = None, args: list | None = None,
             kwargs: dict | None = None, context: dict | None = None) -> Any:
        """Runs one method call as Odoo would, inside the database's lock (one transaction)."""
        model = self.model(model_name)
        signature = SIGNATURES.get(method)
        if signature is None or (signature.models is not None and model.name not in signature.models):
            raise NotFound(f"The method {method!r} does not exist on the model {model.name!r}")
        args = list(args or [])
        kwargs = dict(kwargs or {})
        context = dict(context or kwargs.pop("context", None) or {})
        if signature.on_records and ids is None:
            if not args:
                raise BadParams(f"{method}() missing 1 required positional argument: 'ids'")
            ids = args.pop(0)
        params = bind(method, signature, args, kwargs)
        record_ids = as_ids(ids) if signature.on_records else []
        with self.lock:
            self.check_access(uid, model, signature.access)
            self._journal = []
            try:
                return self._dispatch(uid, model, method, record_ids, params, context)
            except Exception:
                self._rollback(self._journal)  # each call is one transaction: nothing half-applied
                raise
            finally:
                self._journal = None

    def _rollback(self, journal: list[tuple]) -> None:
        for action, model, record_id, before in reversed(journal):
            records = self.records[model]
            if action == "insert":
                records.pop(record_id, None)
            elif action == "update":
                records[record_id].clear()
                records[record_id].update(before)
            else:
                records[record_id] = before
            self.generation[model] += 1
            self.shape[model] += 1

    def _dispatch(self, uid: int, model: Model, method: str, ids: list[int], params: dict, context: dict) -> Any:
        records = self.records[model.name]
        if method in ("read", "write", "unlink", "action_confirm", "action_cancel"):
            visible = ids
            if model.name == "res.users.apikeys":
                visible = [one for one in ids if records.get(one, {}).get("user_id") == uid]
            missing = [one for one in visible if one not in records]
            if missing or len(visible) != len(ids):
                raise MissingError(
                    "Record does not exist or has been deleted.\n"
                    f"(Record: {model.name}({', '.join(map(str, missing or ids))},), User: {uid})"
                )
        if method == "search_read":
            found = self.search(model, params["domain"], offset=params["offset"] or 0, limit=params["limit"],
                                order=params["order"], context=context, uid=uid)
            return self.read(model, found, params["fields"])
        if method == "search":
            return self.search(model, params["domain"], offset=params["offset"] or 0, limit=params["limit"],
                               order=params["order"], context=context, uid=uid)
        if method == "search_count":
            found = self.search(model, params["domain"], context=context, uid=uid)
            return len(found) if not params["limit"] else min(len(found), params["limit"])
        if method == "read":
            return self.read(model, ids, params["fields"])
        if method == "name_search":
            domain = list(params["domain"] or [])
            if params["name"]:
                domain = ["&", (model.rec_name if model.fields[model.rec_name].stored else "display_name",
                                params["operator"], params["name"]), *(domain or [TRUE_LEAF])]
            found = self.search(model, domain, limit=params["limit"], context=context, uid=uid)
            return [[one, self.display_name_of(records[one], model.name)] for one in found]
        if method == "fields_get":
            wanted = params["allfields"] or list(model.fields)
            attributes = params["attributes"]
            result = {}
            for name in wanted:
                if name in model.fields:
                    description = model.fields[name].describe()
                    result[name] = {key: value for key, value in description.items()
                                    if not attributes or key in attributes}
            return result
        if method == "create":
            vals_list = params["vals_list"]
            single = isinstance(vals_list, dict)
            created = [self._create_record(model, vals, uid) for vals in ([vals_list] if single else vals_list)]
            return created[0] if single else created
        if method == "write":
            if model.name == "stock.quant":
                raise UserError("Quant's editing is restricted, you can't do this operation.")
            self._write_records(model.name, ids, params["vals"], uid)
            return True
        if method == "unlink":
            self._unlink(model, ids)
            return True
        if method == "action_confirm":
            return self.action_confirm(ids)
        if method == "action_cancel":
            return self.action_cancel(ids)
        if method == "context_get":
            return {"lang": self.lang, "tz": "Europe/Brussels", "uid": uid}
        raise NotFound(f"The method {method!r} does not exist on the model {model.name!r}")

    def stats(self) -> dict:
        with self.lock:
            return {
                "name": self.name, "version": VERSIONS[self.version]["server_version"], "calls": self.calls,
                "slow_ms": self.slow_ms, "failing": self._fail_count,
                "counts": {model: len(records) for model, records in self.records.items()},
            }
