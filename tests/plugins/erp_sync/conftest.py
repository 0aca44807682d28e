"""Fixtures of the ERP sync tests: a member shop with its channels and warehouse, a grading scheme,
a photo server, and ``MemoryErp``, an in-memory stand-in for the member's ERP (an external system)."""

from __future__ import annotations

import io
import itertools
import threading
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from PIL import Image

from plugins.erp_sync.connectors.base import (
    ConnectionReport,
    ConnectorError,
    ErpCategory,
    ErpImage,
    ErpItem,
    PushResult,
    SalePush,
    StockChanges,
)
from plugins.erp_sync.models import CategoryMapping, ConnectionKind, ErpConnection
from plugins.grading.models import Grade, GradingScheme
from tests.factories import make_category, make_channel, make_vendor, make_warehouse


def png(colour: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), colour).save(out, "PNG")
    return out.getvalue()


class MemoryErp:
    """Items, stock and sale orders of a member's ERP, changed by the test between runs."""

    def __init__(self) -> None:
        self._clock = itertools.count(1)
        self.epoch = datetime(2025, 3, 1, tzinfo=UTC)
        self.records: dict[str, ErpItem] = {}
        self.stock: dict[str, int] = {}
        self.stock_dates: dict[str, datetime] = {}
        self.category_list: list[ErpCategory] = []
        self.sales: dict[str, dict] = {}
        self.push_calls = 0
        self.fail_push = 0  # the next N pushes time out
        self.fail_after_batches: int | None = None  # the server dies after serving N batches
        self.block: threading.Event | None = None  # items() waits for it (two runs at once)
        self.started = threading.Event()

    def tick(self) -> datetime:
        return self.epoch + timedelta(minutes=next(self._clock))

    def put(self, ref: str, *, quantity: int | None = None, **fields) -> ErpItem:
        base = self.records.get(ref)
        values = dict(name=f"Item {ref}", price=Decimal("10.00"), sku=ref) if base is None else dict(
            name=base.name, price=base.price, sku=base.sku, description=base.description,
            category_ref=base.category_ref, active=base.active, online=base.online, grade=base.grade,
            condition_notes=base.condition_notes, images=base.images, weight_kg=base.weight_kg)
        values.update(fields)
        self.records[ref] = ErpItem(ref=ref, updated_at=self.tick(), **values)
        if quantity is not None:
            self.set_stock(ref, quantity)
        return self.records[ref]

    def set_stock(self, ref: str, quantity: int) -> None:
        if quantity:
            self.stock[ref] = quantity
        else:
            self.stock.pop(ref, None)  # Odoo deletes a quant that reaches zero
        self.stock_dates[ref] = self.tick()

    # -- base.Connector
    def test_connection(self) -> ConnectionReport:
        return ConnectionReport(ok=True)

    def categories(self) -> list[ErpCategory]:
        return list(self.category_list)

    def items(self, *, changed_since, batch_size) -> Iterator[list[ErpItem]]:
        self.started.set()
        if self.block is not None:
            self.block.wait(10)
        chosen = sorted((i for i in self.records.values() if changed_since is None or i.updated_at >= changed_since),
                        key=lambda i: i.updated_at)
        for number, start in enumerate(range(0, len(chosen), batch_size)):
            if self.fail_after_batches is not None and number >= self.fail_after_batches:
                raise ConnectorError("502 Bad Gateway", code="server_error", retryable=True)
            yield chosen[start : start + batch_size]

    def stock_changes(self, *, changed_since) -> StockChanges:
        moved = [ref for ref, when in self.stock_dates.items() if changed_since is None or when >= changed_since]
        cursor = max((self.stock_dates[ref] for ref in moved), default=None)
        return StockChanges(levels={ref: self.stock.get(ref, 0) for ref in moved}, cursor=cursor)

    def stock_levels(self, refs: Sequence[str] | None = None) -> dict[str, int]:
        return {ref: q for ref, q in self.stock.items() if refs is None or ref in refs}

    def push_sale(self, sale: SalePush) -> PushResult:
        self.push_calls += 1
        if self.fail_push:
            self.fail_push -= 1
            raise ConnectorError("timed out", code="timeout", retryable=True)
        if sale.reference in self.sales:
            return PushResult(external_ref=self.sales[sale.reference]["name"], created=False)
        name = f"S{len(self.sales) + 1:05d}"
        self.sales[sale.reference] = {"name": name, "lines": list(sale.lines), "state": "sale"}
        for line in sale.lines:
            self.set_stock(line.item_ref, self.stock.get(line.item_ref, 0) - line.quantity)
        return PushResult(external_ref=name, created=True)

    def update_sale(self, sale: SalePush) -> None:
        recorded = self.sales[sale.reference]
        kept = {line.item_ref: line.quantity for line in sale.lines}
        for line in recorded["lines"]:
            self.set_stock(line.item_ref, self.stock.get(line.item_ref, 0) + line.quantity - kept.get(line.item_ref, 0))
        recorded["lines"] = list(sale.lines)

    def cancel_sale(self, reference: str) -> None:
        self.sales[reference]["state"] = "cancel"


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def marketplace(db):
    return make_channel("marketplace")


@pytest.fixture
def vendor(marketplace):
    return make_vendor("Recyclerie du Centre", slug="recyclerie-centre")


@pytest.fixture
def warehouse(vendor):
    return make_warehouse(vendor, "Recyclerie du Centre – magasin")


@pytest.fixture
def bikes(db):
    root = make_category("Vélos")
    city = make_category("Vélos de ville", parent=root)
    scheme = GradingScheme.objects.create(code="velos", name_fr="Vélos", name_nl="Fietsen", name_en="Bikes")
    scheme.categories.add(root)
    for rank, code in enumerate(("comme-neuf", "tres-bon", "correct"), start=1):
        Grade.objects.create(scheme=scheme, code=code, rank=rank, label_fr=code, label_nl=code, label_en=code,
                             schema_org_condition="UsedCondition", google_condition="used")
    return city


@pytest.fixture
def erp_connection(vendor, warehouse, media_root):
    return ErpConnection.objects.create(vendor=vendor, kind=ConnectionKind.ODOO_JSON2,
                                        url="http://127.0.0.1:1", database="shop")


@pytest.fixture
def erp(erp_connection, bikes):
    erp = MemoryErp()
    erp.category_list = [ErpCategory(ref="7", name="Vélos / Ville")]
    CategoryMapping.objects.create(connection=erp_connection, erp_ref="7", erp_name="Vélos / Ville", category=bikes)
    return erp


class _PhotoHandler(BaseHTTPRequestHandler):
    photos: dict[str, bytes] = {}
    hits: list[str] = []

    def do_GET(self):  # noqa: N802 (http.server's name)
        self.hits.append(self.path)
        data = self.photos.get(self.path)
        if data is None:
            self.send_response(404)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def photo_server():
    """A web server with two photos, standing for the shop's image host; ``hits`` counts downloads."""
    _PhotoHandler.photos = {"/red.png": png("red"), "/blue.png": png("blue")}
    _PhotoHandler.hits = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _PhotoHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.base = f"http://127.0.0.1:{server.server_address[1]}"
    server.hits = _PhotoHandler.hits
    yield server
    server.shutdown()
    server.server_close()


__all__ = ["ErpImage", "MemoryErp", "png"]
