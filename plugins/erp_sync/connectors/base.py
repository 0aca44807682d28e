"""What every ERP connector gives the sync engine, whatever the member's system.

The engine (``plugins/erp_sync/sync/``) only speaks these types: a connector turns Odoo's
records, or the rows of a member's CSV/XLSX file, into ``ErpItem`` batches, stock levels and
categories, and records an online sale in the member's system. Connectors do no database work of
their own, so one engine applies every source the same way (batches in transactions, cursors
saved after commit, archiving, conflicts).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Protocol


class ConnectorError(Exception):
    """The member's system refused or failed a call; ``retryable`` when trying later may help
    (timeouts, 5xx), not for wrong credentials or missing rights."""

    def __init__(self, message: str, *, code: str = "error", retryable: bool = False):
        super().__init__(message)
        self.code = code
        self.retryable = retryable


class AuthenticationFailed(ConnectorError):
    def __init__(self, message: str = "The server refused the credentials."):
        super().__init__(message, code="authentication_failed", retryable=False)


class AccessDenied(ConnectorError):
    def __init__(self, message: str):
        super().__init__(message, code="access_denied", retryable=False)


@dataclass(frozen=True)
class ConnectionReport:
    """What "Test connection" shows: who we are there, what the server is, and warnings."""

    ok: bool
    server_version: str = ""
    user_name: str = ""
    message: str = ""
    # When the API key stops working (Odoo keys live at most 3 months), if the server says.
    key_expires_at: datetime | None = None
    # Odoo's point of sale updates stock "real" time or only at session "closing".
    pos_stock_mode: str = ""
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class ErpCategory:
    ref: str  # the ERP's id, as text
    name: str  # full path as the member sees it, e.g. "Vélos / Ville"


@dataclass(frozen=True)
class ErpImage:
    """An image of an item: ``data`` (bytes) or a ``url`` the engine downloads; deduplicated by
    content hash, so the same photo is stored once."""

    data: bytes | None = None
    url: str = ""


@dataclass
class ErpItem:
    """One sellable item as the member's system describes it."""

    ref: str  # stable id in the ERP (Odoo product.product id, or the file's reference column)
    name: str
    price: Decimal  # gross, in the vendor's channel currency
    sku: str = ""  # default_code
    barcode: str = ""
    description: str = ""
    category_ref: str = ""
    weight_kg: Decimal | None = None
    active: bool = True  # False: archived or not to be sold online any more
    online: bool = True  # the member's "put online" choice (tag, boolean field or rule)
    grade: str = ""  # condition grade code, mapped per member
    condition_notes: str = ""
    images: list[ErpImage] = field(default_factory=list)
    # Sellable quantity in internal locations; None when the source gives stock separately.
    quantity: int | None = None
    updated_at: datetime | None = None  # the ERP's write_date: the incremental cursor


@dataclass(frozen=True)
class StockChanges:
    levels: dict[str, int]  # item ref -> sellable quantity now
    cursor: datetime | None  # the latest stock change seen (the next call's ``changed_since``)


@dataclass(frozen=True)
class SaleLine:
    item_ref: str
    quantity: int
    unit_price: Decimal


@dataclass(frozen=True)
class SalePush:
    """An online sale to record in the member's system. ``reference`` (our vendor order's number)
    is the idempotency key: a connector first looks for it, so a retried push never makes two."""

    reference: str
    customer_name: str
    customer_email: str
    lines: Sequence[SaleLine]
    currency: str = "EUR"


@dataclass(frozen=True)
class PushResult:
    external_ref: str  # the ERP's document (e.g. sale.order name "S00042")
    created: bool  # False: it existed already (a retry)


class Connector(Protocol):
    """One member's ERP or file. Every method may raise ``ConnectorError``."""

    def test_connection(self) -> ConnectionReport: ...

    def categories(self) -> list[ErpCategory]: ...

    # How many items the current ``items()`` call yields in all, set before its first batch
    # when the source knows (the back-office's progress bar); None otherwise.
    expected_items: int | None

    def items(self, *, changed_since: datetime | None, batch_size: int) -> Iterator[list[ErpItem]]:
        """Items changed since the cursor (all when None), oldest change first, in batches.
        Callers pass a cursor a little before the last one seen (an overlap window): items
        may come twice, never be missed."""
        ...

    def stock_changes(self, *, changed_since: datetime | None) -> StockChanges:
        """Items whose stock moved since the cursor (an item's own change date does not move
        when only its stock does: Odoo's quants have their own), with their sellable quantity now."""
        ...

    def stock_levels(self, refs: Sequence[str] | None = None) -> dict[str, int]:
        """Sellable quantity per item ref (all items when None): the full stock reconciliation.
        An item absent from the answer has none (Odoo deletes quants that reach zero)."""
        ...

    def push_sale(self, sale: SalePush) -> PushResult: ...

    def update_sale(self, sale: SalePush) -> None:
        """Lines of a recorded sale were cancelled online: its quantities become the sale's
        (lines it no longer has go to zero), so the shop's stock gets those units back.
        Setting quantities, not subtracting, makes a retry harmless."""
        ...

    def cancel_sale(self, reference: str) -> None: ...
