"""The sync engine: applies what a member's connector reports to the marketplace's catalogue.

``run_sync(connection, full=False)`` is the one entry point (the Celery task, ``sync_vendor`` and
``import_items`` call it). It:

1. takes the connection's PostgreSQL advisory lock (``pg_try_advisory_lock``): a second run for
   the same member while one is going returns ``None`` at once and records nothing;
2. pulls ``connector.items(changed_since=cursor − overlap)`` in batches and applies each batch in
   ONE transaction with set-based writes (COPY for new items, bulk updates for changed ones;
   an item sent again unchanged costs no write, thanks to its fingerprint); the next batch is
   fetched meanwhile, and ``ERP_SYNC_WRITERS`` batches are written at once on their own
   connections (one after the other, cursor in the batch's transaction, when the run is inside
   a transaction: dry runs, tests). The items cursor only ever covers committed batches: a
   failure rolls back the batch only, the run is recorded failed and the next run starts again
   from the last batch committed without a gap;
3. applies stock: the items' own quantities (files), ``stock_changes`` since the stock cursor,
   levels of the items it just created, and, on full runs or every
   ``ERP_FULL_RECONCILIATION_MINUTES``, ``stock_levels()`` for all (items the ERP leaves out
   have none: Odoo deletes empty quants);
4. on full runs (and every file import) archives what the ERP no longer lists.

Stock rule (DESIGN.md §5): the ERP is the truth for what is in the shop. Online sales it has
acknowledged (pushed sale orders) are already out of its count but still allocated here, so
``Stock.quantity = ERP quantity + acknowledged allocations`` and the checkout's available =
quantity − allocations − live reservations = ERP − what it has not heard of yet, never more.
When the ERP's quantity no longer covers the unacknowledged allocations, the item was sold in
the shop too: an ``ErpConflict`` is flagged on each vendor order line left uncovered; its
allocation is kept and the vendor resolves it (``services.resolve_conflict``).
"""

from __future__ import annotations

import hashlib
import logging
import queue
import threading
import time
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.db import connection as db
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from import_scripts.bulk import allocate_ids, copy_insert
from import_scripts.config_loader import rich_text
from plugins.grading.models import Grade, VariantGrade
from saleor_ext.channel.models import Channel
from saleor_ext.core import sql
from saleor_ext.order.models import OrderLine
from saleor_ext.product.models import (
    Category,
    Product,
    ProductChannelListing,
    ProductType,
    ProductVariant,
    ProductVariantChannelListing,
)
from saleor_ext.product.tasks import update_products_search_vector_task
from saleor_ext.warehouse.models import Allocation, ChannelWarehouse, Stock, Warehouse

from . import images as image_store
from .connectors import connector_for
from .connectors.base import Connector, ErpCategory, ErpItem
from .models import (
    CategoryMapping,
    ConnectionKind,
    ErpConflict,
    ErpConnection,
    ItemLink,
    SalePushAction,
    SalePushJob,
    SalePushStatus,
    SyncRun,
    SyncRunIssue,
    SyncRunKind,
    SyncRunStatus,
)
from .services import record_conflict_events

logger = logging.getLogger(__name__)

# First key of the two-int advisory lock: "ERPS", so our locks never meet another feature's.
LOCK_NAMESPACE = 0x45525053
FALLBACK_PRODUCT_TYPE = ("article-erp", "Article (ERP)")


# -- locking --------------------------------------------------------------------------------------


@contextmanager
def connection_lock(connection_id: int) -> Iterator[bool]:
    """Hold the member's sync lock for the block; yields False when another session holds it.
    A session-level lock: it outlives the per-batch transactions and dies with a crashed worker."""
    with db.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [LOCK_NAMESPACE, connection_id])
        acquired = cursor.fetchone()[0]
    try:
        yield acquired
    finally:
        if acquired:
            with db.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [LOCK_NAMESPACE, connection_id])


# -- run context ----------------------------------------------------------------------------------


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


def _warehouse_for(connection: ErpConnection) -> Warehouse:
    if connection.warehouse_id:
        return connection.warehouse
    warehouse = Warehouse.objects.filter(vendor_id=connection.vendor_id).order_by("slug").first()
    if warehouse is None:
        from saleor_ext.account.models import Address

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


# -- categories -----------------------------------------------------------------------------------


def _suggest_category(name: str, by_slug: dict[str, int], by_name: dict[str, int]) -> int | None:
    """The marketplace category an ERP category most likely is: its last path segment by slug or name."""
    leaf = name.split("/")[-1].strip()
    return by_slug.get(slugify(leaf)) or by_name.get(leaf.lower())


def record_new_categories(connection: ErpConnection, categories: dict[str, ErpCategory],
                          known: Iterable[str]) -> list[CategoryMapping]:
    """Mappings for the ERP categories (by ref) not among ``known``, each preset to the
    marketplace category its name suggests and marked as a suggestion; the rows recorded."""
    known = set(known)
    new = [ref for ref in categories if ref not in known]
    if not new:
        return []
    by_slug = dict(Category.objects.values_list("slug", "pk"))
    by_name = {name.lower(): pk for name, pk in Category.objects.values_list("name", "pk")}
    rows = []
    for ref in new:
        suggestion = _suggest_category(categories[ref].name, by_slug, by_name)
        rows.append(CategoryMapping(connection=connection, erp_ref=ref, erp_name=categories[ref].name[:500],
                                    category_id=suggestion, suggested=suggestion is not None))
    CategoryMapping.objects.bulk_create(rows, ignore_conflicts=True)
    return rows


def sync_categories(ctx: Context, categories: Iterable[ErpCategory]) -> int:
    """Record the ERP's categories for the vendor to map, suggesting a match for new ones."""
    rows = record_new_categories(ctx.connection, {c.ref: c for c in categories if c.ref}, ctx.categories)
    ctx.categories.update({row.erp_ref: row.category_id for row in rows})
    return len(rows)


def _category_of(ctx: Context, item: ErpItem, issues: list[Issue]) -> int | None:
    if not item.category_ref:
        return ctx.default_category_id
    if item.category_ref not in ctx.categories:
        sync_categories(ctx, [ErpCategory(ref=item.category_ref, name=item.category_ref)])
    category_id = ctx.categories.get(item.category_ref)
    if category_id is None:
        if item.category_ref not in ctx.warned_categories:
            ctx.warned_categories.add(item.category_ref)
            issues.append(Issue(f"Category {item.category_ref!r} is not mapped: filed under the default category "
                                "until it is.", item_ref=item.ref, rejected=False))
        return ctx.default_category_id
    return category_id


def _grade_of(ctx: Context, item: ErpItem, category_id: int | None, issues: list[Issue]) -> int | None:
    if not item.grade:
        return None
    grade_id = ctx.grades.get(ctx.category_tree.get(category_id, -1), {}).get(item.grade.strip().lower())
    if grade_id is None:
        issues.append(Issue(f"Grade {item.grade!r} is not a grade of this category: imported without a grade.",
                            item_ref=item.ref, rejected=False))
    return grade_id


# -- items ----------------------------------------------------------------------------------------


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


def fingerprint(item: ErpItem) -> str:
    """What the item looks like to the marketplace, its stock aside (applied on its own)."""
    images = [hashlib.sha256(i.data).hexdigest() if i.data else i.url for i in item.images]
    parts = (item.name, str(item.price), item.sku, item.barcode, item.description, item.category_ref,
             str(item.weight_kg), item.active, item.online, item.grade, item.condition_notes, images)
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def _visible(item: ErpItem) -> bool:
    return item.active and item.online


def _slug(vendor_id: int, item: ErpItem) -> str:
    suffix = hashlib.sha1(f"{vendor_id}:{item.ref}".encode()).hexdigest()[:10]
    return f"{slugify(item.name)[:200] or 'article'}-{suffix}"


def _validate(items: Sequence[ErpItem], issues: list[Issue]) -> list[ErpItem]:
    """Items the marketplace can take, the last one of a ref sent twice; the others are issues."""
    good: dict[str, ErpItem] = {}
    for item in items:
        if not item.ref:
            issues.append(Issue("The item has no reference."))
        elif not item.name.strip():
            issues.append(Issue("The item has no name.", item_ref=item.ref))
        elif item.price is None or item.price < 0:
            issues.append(Issue(f"Price {item.price} is not a price.", item_ref=item.ref))
        else:
            good.pop(item.ref, None)
            good[item.ref] = item
    return list(good.values())


def apply_items(ctx: Context, items: Sequence[ErpItem], issues: list[Issue]) -> BatchResult:
    """Create, update or archive the marketplace side of one batch (the caller's transaction)."""
    result = BatchResult(seen=len(items))
    before = len(issues)
    items = _validate(items, issues)
    result.rejected = len(issues) - before
    vendor_id = ctx.connection.vendor_id
    refs = [item.ref for item in items]
    ctx.seen_refs.update(refs)
    # Array parameters rather than ORM "__in" lists: one parameter for thousands of refs.
    links = {link.erp_ref: link for link in ItemLink.objects.raw(
        f"SELECT * FROM {sql.table(ItemLink)} WHERE connection_id = %s AND erp_ref = ANY(%s)",
        [ctx.connection.pk, refs])}

    # Items not linked yet may already exist (a shop that entered them by hand or imported them
    # before): adopted when their SKU matches, so nothing is duplicated.
    skus = {item.sku or item.ref for item in items} | set(refs)
    taken = dict(sql.fetch(f"SELECT sku, id FROM {sql.table(ProductVariant)} WHERE vendor_id = %s AND sku = ANY(%s)",
                           [vendor_id, list(skus)]))
    linked_variants = {link.variant_id for link in links.values()}
    adoptable = {sku: pk for sku, pk in taken.items() if pk not in linked_variants}
    if adoptable:
        already = set(ItemLink.objects.filter(variant_id__in=adoptable.values()).values_list("variant_id", flat=True))
        adoptable = {sku: pk for sku, pk in adoptable.items() if pk not in already}
    adopted: list[ItemLink] = []
    for item in items:
        variant_id = adoptable.pop(item.sku or item.ref, None) if item.ref not in links else None
        if variant_id is not None and ctx.claim_sku(item.sku or item.ref, item.ref):
            adopted.append(ItemLink(connection=ctx.connection, erp_ref=item.ref, variant_id=variant_id,
                                    product_id=0))
    if adopted:
        products = dict(ProductVariant.objects.filter(pk__in=[a.variant_id for a in adopted])
                        .values_list("pk", "product_id"))
        for link in adopted:
            link.product_id = products[link.variant_id]
        ItemLink.objects.bulk_create(adopted)
        links.update({link.erp_ref: link for link in adopted})

    new = [item for item in items if item.ref not in links]
    changed = [item for item in items if item.ref in links and links[item.ref].fingerprint != fingerprint(item)]
    # A SKU is unique per vendor: one already used by another item falls back to the reference.
    used_skus = {sku for sku, pk in taken.items() if pk not in {links[i.ref].variant_id for i in changed}}
    sku_of: dict[str, str] = {}
    for item in new + changed:
        own = {links[item.ref].variant_id} if item.ref in links else set()
        sku = item.sku or item.ref
        if (sku in used_skus and taken.get(sku) not in own) or not ctx.claim_sku(sku, item.ref):
            issues.append(Issue(f"SKU {sku!r} is used by another item: the reference is used instead.",
                                item_ref=item.ref, rejected=False))
            sku = item.ref
        used_skus.add(sku)
        sku_of[item.ref] = sku
    if new:
        result.created, created_ids = _create(ctx, new, sku_of, issues)
        result.product_ids += created_ids
    if changed:
        result.updated, result.archived = _update(ctx, changed, links, sku_of, issues)
        result.product_ids += [links[item.ref].product_id for item in changed]
    unchanged = [links[i.ref].pk for i in items if i.ref in links and i not in changed]
    if unchanged:
        ItemLink.objects.filter(pk__in=unchanged).update(last_seen_at=timezone.now())
    new_refs = {item.ref for item in new}  # created with their quantity already
    levels = {item.ref: item.quantity for item in items if item.quantity is not None and item.ref not in new_refs}
    if levels:
        result.stock_updated, result.conflicts = apply_stock_levels(ctx, levels)
    return result


def _create(ctx: Context, items: list[ErpItem], sku_of: dict[str, str], issues: list[Issue]) -> tuple[int, list[int]]:
    vendor_id = ctx.connection.vendor_id
    product_ids = allocate_ids(Product, len(items))
    variant_ids = allocate_ids(ProductVariant, len(items))
    now = timezone.now()
    products, variants, product_listings, variant_listings, stocks, grades, links = [], [], [], [], [], [], []
    for product_id, variant_id, item in zip(product_ids, variant_ids, items, strict=True):
        category_id = _category_of(ctx, item, issues)
        grade_id = _grade_of(ctx, item, category_id, issues)
        visible = _visible(item)
        weight = float(item.weight_kg) if item.weight_kg is not None else None
        products.append({
            "id": product_id, "product_type_id": ctx.category_type.get(category_id, ctx.fallback_type_id),
            "vendor_id": vendor_id, "name": item.name[:250], "slug": _slug(vendor_id, item),
            "description": rich_text(item.description), "description_plaintext": item.description,
            "category_id": category_id, "created_at": now, "weight": weight, "default_variant_id": variant_id,
            "search_index_dirty": True, "seo_title": item.name[:70], "seo_description": item.description[:300],
        })
        variants.append({
            "id": variant_id, "product_id": product_id, "vendor_id": vendor_id, "sku": sku_of[item.ref],
            "name": "", "weight": weight, "created_at": now, "sort_order": 0,
            "external_reference": f"{ctx.vendor.slug}:{item.ref}"[:250],
        })
        for channel in ctx.channels:
            product_listings.append({
                "product_id": product_id, "channel_id": channel.pk, "currency": channel.currency_code,
                "is_published": visible, "published_at": now, "visible_in_listings": visible,
                "available_for_purchase_at": now, "discounted_price_amount": item.price,
            })
            variant_listings.append({"variant_id": variant_id, "channel_id": channel.pk,
                                     "currency": channel.currency_code, "price_amount": item.price})
        quantity = item.quantity if item.quantity is not None else 0
        stocks.append({"warehouse_id": ctx.warehouse.pk, "product_variant_id": variant_id,
                       "quantity": quantity if visible else 0, "quantity_allocated": 0})
        if item.quantity is None and visible:
            ctx.needs_levels.add(item.ref)
        if grade_id:
            grades.append({"variant_id": variant_id, "grade_id": grade_id, "notes": item.condition_notes,
                           "checklist": {}})
        links.append({"connection_id": ctx.connection.pk, "erp_ref": item.ref, "product_id": product_id,
                      "variant_id": variant_id, "image_hashes": [], "fingerprint": fingerprint(item),
                      "last_seen_at": now, "archived": not visible})
    for model, rows in ((Product, products), (ProductVariant, variants), (ProductChannelListing, product_listings),
                        (ProductVariantChannelListing, variant_listings), (Stock, stocks), (VariantGrade, grades)):
        copy_insert(model, rows)
    if not ctx.dry_run:
        # Photos before the links, so each link goes in with its photos' hashes (no second write).
        hashes = image_store.apply_images(
            ctx, [(item, product_id, []) for item, product_id in zip(items, product_ids)], issues)
        for row in links:
            row["image_hashes"] = hashes.get(row["erp_ref"], [])
    copy_insert(ItemLink, links)
    return len(items), product_ids


def _update(ctx: Context, items: list[ErpItem], links: dict[str, ItemLink], sku_of: dict[str, str],
            issues: list[Issue]) -> tuple[int, int]:
    by_product = {links[item.ref].product_id: item for item in items}
    by_variant = {links[item.ref].variant_id: item for item in items}
    products = list(Product.objects.filter(pk__in=by_product).only(
        "pk", "name", "description", "description_plaintext", "category_id", "weight", "seo_title",
        "seo_description", "product_type_id"))
    for product in products:
        item = by_product[product.pk]
        category_id = _category_of(ctx, item, issues)
        product.name = item.name[:250]
        product.description = rich_text(item.description)
        product.description_plaintext = item.description
        if category_id != product.category_id:
            product.category_id = category_id
            product.product_type_id = ctx.category_type.get(category_id, product.product_type_id)
        product.weight = float(item.weight_kg) if item.weight_kg is not None else None
        product.seo_title, product.seo_description = item.name[:70], item.description[:300]
        product.search_index_dirty = True
        product.updated_at = timezone.now()
    Product.objects.bulk_update(products, ["name", "description", "description_plaintext", "category_id",
                                           "product_type_id", "weight", "seo_title", "seo_description",
                                           "search_index_dirty", "updated_at"])
    variants = list(ProductVariant.objects.filter(pk__in=by_variant).only("pk", "sku", "weight"))
    for variant in variants:
        item = by_variant[variant.pk]
        variant.sku = sku_of[item.ref]
        variant.weight = float(item.weight_kg) if item.weight_kg is not None else None
    ProductVariant.objects.bulk_update(variants, ["sku", "weight"])

    # Listings: created where missing (adopted items), then prices and visibility in one statement each.
    ProductChannelListing.objects.bulk_create(
        [ProductChannelListing(product_id=pid, channel=c, currency=c.currency_code) for pid in by_product
         for c in ctx.channels], ignore_conflicts=True)
    ProductVariantChannelListing.objects.bulk_create(
        [ProductVariantChannelListing(variant_id=vid, channel=c, currency=c.currency_code) for vid in by_variant
         for c in ctx.channels], ignore_conflicts=True)
    channel_ids = [c.pk for c in ctx.channels]
    pids = list(by_product)
    sql.fetch(
        f"UPDATE {sql.table(ProductVariantChannelListing)} l SET price_amount = d.price"
        " FROM unnest(%s::int[], %s::numeric[]) d(variant_id, price)"
        " WHERE l.variant_id = d.variant_id AND l.channel_id = ANY(%s) RETURNING 1",
        [list(by_variant), [by_variant[v].price for v in by_variant], channel_ids],
    )
    sql.fetch(
        f"UPDATE {sql.table(ProductChannelListing)} l SET discounted_price_amount = d.price,"
        " is_published = d.visible, visible_in_listings = d.visible,"
        " published_at = COALESCE(l.published_at, now()), available_for_purchase_at ="
        " COALESCE(l.available_for_purchase_at, now())"
        " FROM unnest(%s::int[], %s::numeric[], %s::bool[]) d(product_id, price, visible)"
        " WHERE l.product_id = d.product_id AND l.channel_id = ANY(%s) RETURNING 1",
        [pids, [by_product[p].price for p in pids], [_visible(by_product[p]) for p in pids], channel_ids],
    )
    grades = []
    for item in items:
        link = links[item.ref]
        grade_id = _grade_of(ctx, item, ctx.categories.get(item.category_ref, ctx.default_category_id), issues)
        if grade_id:
            grades.append(VariantGrade(variant_id=link.variant_id, grade_id=grade_id, notes=item.condition_notes))
    if grades:
        VariantGrade.objects.bulk_create(grades, update_conflicts=True, unique_fields=["variant"],
                                         update_fields=["grade", "notes"])

    archived = revived = 0
    now = timezone.now()
    for item in items:
        link = links[item.ref]
        hidden = not _visible(item)
        if hidden and not link.archived:
            archived += 1
        if link.archived and not hidden:
            revived += 1
            if item.quantity is None:
                ctx.needs_levels.add(item.ref)
        link.archived = hidden
        link.fingerprint = fingerprint(item)
        link.last_seen_at = now
    ItemLink.objects.bulk_update([links[i.ref] for i in items], ["archived", "fingerprint", "last_seen_at"])
    if archived:
        # Archived items keep their page (orders point to them) but sell nothing more.
        apply_stock_levels(ctx, {i.ref: 0 for i in items if not _visible(i)})
    if not ctx.dry_run:
        image_store.apply_images(ctx, [(i, links[i.ref].product_id, links[i.ref].image_hashes) for i in items],
                                 issues, links=links)
    return len(items), archived


def archive_missing(ctx: Context) -> int:
    """Full runs: items the ERP no longer lists (deleted there) are archived."""
    rejected = {issue.item_ref for issue in ctx.issues if issue.rejected and issue.item_ref}
    missing = [
        ref for ref in ItemLink.objects.filter(connection=ctx.connection, archived=False)
        .values_list("erp_ref", flat=True) if ref not in ctx.seen_refs and ref not in rejected
    ]
    if not missing:
        return 0
    links = ItemLink.objects.filter(connection=ctx.connection, erp_ref__in=missing)
    product_ids = list(links.values_list("product_id", flat=True))
    ProductChannelListing.objects.filter(product_id__in=product_ids).update(is_published=False,
                                                                            visible_in_listings=False)
    links.update(archived=True, fingerprint="")
    apply_stock_levels(ctx, dict.fromkeys(missing, 0))
    return len(missing)


# -- stock ----------------------------------------------------------------------------------------


def _acknowledged(stock_ids: list[int]) -> dict[int, int]:
    """Units allocated on these stocks to vendor orders whose sale the ERP has acknowledged."""
    if not stock_ids:
        return {}
    rows = sql.fetch(
        f"SELECT a.stock_id, SUM(a.quantity_allocated) FROM {sql.table(Allocation)} a"
        f" JOIN {sql.table(OrderLine)} ol ON ol.id = a.order_line_id"
        f" JOIN {sql.table(SalePushJob)} j ON j.vendor_order_id = ol.vendor_order_id"
        "  AND j.action = %s AND j.status = %s"
        " WHERE a.stock_id = ANY(%s) GROUP BY 1",
        [SalePushAction.PUSH, SalePushStatus.DONE, stock_ids],
    )
    return {stock_id: int(total) for stock_id, total in rows}


def apply_stock_levels(ctx: Context, levels: dict[str, int], *, missing_to_zero: bool = False) -> tuple[int, int]:
    """Set the ERP's quantities (see the module docstring for the rule); returns (stocks changed,
    conflicts flagged). ``missing_to_zero``: ``levels`` is the ERP's whole answer, items absent
    from it have none."""
    # One read of every concerned item's link and stock row, the ERP's answer joined in SQL.
    refs, quantities = list(levels), [max(int(q or 0), 0) for q in levels.values()]
    rows = sql.fetch(
        f"SELECT l.variant_id, CASE WHEN l.archived THEN 0 ELSE COALESCE(d.quantity, 0) END,"
        f" s.id, s.quantity, s.quantity_allocated FROM {sql.table(ItemLink)} l"
        f" {'LEFT ' if missing_to_zero else ''}JOIN unnest(%s::text[], %s::int[]) d(ref, quantity)"
        " ON d.ref = l.erp_ref"
        f" LEFT JOIN {sql.table(Stock)} s ON s.product_variant_id = l.variant_id AND s.warehouse_id = %s"
        " WHERE l.connection_id = %s",
        [refs, quantities, ctx.warehouse.pk, ctx.connection.pk],
    )
    if not rows:
        return 0, 0
    wanted = {variant_id: erp for variant_id, erp, *_stock in rows}
    stocks = {variant_id: (stock_id, quantity, allocated)
              for variant_id, _erp, stock_id, quantity, allocated in rows if stock_id is not None}
    missing = [v for v in wanted if v not in stocks]
    if missing:
        Stock.objects.bulk_create([Stock(warehouse_id=ctx.warehouse.pk, product_variant_id=v, quantity=wanted[v])
                                   for v in missing])
    acknowledged = _acknowledged([s[0] for s in stocks.values() if s[2] > 0])
    ids, quantities, short = [], [], {}
    for variant_id, (stock_id, quantity, allocated) in stocks.items():
        erp = wanted[variant_id]
        acked = acknowledged.get(stock_id, 0)
        target = erp + acked
        if target != quantity:
            ids.append(stock_id)
            quantities.append(target)
        if allocated - acked > erp:
            short[stock_id] = erp
    if ids:
        sql.fetch(
            f"UPDATE {sql.table(Stock)} s SET quantity = d.quantity FROM unnest(%s::int[], %s::int[])"
            " d(id, quantity) WHERE s.id = d.id RETURNING 1",
            [ids, quantities],
        )
    conflicts = _flag_conflicts(short) if short else 0
    return len(ids) + len(missing), conflicts


def _flag_conflicts(short: dict[int, int]) -> int:
    """Stocks whose ERP quantity (value) does not cover their unacknowledged allocations: the
    oldest orders keep the units the ERP still has, each later line gets a conflict."""
    allocations = (
        Allocation.objects.filter(stock_id__in=list(short), quantity_allocated__gt=0)
        .exclude(order_line__vendor_order__erp_push_jobs__action=SalePushAction.PUSH,
                 order_line__vendor_order__erp_push_jobs__status=SalePushStatus.DONE)
        .select_related("order_line")
        .order_by("stock_id", "order_line__created_at", "pk")
    )
    covered = dict(short)
    conflicts = []
    for allocation in allocations:
        line = allocation.order_line
        left = covered[allocation.stock_id]
        if left >= allocation.quantity_allocated:
            covered[allocation.stock_id] = left - allocation.quantity_allocated
            continue
        covered[allocation.stock_id] = 0
        conflicts.append(ErpConflict(
            vendor_order_id=line.vendor_order_id, line=line,
            reason=(f"Sold in the shop too: the ERP has {left} of {line.product_name} left for "
                    f"{allocation.quantity_allocated} sold online."),
        ))
    open_lines = set(ErpConflict.objects.filter(line_id__in=[c.line_id for c in conflicts], resolved_at__isnull=True)
                     .values_list("line_id", flat=True))
    created = ErpConflict.objects.bulk_create([c for c in conflicts if c.line_id not in open_lines])
    if created:
        record_conflict_events(created)
    return len(created)


# -- runs -----------------------------------------------------------------------------------------


def _reconciliation_due(connection: ErpConnection, full: bool) -> bool:
    if full or connection.last_full_reconciliation_at is None:
        return True
    every = timedelta(minutes=settings.ERP_FULL_RECONCILIATION_MINUTES)
    return connection.last_full_reconciliation_at <= timezone.now() - every


def _since(cursor: datetime | None) -> datetime | None:
    return cursor - timedelta(seconds=settings.ERP_CURSOR_OVERLAP_SECONDS) if cursor else None


_DONE = object()


def prefetched(batches: Iterator[list[ErpItem]]) -> Generator[list[ErpItem], None, None]:
    """The connector's batches, the next one fetched in a thread while the current one is
    written: the ERP's answer time and our database time overlap instead of adding up.
    Connectors do no database work, so the thread needs no connection of its own; an error of
    the ERP reaches the caller at the batch where it happened."""
    slot: queue.Queue = queue.Queue(maxsize=1)
    stop = threading.Event()

    def produce() -> None:
        try:
            for batch in batches:
                while not stop.is_set():
                    try:
                        slot.put((batch, None), timeout=0.2)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            slot.put((_DONE, None))
        except BaseException as exc:  # handed to the consumer, which raises it
            slot.put((_DONE, exc))

    thread = threading.Thread(target=produce, name="erp-sync-prefetch", daemon=True)
    thread.start()
    try:
        while True:
            batch, error = slot.get()
            if error is not None:
                raise error
            if batch is _DONE:
                return
            yield batch
    finally:
        stop.set()
        thread.join(timeout=30)


# Tables a batch looks items up in, by reference or SKU.
_LOOKUP_TABLES = (ItemLink, ProductVariant)


def _refresh_statistics(ctx: Context, created: int) -> None:
    """ANALYZE the lookup tables each time a run has doubled what they held at the last one.
    A first import fills them faster than autovacuum notices: with the statistics of empty
    tables the planner scans them whole for every batch, and the import slows down as it grows."""
    ctx.created_since_analyze += created
    if ctx.dry_run or ctx.created_since_analyze < max(1000, ctx.rows_at_analyze):
        return
    with db.cursor() as cursor:
        cursor.execute("ANALYZE " + ", ".join(sql.table(model) for model in _LOOKUP_TABLES))
    ctx.rows_at_analyze += ctx.created_since_analyze
    ctx.created_since_analyze = 0


def _fast_commit() -> None:
    """This transaction's commit does not wait for its WAL flush. A database crash in the next
    fraction of a second may lose the batch, never half of it: its cursor goes with it, so the
    next run fetches it again. Catalogue batches only, never orders or payments."""
    with db.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit TO off")


def _commit_issues(ctx: Context, issues: list[Issue]) -> None:
    ctx.issues.extend(issues)


def _save_run(run: SyncRun, totals: BatchResult, **extra) -> None:
    for name in ("seen", "created", "updated", "archived", "rejected", "stock_updated", "conflicts"):
        setattr(run, name, getattr(totals, name))
    for name, value in extra.items():
        setattr(run, name, value)
    run.save()


def _last_change(batch: Sequence[ErpItem]) -> datetime | None:
    return max((item.updated_at for item in batch if item.updated_at), default=None)


def _move_items_cursor(connection: ErpConnection, stamp: datetime | None) -> None:
    if stamp and (connection.items_cursor is None or stamp > connection.items_cursor):
        connection.items_cursor = stamp
        ErpConnection.objects.filter(pk=connection.pk).update(items_cursor=stamp)


def _batch_done(ctx: Context, connector: Connector, batch: Sequence[ErpItem], result: BatchResult,
                issues: list[Issue], totals: BatchResult, progress: Callable[[int], None] | None) -> None:
    """The run's record after a committed batch: counts, issues, progress."""
    run = ctx.run
    totals.add(result)
    if run.total is None:
        run.total = getattr(connector, "expected_items", None)
    _commit_issues(ctx, issues)
    ctx.indexed += len(result.product_ids)
    _refresh_statistics(ctx, result.created)
    _save_run(run, totals)
    if progress:
        progress(len(batch))


def _write_in_parallel(ctx: Context, connector: Connector, batches: Generator[list[ErpItem], None, None], writers: int,
                       totals: BatchResult, progress: Callable[[int], None] | None) -> None:
    """Batches applied by ``writers`` threads, each on its own database connection and each batch
    in its own transaction, so PostgreSQL writes one batch while Python prepares the next.

    Batches may commit out of order: the items cursor moves only over the batches committed
    without a gap before them (right after their commits, not inside them; a crash in between
    only means those items are read again, and their fingerprints make that a no-op). SKUs are
    claimed run-wide (``Context.claim_sku``), as a batch cannot see another's uncommitted items.
    An error stops the dispatch; the batches under way finish, whole or not at all."""
    inbox: queue.Queue = queue.Queue()
    outbox: queue.Queue = queue.Queue()

    def write() -> None:
        try:
            while (task := inbox.get()) is not None:
                index, batch = task
                issues: list[Issue] = []
                try:
                    with transaction.atomic():
                        _fast_commit()
                        result = apply_items(ctx, batch, issues)
                    outbox.put((index, batch, result, issues, None))
                except BaseException as exc:  # reported to the dispatcher, which stops the run
                    outbox.put((index, batch, None, issues, exc))
        finally:
            db.close()  # this thread's own connection

    threads = [threading.Thread(target=write, name=f"erp-sync-writer-{n}", daemon=True) for n in range(writers)]
    for thread in threads:
        thread.start()
    stamps: dict[int, datetime | None] = {}
    done: set[int] = set()
    next_in_order = 0
    in_flight = 0
    error: BaseException | None = None

    def collect() -> None:
        nonlocal in_flight, next_in_order, error
        index, batch, result, issues, exc = outbox.get()
        in_flight -= 1
        if exc is not None:
            error = error or exc
            return
        done.add(index)
        while next_in_order in done:
            _move_items_cursor(ctx.connection, stamps.pop(next_in_order))
            next_in_order += 1
        _batch_done(ctx, connector, batch, result, issues, totals, progress)

    try:
        for index, batch in enumerate(batches):
            while in_flight >= writers and error is None:
                collect()
            if error is not None:
                break
            stamps[index] = _last_change(batch)
            inbox.put((index, batch))
            in_flight += 1
    except BaseException as exc:  # the ERP failed mid-run: what was sent still finishes
        error = exc
    finally:
        batches.close()  # stops the prefetching thread when the run ends early
        while in_flight:
            collect()
        for _thread in threads:
            inbox.put(None)
        for thread in threads:
            thread.join()
    if error is not None:
        raise error


def _execute(ctx: Context, connector: Connector, full: bool, progress: Callable[[int], None] | None,
             batch_size: int, totals: BatchResult) -> None:
    connection, run = ctx.connection, ctx.run
    is_file = connection.kind == ConnectionKind.FILE
    full = full or is_file
    try:
        sync_categories(ctx, connector.categories())
    except NotImplementedError:
        pass
    since = None if full else _since(connection.items_cursor)
    batches = prefetched(connector.items(changed_since=since, batch_size=batch_size))
    # Writers on connections of their own commit batches on their own, which a run inside a
    # transaction (a dry run, a test) cannot: it writes them one after the other on its own.
    writers = 1 if db.in_atomic_block else max(settings.ERP_SYNC_WRITERS, 1)
    if writers == 1:
        for batch in batches:
            issues: list[Issue] = []
            with transaction.atomic():
                _fast_commit()
                result = apply_items(ctx, batch, issues)
                _move_items_cursor(connection, _last_change(batch))
            _batch_done(ctx, connector, batch, result, issues, totals, progress)
    else:
        _write_in_parallel(ctx, connector, batches, writers, totals, progress)
    for row in getattr(connector, "rejected", ()):
        ctx.issues.append(Issue(row.reason, item_ref=row.reference, row_number=row.line))
        totals.rejected += 1
    if full:
        with transaction.atomic():
            totals.archived += archive_missing(ctx)
    if not is_file:
        since = _since(connection.stock_cursor)
        changes = connector.stock_changes(changed_since=since)
        with transaction.atomic():
            # Without a cursor the answer lists every stocked item: it is a full reconciliation too.
            updated, conflicts = apply_stock_levels(ctx, changes.levels, missing_to_zero=since is None)
            if changes.cursor and (connection.stock_cursor is None or changes.cursor > connection.stock_cursor):
                connection.stock_cursor = changes.cursor
                ErpConnection.objects.filter(pk=connection.pk).update(stock_cursor=changes.cursor)
            if since is None:
                connection.last_full_reconciliation_at = run.started_at
                ErpConnection.objects.filter(pk=connection.pk).update(last_full_reconciliation_at=run.started_at)
                ctx.needs_levels.clear()
        totals.stock_updated += updated
        totals.conflicts += conflicts
        if since is not None and _reconciliation_due(connection, full):
            levels = connector.stock_levels()
            with transaction.atomic():
                updated, conflicts = apply_stock_levels(ctx, levels, missing_to_zero=True)
                connection.last_full_reconciliation_at = run.started_at
                ErpConnection.objects.filter(pk=connection.pk).update(last_full_reconciliation_at=run.started_at)
            ctx.needs_levels.clear()
            totals.stock_updated += updated
            totals.conflicts += conflicts
        elif ctx.needs_levels:
            levels = connector.stock_levels(sorted(ctx.needs_levels))
            with transaction.atomic():
                updated, conflicts = apply_stock_levels(ctx, {ref: levels.get(ref, 0) for ref in ctx.needs_levels})
            totals.stock_updated += updated
            totals.conflicts += conflicts


def run_sync(
    connection: ErpConnection,
    *,
    full: bool = False,
    connector: Connector | None = None,
    dry_run: bool = False,
    progress: Callable[[int], None] | None = None,
    batch_size: int | None = None,
) -> SyncRun | None:
    """Pull the member's changes (everything when ``full``); see the module docstring.

    Returns the recorded run (``status`` failed with ``error`` when the ERP or a batch failed:
    what committed before stays, the next run resumes), or None when a run for this member is
    already going. ``dry_run`` applies everything in a transaction it then rolls back (run
    included) and fetches no photos: the returned run tells what would have happened.
    """
    with connection_lock(connection.pk) as acquired:
        if not acquired:
            return None
        if dry_run:
            with transaction.atomic():
                run = _run(connection, full, connector, True, progress, batch_size)
                transaction.set_rollback(True)
            return run
        return _run(connection, full, connector, False, progress, batch_size)


def _run(connection: ErpConnection, full: bool, connector: Connector | None, dry_run: bool,
         progress: Callable[[int], None] | None, batch_size: int | None) -> SyncRun:
    connection.refresh_from_db()
    kind = SyncRunKind.FILE if connection.kind == ConnectionKind.FILE else (
        SyncRunKind.FULL if full else SyncRunKind.INCREMENTAL)
    started = time.monotonic()
    run = SyncRun.objects.create(connection=connection, kind=kind)
    ErpConnection.objects.filter(pk=connection.pk).update(last_run_started_at=run.started_at)
    totals = BatchResult()
    ctx: Context | None = None
    try:
        ctx = build_context(connection, run, dry_run=dry_run)
        _execute(ctx, connector or connector_for(connection), full, progress,
                 batch_size or settings.ERP_BATCH_SIZE, totals)
        run.status = SyncRunStatus.SUCCEEDED
        ErpConnection.objects.filter(pk=connection.pk).update(last_success_at=timezone.now())
    except Exception as exc:  # the ERP or a batch failed: recorded on the run, the next run resumes
        logger.warning("ERP sync of %s failed", connection, exc_info=True)
        run.status = SyncRunStatus.FAILED
        run.error = f"{type(exc).__name__}: {exc}"
    if ctx and ctx.indexed:
        # One indexing task for the run's committed batches (searchable a moment later; the
        # beat task catches up on anything left dirty), queued rather than done batch by batch.
        transaction.on_commit(partial(update_products_search_vector_task.delay, limit=ctx.indexed))
    issues = ctx.issues if ctx else []
    _save_run(run, totals, finished_at=timezone.now(), duration_seconds=round(time.monotonic() - started, 3))
    SyncRunIssue.objects.bulk_create([
        SyncRunIssue(run=run, item_ref=i.item_ref[:128], row_number=i.row_number, reason=i.reason,
                     rejected=i.rejected) for i in issues
    ])
    run.issue_list = issues
    return run


def due_connections(now: datetime | None = None) -> list[int]:
    """Enabled connections whose interval has passed since their last run started."""
    now = now or timezone.now()
    due = []
    for pk, kind, file_path, interval, last in ErpConnection.objects.filter(enabled=True).values_list(
        "pk", "kind", "file_path", "interval_minutes", "last_run_started_at"
    ):
        if kind == ConnectionKind.FILE and not file_path:
            continue
        if last is None or last + timedelta(minutes=max(interval, 1)) <= now:
            due.append(pk)
    return due


