"""What a run reads once and every batch uses (``Context``), and the run's shared records."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings

from plugins.grading.models import Grade
from saleor_ext.account.models import Address
from saleor_ext.channel.models import Channel
from saleor_ext.product.models import Category, ProductType
from saleor_ext.warehouse.models import ChannelWarehouse, Warehouse

from ..models import ErpConnection, SyncRun

FALLBACK_PRODUCT_TYPE = ("article-erp", "Article (ERP)")


@dataclass
class Issue:
    reason: str
    item_ref: str = ""
    row_number: int | None = None
    rejected: bool = True


@dataclass
class Context:
    """What a run reads once and every batch uses."""

    connection: ErpConnection
    run: SyncRun
    warehouse: Warehouse
    channels: list[Channel]  # vendor channel first, then the marketplace
    marketplace_id: int | None
    dry_run: bool = False
    categories: dict[str, int | None] = field(default_factory=dict)  # erp ref -> category id
    category_tree: dict[int, int] = field(default_factory=dict)  # category id -> tree id
    category_type: dict[int, int] = field(default_factory=dict)  # category id -> product type id
    grades: dict[int, dict[str, int]] = field(default_factory=dict)  # tree id -> code/label -> grade id
    default_category_id: int | None = None
    fallback_type_id: int = 0
    issues: list[Issue] = field(default_factory=list)
    seen_refs: set[str] = field(default_factory=set)
    needs_levels: set[str] = field(default_factory=set)  # created/revived items without a quantity
    warned_categories: set[str] = field(default_factory=set)
    stored_images: set[str] = field(default_factory=set)  # photo files saved or found this run
    created_since_analyze: int = 0
    rows_at_analyze: int = 0
    indexed: int = 0  # products created or changed, whose search index is rebuilt after the run
    # SKU -> the item ref that took it in this run (batches written at once cannot see each other's).
    claimed_skus: dict[str, str] = field(default_factory=dict)
    claims_lock: threading.Lock = field(default_factory=threading.Lock)

    def claim_sku(self, sku: str, ref: str) -> bool:
        """True when ``ref`` may use ``sku``: no other item of this run took it first."""
        with self.claims_lock:
            return self.claimed_skus.setdefault(sku, ref) == ref

    @property
    def vendor(self):
        return self.connection.vendor




@dataclass
class BatchResult:
    seen: int = 0
    created: int = 0
    updated: int = 0
    archived: int = 0
    rejected: int = 0
    stock_updated: int = 0
    conflicts: int = 0
    product_ids: list[int] = field(default_factory=list)

    def add(self, other: BatchResult) -> None:
        for name in ("seen", "created", "updated", "archived", "rejected", "stock_updated", "conflicts"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def cursor_with_overlap(cursor: datetime | None) -> datetime | None:
    """Where to read changes from: the cursor moved back by the overlap that catches same-second changes."""
    return cursor - timedelta(seconds=settings.ERP_CURSOR_OVERLAP_SECONDS) if cursor else None


def _warehouse_for(connection: ErpConnection) -> Warehouse:
    if connection.warehouse_id:
        return connection.warehouse
    warehouse = Warehouse.objects.filter(vendor_id=connection.vendor_id).order_by("slug").first()
    if warehouse is None:
        vendor = connection.vendor
        address = Address.objects.create(company_name=vendor.name[:256], country="BE")
        warehouse = Warehouse.objects.create(
            vendor=vendor, name=f"{vendor.name} – stock", slug=f"{vendor.slug}-erp", address=address
        )
    return warehouse


def _channels_for(connection: ErpConnection, warehouse: Warehouse) -> tuple[list[Channel], int | None]:
    channels = list(Channel.objects.filter(vendor_id=connection.vendor_id))
    marketplace = Channel.objects.filter(slug=settings.DEFAULT_CHANNEL_SLUG).first()
    if marketplace is not None:
        channels.append(marketplace)
    for channel in channels:
        ChannelWarehouse.objects.get_or_create(channel=channel, warehouse=warehouse)
    return channels, marketplace.pk if marketplace else None


def _default_category_id(connection: ErpConnection) -> int:
    if connection.default_category_id:
        return connection.default_category_id
    category = Category.objects.filter(slug=settings.ERP_DEFAULT_CATEGORY_SLUG).first()
    if category is None:
        category = Category.objects.create(name="À classer", slug=settings.ERP_DEFAULT_CATEGORY_SLUG)
    return category.pk


def build_context(connection: ErpConnection, run: SyncRun, *, dry_run: bool = False) -> Context:
    warehouse = _warehouse_for(connection)
    channels, marketplace_id = _channels_for(connection, warehouse)
    ctx = Context(connection=connection, run=run, warehouse=warehouse, channels=channels,
                  marketplace_id=marketplace_id, dry_run=dry_run)
    ctx.categories = dict(connection.category_mappings.values_list("erp_ref", "category_id"))
    types = dict(ProductType.objects.values_list("slug", "pk"))
    for pk, tree_id, metadata in Category.objects.values_list("pk", "tree_id", "metadata"):
        ctx.category_tree[pk] = tree_id
        type_slug = (metadata or {}).get("default_product_type")
        if type_slug in types:
            ctx.category_type[pk] = types[type_slug]
    for grade in Grade.objects.prefetch_related("scheme__categories"):
        for root in grade.scheme.categories.all():
            codes = ctx.grades.setdefault(root.tree_id, {})
            for key in (grade.code, grade.label_fr, grade.label_nl, grade.label_en):
                if key:
                    codes.setdefault(key.strip().lower(), grade.pk)
    ctx.default_category_id = _default_category_id(connection)
    fallback, _ = ProductType.objects.get_or_create(
        slug=FALLBACK_PRODUCT_TYPE[0], defaults={"name": FALLBACK_PRODUCT_TYPE[1], "has_variants": False}
    )
    ctx.fallback_type_id = fallback.pk
    return ctx
