"""One batch of ERP items written to the catalogue: new items by COPY, changed ones by bulk
updates, unchanged ones (same fingerprint) at no write; items the ERP no longer lists archived."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from django.utils import timezone
from django.utils.text import slugify

from plugins.grading.models import VariantGrade
from saleor_ext.core import sql
from saleor_ext.core.bulk import allocate_ids, copy_insert
from saleor_ext.core.rich_text import editorjs_from_text
from saleor_ext.product.models import Product, ProductChannelListing, ProductVariant, ProductVariantChannelListing
from saleor_ext.warehouse.models import Stock

from ..connectors.base import ErpItem
from ..models import ItemLink
from . import images as image_store
from .categories import category_of, grade_of
from .context import BatchResult, Context, Issue
from .stock import apply_stock_levels


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
        category_id = category_of(ctx, item, issues)
        grade_id = grade_of(ctx, item, category_id, issues)
        visible = _visible(item)
        weight = float(item.weight_kg) if item.weight_kg is not None else None
        products.append({
            "id": product_id, "product_type_id": ctx.category_type.get(category_id, ctx.fallback_type_id),
            "vendor_id": vendor_id, "name": item.name[:250], "slug": _slug(vendor_id, item),
            "description": editorjs_from_text(item.description), "description_plaintext": item.description,
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
        category_id = category_of(ctx, item, issues)
        product.name = item.name[:250]
        product.description = editorjs_from_text(item.description)
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
        grade_id = grade_of(ctx, item, ctx.categories.get(item.category_ref, ctx.default_category_id), issues)
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
