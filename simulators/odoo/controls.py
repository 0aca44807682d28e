"""The test controls of a database (latency, failures, generated items, shop sales, stock, keys) and
the ``/_sim`` endpoints that give them to other processes."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from . import catalogue
from .models import ADMIN_UID, DATETIME_FORMAT, now_string

if TYPE_CHECKING:
    from .server import OdooSimulator


class ControlsMixin:
    """The test controls of ``Database``: what a test, the demo or a benchmark changes."""

    # -- controls: latency and failures -----------------------------------------------------------

    def set_slow(self, ms: int) -> None:
        """Every call on this database waits ``ms`` milliseconds before its answer."""
        self.slow_ms = max(0, int(ms))

    def fail(self, count: int = 1, *, after: int = 0, status: int = 500) -> None:
        """The ``count`` calls that follow the next ``after`` calls fail with ``status`` (a server failing
        mid-run: ``fail(1, after=K-1)`` breaks the K-th call)."""
        with self.lock:
            self._fail_after, self._fail_count, self._fail_status = max(0, after), max(0, count), status

    def before_call(self) -> int | None:
        """Counts a call, sleeps the asked latency; the status to fail with, if this call must fail."""
        with self.lock:
            self.calls += 1
            failing = None
            if self._fail_count:
                if self._fail_after:
                    self._fail_after -= 1
                else:
                    self._fail_count -= 1
                    failing = self._fail_status
        if self.slow_ms:
            time.sleep(self.slow_ms / 1000)
        return failing

    # -- controls: data -------------------------------------------------------------------------------

    def seed(self, items: int, *, seed: int = 1, lang: str | None = None, recent: bool = False) -> list[int]:
        """Adds ``items`` generated second-hand items (same seed, same items); their template ids. Their
        change dates spread over the past year, or are now when ``recent`` (new items)."""
        rng = random.Random(seed)
        lang = (lang or self.lang)[:2]
        with self.lock:
            categories = self._seed_structure(lang)
            tags = self.records["product.tag"]
            online_tag = next(tag_id for tag_id, tag in tags.items() if tag["name"] in ("En ligne", "Online"))
            other_tags = [tag_id for tag_id in tags if tag_id != online_tag]
            photos = [self.images.add_bytes(catalogue.draw_photo(number)) for number in range(48)]
            start = datetime.now(UTC) - timedelta(days=400)
            step = timedelta(days=399) / max(items, 1)
            storable = {"type": "consu", "is_storable": True} if self.version >= 18 else {
                "type": "product", "detailed_type": "product"}
            created = []
            first_sized = True
            base = len(self.records["product.template"])
            for number in range(items):
                kind_index = rng.randrange(len(catalogue.KINDS))
                kind = catalogue.KINDS[kind_index]
                item_lang = lang if rng.random() < 0.85 else ("nl" if lang == "fr" else "fr")
                when = now_string() if recent else (start + step * number).strftime(DATETIME_FORMAT)
                tag_ids = [online_tag] if rng.random() < 0.85 else []
                if rng.random() < 0.15:
                    tag_ids.append(rng.choice(other_tags))
                template = self._insert("product.template", {
                    "name": catalogue.item_name(rng, kind, item_lang),
                    "list_price": catalogue.price(rng, *kind.price),
                    "categ_id": categories[kind_index],
                    "description_sale": catalogue.description(rng, item_lang),
                    "weight": round(rng.uniform(*kind.weight), 2),
                    "sale_ok": rng.random() < 0.97,
                    "is_published": rng.random() < 0.9,
                    "company_id": 1,
                    "tracking": "serial" if kind_index == 4 and rng.random() < 0.5 else "none",
                    "product_tag_ids": tag_ids,
                    "_image": rng.choice(photos) if rng.random() < 0.7 else False,
                    **storable,
                }, when=when)
                code = f"{self.name[:3].upper()}-{base + number + 1:06d}"
                barcode = catalogue.ean13(rng) if rng.random() < 0.3 else False
                # A few clothes come in two sizes (two variants), the first one always: variant ids then
                # differ from template ids, as in any real Odoo.
                multi = bool(kind.sizes) and (first_sized or rng.random() < 0.03)
                first_sized = first_sized and not multi
                sizes = list(kind.sizes[1:3]) if multi else [""]
                for suffix in sizes:
                    product = self._insert("product.product", {
                        "product_tmpl_id": template["id"], "_suffix": suffix,
                        "default_code": f"{code}-{suffix}" if suffix else code,
                        "barcode": barcode if not suffix else False,
                    }, when=when)
                    draw = rng.random()
                    if draw < 0.92:
                        location = self.web_location if draw < 0.01 else self.stock_location
                        quantity = float(rng.randrange(2, 5)) if draw > 0.9 else 1.0
                        self._insert("stock.quant", {"product_id": product["id"], "location_id": location,
                                                     "quantity": quantity, "company_id": 1}, when=when)
                created.append(template["id"])
            return created

    def _seed_structure(self, lang: str) -> list[int]:
        """Categories (one per kind, under All / Saleable), tags and the marketplace bot (once)."""
        categories = self.records["product.category"]
        saleable = next((one for one, record in categories.items() if record["name"] == "Saleable"), None)
        if saleable is None:
            saleable = self._insert("product.category", {"name": "Saleable", "parent_id": 1})["id"]
            for name in ("En ligne" if lang == "fr" else "Online", "Vintage", "Seconde main" if lang == "fr"
                         else "Tweedehands"):
                self._insert("product.tag", {"name": name})
        result = []
        for kind in catalogue.KINDS:
            name = kind.fr if lang == "fr" else kind.nl
            existing = next((one for one, record in categories.items()
                             if record["name"] == name and record.get("parent_id") == saleable), None)
            result.append(existing or self._insert("product.category", {"name": name, "parent_id": saleable})["id"])
        return result

    def template_ids(self, *, active_only: bool = True) -> list[int]:
        with self.lock:
            return [one for one, record in self.records["product.template"].items()
                    if record["active"] or not active_only]

    def change_items(self, kind: str, count: int = 1, *, ids: list[int] | None = None, seed: int = 7) -> list[int]:
        """Changes items as a shop's staff would in Odoo: ``price``, ``name``, ``description``,
        ``archive``, ``unarchive``, ``image`` (a new photo), ``remove_image`` or ``new`` (a new item with one
        unit in stock); the template ids touched."""
        rng = random.Random(seed)
        with self.lock:
            if kind == "new":
                return self.seed(count, seed=seed + 1_000_003 + len(self.records["product.template"]), recent=True)
            templates = self.records["product.template"]
            if ids is None:
                pool = [one for one, record in templates.items() if record["active"] == (kind != "unarchive")]
                ids = rng.sample(pool, min(count, len(pool)))
            for template_id in ids:
                template = templates[template_id]
                if kind == "price":
                    vals: dict[str, Any] = {"list_price": round(template["list_price"] * rng.choice((0.8, 0.9, 1.1))
                                                                + 0.5, 0)}
                elif kind == "name":
                    vals = {"name": template["name"] + rng.choice((" - promo", " (retouché)", " - nieuw binnen"))}
                elif kind == "description":
                    vals = {"description_sale": catalogue.description(rng, rng.choice(("fr", "nl")))}
                elif kind in ("archive", "unarchive"):
                    vals = {"active": kind == "unarchive"}
                elif kind == "image":
                    key = self.images.add_bytes(catalogue.draw_photo(next(self._photo_numbers)))
                    vals = {"image_1920": self.images.base64(key)}
                elif kind == "remove_image":
                    vals = {"image_1920": False}
                else:
                    raise ValueError(f"Unknown change {kind!r}")
                self._write_records("product.template", [template_id], vals, ADMIN_UID)
            return list(ids)

    def sell_in_shop(self, product_id: int | None = None, *, template_id: int | None = None,
                     cleanup: bool = True) -> int:
        """The shop sells one unit at its till: the product's internal quants go down (to 0, then
        removed when ``cleanup``), the product's write_date stays; in "closing" point-of-sale mode the
        stock moves only at ``close_pos_session``. The product's id."""
        with self.lock:
            if product_id is None:
                if template_id is None:
                    internal = self.internal_locations()
                    stocked = [quant["product_id"] for quant in self.records["stock.quant"].values()
                               if quant["location_id"] in internal and quant["quantity"] > 0]
                    if not stocked:
                        raise ValueError("Nothing in stock to sell")
                    product_id = stocked[0]
                else:
                    product_id = self.index("product.product", "product_tmpl_id")[template_id][0]
            if self.records["res.company"][1]["point_of_sale_update_stock_quantities"] == "closing":
                self._pending_pos_sales.append(product_id)
                return product_id
            self._take_stock(product_id, 1)
            if cleanup:
                self.cleanup_quants()
            return product_id

    def close_pos_session(self) -> list[int]:
        with self.lock:
            sold, self._pending_pos_sales = self._pending_pos_sales, []
            for product_id in sold:
                self._take_stock(product_id, 1)
            self.cleanup_quants()
            return sold

    def cleanup_quants(self) -> int:
        """Odoo's quant clean-up: quants at zero (nothing reserved) disappear. How many went."""
        with self.lock:
            quants = self.records["stock.quant"]
            empty = [one for one, quant in quants.items()
                     if quant["quantity"] == 0 and not quant["reserved_quantity"]]
            for one in empty:
                del quants[one]
            if empty:
                self.generation["stock.quant"] += 1
                self.shape["stock.quant"] += 1
            return len(empty)

    def set_stock(self, product_id: int, quantity: float) -> None:
        """An inventory adjustment: the product's quantity in the main stock becomes ``quantity``."""
        with self.lock:
            current = sum(self.records["stock.quant"][q]["quantity"]
                          for q in self.index("stock.quant", "product_id").get(product_id, [])
                          if self.records["stock.quant"][q]["location_id"] == self.stock_location)
            self._move_quant(product_id, self.stock_location, quantity - current)

    def set_pos_mode(self, mode: str) -> None:
        if mode not in ("real", "closing"):
            raise ValueError("mode is 'real' or 'closing'")
        with self.lock:
            self._write_records("res.company", [1], {"point_of_sale_update_stock_quantities": mode}, ADMIN_UID)

    def _key_record(self, key: str | None) -> dict:
        for record in self.records["res.users.apikeys"].values():
            if key is None or record["_key"] == key:
                return record
        raise ValueError("No such API key")

    def expire_key(self, key: str | None = None, *, in_days: float = -1) -> str:
        """Sets a key's expiry ``in_days`` from now (negative: already expired); the first key by default."""
        with self.lock:
            record = self._key_record(key)
            record["expiration_date"] = (datetime.now(UTC) + timedelta(days=in_days)).strftime(DATETIME_FORMAT)
            record["write_date"] = now_string()
            self.generation["res.users.apikeys"] += 1
            return record["_key"]

    def revoke_key(self, key: str | None = None) -> str:
        with self.lock:
            record = self._key_record(key)
            del self.records["res.users.apikeys"][record["id"]]
            self.generation["res.users.apikeys"] += 1
            self.shape["res.users.apikeys"] += 1
            return record["_key"]


class AdminRoutes:
    """``/_sim`` endpoints for other processes (the demo, benchmarks, tests).

    GET  /_sim                          the databases, their credentials and counts
    GET  /_sim/<db>/stats               counts of records and calls
    POST /_sim/<db>/seed                {"items": N, "seed": S} -> {"template_ids": [...]}
    POST /_sim/<db>/change              {"kind": "price"|"name"|"description"|"archive"|"unarchive"|"image"|
                                         "remove_image"|"new", "count": N, "ids": [...]?} -> {"template_ids"}
    POST /_sim/<db>/sell                {"product_id"?: id, "template_id"?: id, "cleanup": true} -> {"product_id"}
    POST /_sim/<db>/stock               {"product_id": id, "quantity": q}
    POST /_sim/<db>/cleanup             removes quants at zero -> {"removed": n}
    POST /_sim/<db>/slow                {"ms": 200}
    POST /_sim/<db>/fail                {"count": 1, "after": 0, "status": 500}
    POST /_sim/<db>/expire_key          {"key"?: key, "in_days": -1}
    POST /_sim/<db>/revoke_key          {"key"?: key}
    POST /_sim/<db>/pos_mode            {"mode": "real"|"closing"}
    POST /_sim/<db>/close_pos_session   applies the shop sales waiting for the session's end
    """

    @staticmethod
    def handle(sim: OdooSimulator, method: str, parts: list[str], body: dict) -> tuple[int, Any]:
        if not parts:
            return 200, {"url": sim.url, "databases": [
                {**database.stats(), "url": sim.url_of(name), "credentials": database.credentials}
                for name, database in sim.databases.items()]}
        database = sim.databases.get(parts[0])
        if database is None or len(parts) != 2:
            return 404, {"error": "unknown database or action"}
        action = parts[1]
        if method == "GET" and action == "stats":
            return 200, database.stats()
        if method != "POST":
            return 405, {"error": "use POST"}
        actions: dict[str, Callable[[], Any]] = {
            "seed": lambda: {"template_ids": database.seed(int(body.get("items", 100)), seed=int(body.get("seed", 1)))},
            "change": lambda: {"template_ids": database.change_items(
                body["kind"], int(body.get("count", 1)), ids=body.get("ids"), seed=int(body.get("seed", 7)))},
            "sell": lambda: {"product_id": database.sell_in_shop(
                body.get("product_id"), template_id=body.get("template_id"), cleanup=body.get("cleanup", True))},
            "stock": lambda: database.set_stock(int(body["product_id"]), float(body["quantity"])),
            "cleanup": lambda: {"removed": database.cleanup_quants()},
            "slow": lambda: database.set_slow(int(body.get("ms", 0))),
            "fail": lambda: database.fail(int(body.get("count", 1)), after=int(body.get("after", 0)),
                                          status=int(body.get("status", 500))),
            "expire_key": lambda: {"key": database.expire_key(body.get("key"), in_days=float(body.get("in_days", -1)))},
            "revoke_key": lambda: {"key": database.revoke_key(body.get("key"))},
            "pos_mode": lambda: database.set_pos_mode(body.get("mode", "real")),
            "close_pos_session": lambda: {"product_ids": database.close_pos_session()},
        }
        if action not in actions:
            return 404, {"error": f"unknown action {action!r}"}
        try:
            result = actions[action]()
        except (KeyError, ValueError, TypeError) as error:
            return 400, {"error": str(error)}
        return 200, result if result is not None else {"ok": True}
