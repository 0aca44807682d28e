"""A member without an ERP: its items come from a CSV or XLSX file (docs/erp_import_template.csv).

Columns (header row, any order, case-insensitive; only the first three are required):
``reference`` (the member's stable id), ``name``, ``price`` (gross, EUR), ``quantity``,
``category``, ``description``, ``weight_kg``, ``barcode``, ``sku``, ``grade``,
``condition_notes``, ``image_urls`` (one or more URLs separated by spaces or ``|``),
``online`` and ``active`` (yes/no, oui/non, ja/nee, 1/0; empty means yes).

CSV may be UTF-8 (with or without BOM, or Windows-1252 as older Excel writes it), separated by
``;`` (Belgian Excel) or ``,``; decimals may use a comma ("12,50", "1.234,50"). A row with any bad
value is rejected whole with its line number and the reason, and the good rows are imported.
The file is the member's whole catalogue: the engine archives items it no longer lists.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

from openpyxl import load_workbook

from .base import (
    ConnectionReport,
    ConnectorError,
    ErpCategory,
    ErpImage,
    ErpItem,
    PushResult,
    SalePush,
    StockChanges,
)

COLUMNS = (
    "reference", "name", "price", "quantity", "category", "description", "weight_kg", "barcode", "sku",
    "grade", "condition_notes", "image_urls", "online", "active",
)
REQUIRED = ("reference", "name", "price")
ALIASES = {"image_url": "image_urls", "images": "image_urls", "ref": "reference", "weight": "weight_kg",
           "qty": "quantity"}
TRUE = {"", "1", "yes", "y", "oui", "o", "ja", "j", "true", "vrai", "waar", "x"}
FALSE = {"0", "no", "n", "non", "nee", "false", "faux", "onwaar"}
MAX_LENGTHS = {"reference": 128, "name": 250, "sku": 255, "barcode": 64}


@dataclass(frozen=True)
class RejectedRow:
    line: int  # as a spreadsheet numbers it: the header is line 1
    reference: str
    reason: str


class RowError(ValueError):
    pass


def parse_decimal(text: str, column: str) -> Decimal:
    """"12,50", "12.50", "1.234,50", "1 234,50" and "€ 12,50" all read as 12.50 (or 1234.50)."""
    cleaned = re.sub(r"[\s\u00a0€]", "", text)
    if "," in cleaned and "." in cleaned:
        # The last separator is the decimal one; the other groups thousands.
        thousands = "." if cleaned.rfind(",") > cleaned.rfind(".") else ","
        cleaned = cleaned.replace(thousands, "")
    cleaned = cleaned.replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise RowError(f"{column}: {text!r} is not a number") from None
    if not value.is_finite():
        raise RowError(f"{column}: {text!r} is not a number")
    return value


def parse_bool(text: str, column: str) -> bool:
    value = text.strip().lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise RowError(f"{column}: {text!r} is neither yes nor no")


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        # XLSX numbers: 12.5 stays 12.5 and 3.0 becomes 3 (a quantity or a reference).
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value).strip()


def parse_row(row: dict[str, str]) -> ErpItem:
    """One row as an item, or ``RowError`` naming the first bad value."""
    reference = row.get("reference", "")
    if not reference:
        raise RowError("reference: missing")
    name = row.get("name", "")
    if not name:
        raise RowError("name: missing")
    for column, limit in MAX_LENGTHS.items():
        if len(row.get(column, "")) > limit:
            raise RowError(f"{column}: longer than {limit} characters")
    if not row.get("price"):
        raise RowError("price: missing")
    price = parse_decimal(row["price"], "price")
    if price < 0:
        raise RowError("price: negative")
    if price >= Decimal("1000000"):
        raise RowError("price: too large")
    quantity = 0
    if row.get("quantity"):
        number = parse_decimal(row["quantity"], "quantity")
        if number != number.to_integral_value() or number < 0:
            raise RowError(f"quantity: {row['quantity']!r} is not a whole number of 0 or more")
        quantity = int(number)
    weight = None
    if row.get("weight_kg"):
        weight = parse_decimal(row["weight_kg"], "weight_kg")
        if weight < 0:
            raise RowError("weight_kg: negative")
    urls = [url for url in re.split(r"[\s|]+", row.get("image_urls", "")) if url]
    for url in urls:
        if not url.startswith(("http://", "https://")):
            raise RowError(f"image_urls: {url!r} is not an http(s) address")
    category = row.get("category", "")
    return ErpItem(
        ref=reference,
        name=name,
        price=price.quantize(Decimal("0.01")),
        sku=row.get("sku", "") or reference,
        barcode=row.get("barcode", ""),
        description=row.get("description", ""),
        category_ref=category,
        weight_kg=weight,
        active=parse_bool(row.get("active", ""), "active"),
        online=parse_bool(row.get("online", ""), "online"),
        grade=row.get("grade", ""),
        condition_notes=row.get("condition_notes", ""),
        images=[ErpImage(url=url) for url in urls],
        quantity=quantity,
    )


def _normalise_header(header: Sequence[object]) -> list[str]:
    names = []
    for cell in header:
        name = re.sub(r"[\s\-]+", "_", _cell(cell).lstrip("\ufeff").strip().lower())
        names.append(ALIASES.get(name, name))
    missing = [column for column in REQUIRED if column not in names]
    if missing:
        raise ConnectorError(f"The header row lacks the column(s) {', '.join(missing)}.", code="invalid_file")
    return names


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _csv_rows(data: bytes) -> Iterator[list[str]]:
    text = _decode(data)
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") and ";" in first else ","
    if "\t" in first and first.count("\t") > first.count(delimiter):
        delimiter = "\t"
    yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def _xlsx_rows(data: bytes) -> Iterator[list[str]]:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several types for a file that is not a workbook
        raise ConnectorError(f"Not a readable XLSX file: {exc}", code="invalid_file") from exc
    try:
        for row in workbook.worksheets[0].iter_rows(values_only=True):
            yield [_cell(value) for value in row]
    finally:
        workbook.close()


class FileConnector:
    """``base.Connector`` over one file, read once; ``rejected`` lists the bad rows after reading."""

    def __init__(self, path: str | Path | None = None, *, data: bytes | None = None, filename: str = ""):
        self.path = Path(path) if path else None
        self.filename = filename or (self.path.name if self.path else "")
        self._data = data
        self._items: list[ErpItem] | None = None
        self.rejected: list[RejectedRow] = []
        self.expected_items: int | None = None

    def _read(self) -> list[ErpItem]:
        if self._items is not None:
            return self._items
        if self._data is None:
            if self.path is None or not self.path.exists():
                raise ConnectorError(f"File not found: {self.path}", code="file_not_found")
            self._data = self.path.read_bytes()
        is_xlsx = self.filename.lower().endswith((".xlsx", ".xlsm")) or self._data[:2] == b"PK"
        rows = _xlsx_rows(self._data) if is_xlsx else _csv_rows(self._data)
        header = next(rows, None)
        if header is None:
            raise ConnectorError("The file is empty.", code="invalid_file")
        names = _normalise_header(header)
        items: list[ErpItem] = []
        seen: set[str] = set()
        self.rejected = []
        for line, cells in enumerate(rows, start=2):
            if not any(cell.strip() for cell in cells):
                continue
            row = {name: cell.strip() for name, cell in zip(names, cells) if name in COLUMNS}
            try:
                if len(cells) > len(names) and any(cell.strip() for cell in cells[len(names):]):
                    raise RowError("more values than columns (a separator inside an unquoted value?)")
                item = parse_row(row)
                if item.ref in seen:
                    raise RowError(f"reference: {item.ref!r} appears on an earlier line too")
            except RowError as exc:
                self.rejected.append(RejectedRow(line=line, reference=row.get("reference", ""), reason=str(exc)))
                continue
            seen.add(item.ref)
            items.append(item)
        self._items = items
        return items

    @property
    def total_rows(self) -> int:
        return len(self._read()) + len(self.rejected)

    def test_connection(self) -> ConnectionReport:
        items = self._read()
        warnings = tuple(f"line {r.line}: {r.reason}" for r in self.rejected[:20])
        return ConnectionReport(ok=True, message=f"{len(items)} items readable, {len(self.rejected)} rejected.",
                                warnings=warnings)

    def categories(self) -> list[ErpCategory]:
        names = sorted({item.category_ref for item in self._read() if item.category_ref})
        return [ErpCategory(ref=name, name=name) for name in names]

    def items(self, *, changed_since: datetime | None, batch_size: int) -> Iterator[list[ErpItem]]:
        # A file has no change dates: every run reads it whole.
        items = self._read()
        self.expected_items = len(items)
        for start in range(0, len(items), batch_size):
            yield items[start : start + batch_size]

    def stock_changes(self, *, changed_since: datetime | None) -> StockChanges:
        return StockChanges(levels={}, cursor=None)  # quantities come with the items

    def stock_levels(self, refs: Sequence[str] | None = None) -> dict[str, int]:
        wanted = set(refs) if refs is not None else None
        return {i.ref: i.quantity or 0 for i in self._read() if wanted is None or i.ref in wanted}

    def push_sale(self, sale: SalePush) -> PushResult:
        raise ConnectorError("A file member records its online sales in its own till.", code="not_supported")

    def update_sale(self, sale: SalePush) -> None:
        raise ConnectorError("A file member records its online sales in its own till.", code="not_supported")

    def cancel_sale(self, reference: str) -> None:
        raise ConnectorError("A file member records its online sales in its own till.", code="not_supported")
