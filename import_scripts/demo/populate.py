"""Writes the demo marketplace: users, member shops, warehouses and a catalogue of graded items.

Rows are written with bulk_create in batches and without per-row plugin hooks (the vendor channel
listings the plugin would add are written directly); the search index is rebuilt set-based at
the end. Last, a dozen demo orders are bought and handled through the real services (orders.py).
Idempotent: shops, users and items are matched by e-mail or slug, orders by their scenario key,
and only what is missing is created.
"""

from __future__ import annotations

import random
from collections import defaultdict
from contextlib import nullcontext
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils.text import slugify as django_slugify
from tqdm import tqdm

from import_scripts.config_loader import SELECT_COLLECTION_SLUG, load_storefront_config
from plugins.grading.models import Grade, GradingScheme, VariantGrade
from saleor_ext.account.models import Address, User
from saleor_ext.attribute.models import (
    AssignedProductAttributeValue,
    AssignedVariantAttribute,
    AssignedVariantAttributeValue,
    Attribute,
    AttributeProduct,
    AttributeValue,
    AttributeVariant,
)
from saleor_ext.channel.models import Channel
from saleor_ext.core.bulk import allocate_ids, copy_insert_many
from saleor_ext.core.rich_text import editorjs_from_text
from saleor_ext.product.models import (
    Category,
    Collection,
    CollectionProduct,
    Product,
    ProductChannelListing,
    ProductMedia,
    ProductTranslation,
    ProductType,
    ProductVariant,
    ProductVariantChannelListing,
)
from saleor_ext.product.search import search_indexes_suspended, update_products_search_vector
from saleor_ext.vendor.models import Vendor, VendorRole, VendorStatus
from saleor_ext.vendor.services import vendor_create, vendor_staff_add
from saleor_ext.warehouse.models import ChannelWarehouse, Stock, Warehouse

from .images import ensure_image_pool
from .orders import ensure_demo_orders, pickup_option
from .planning import EPOCH, GradeInfo, ItemPlan, plan_catalogue
from .shipping import ensure_demo_shipping
from .shops import ShopSpec, shop_specs
from .vocabulary import LEAVES

BATCH_SIZE = 2000
slugify = lru_cache(maxsize=None)(django_slugify)
SELECT_SIZE = 60
# From this many new items on, the search indexes are built once at the end rather than row by row.
BULK_INDEX_THRESHOLD = 20000
ADMIN_EMAIL, ADMIN_PASSWORD = "admin@example.com", "admin"
CUSTOMER_EMAIL, CUSTOMER_PASSWORD = "customer@example.com", "customer"
STAFF_PASSWORD = "demo1234"


@dataclass
class PopulateResult:
    vendors_created: int
    products_created: int
    products_total: int
    orders_created: int = 0


# -- users and shops ------------------------------------------------------------------------


def staff_email(vendor_slug: str) -> str:
    return f"staff@{vendor_slug}.example"


def ensure_users() -> None:
    if not User.objects.filter(email=ADMIN_EMAIL).exists():
        User.objects.create_superuser(ADMIN_EMAIL, ADMIN_PASSWORD, first_name="Admin", last_name="Fédération")
    if not User.objects.filter(email=CUSTOMER_EMAIL).exists():
        customer = User.objects.create_user(CUSTOMER_EMAIL, CUSTOMER_PASSWORD, first_name="Camille",
                                            last_name="Dubois")
        address = Address.objects.create(first_name="Camille", last_name="Dubois",
                                         street_address_1="Rue de Bruxelles 61", postal_code="5000", city="Namur",
                                         country="BE", phone="+32 81 22 33 44")
        customer.addresses.add(address)
        customer.default_shipping_address = customer.default_billing_address = address
        customer.save(update_fields=["default_shipping_address", "default_billing_address"])


def _address(shop: ShopSpec) -> Address:
    return Address.objects.create(
        company_name=shop.name,
        street_address_1=f"{shop.street} {shop.number}",
        postal_code=shop.town.postal_code,
        city=shop.town.name,
        country="BE",
        phone=shop.phone,
    )


def ensure_shop(shop: ShopSpec, marketplace: Channel, staff_password_hash: str) -> tuple[Vendor, Warehouse, bool]:
    """The shop's vendor (created through the vendor service, so its channel exists), warehouse and staff."""
    vendor = Vendor.objects.filter(slug=shop.slug).first()
    created = vendor is None
    if created:
        digits = shop.enterprise_number.replace(".", "")
        vendor = vendor_create(
            name=shop.name,
            slug=shop.slug,
            enterprise_number=shop.enterprise_number,
            vat_number=f"BE{digits}",
            address=_address(shop),
            opening_hours=shop.opening_hours,
            description=f"{shop.kind.description} Installée à {shop.town.name}.",
            email=f"contact@{shop.slug}.example",
            phone=shop.phone,
            commission_rate=Decimal("8.00") + Decimal(shop.index % 5),
            status=VendorStatus.ACTIVE,
        )
    vendor_channel = Channel.objects.get(vendor=vendor)
    warehouse = Warehouse.objects.filter(vendor=vendor).order_by("slug").first()
    if warehouse is None:
        warehouse = Warehouse.objects.create(
            vendor=vendor,
            name=f"{shop.name} – {shop.town.name}",
            slug=f"{shop.slug}-magasin",
            address=_address(shop),
            email=vendor.email,
            is_private=False,
            click_and_collect_option=pickup_option(shop.index),
        )
    for channel in (marketplace, vendor_channel):
        if not ChannelWarehouse.objects.filter(channel=channel, warehouse=warehouse).exists():
            ChannelWarehouse.objects.create(channel=channel, warehouse=warehouse)
    email = staff_email(shop.slug)
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User(email=email, first_name="Équipe", last_name=shop.name[:60], is_staff=True,
                    password=staff_password_hash)
        user.save()
    if not vendor.staff_memberships.filter(user=user).exists():
        vendor_staff_add(vendor=vendor, user=user, role=VendorRole.OWNER)
    return vendor, warehouse, created


# -- catalogue context ------------------------------------------------------------------------


class Catalogue:
    """What the writer needs from the configuration, loaded once."""

    def __init__(self) -> None:
        categories = {c.slug: c for c in Category.objects.all()}
        self.categories = categories
        self.product_types = {pt.slug: pt for pt in ProductType.objects.all()}
        self.leaves_by_root: dict[str, list[str]] = defaultdict(list)
        self.leaf_product_type: dict[str, ProductType] = {}
        for slug in LEAVES:
            category = categories.get(slug)
            if category is None:
                continue
            root = category.get_root().slug if category.parent_id else category.slug
            self.leaves_by_root[root].append(slug)
            self.leaf_product_type[slug] = self.product_types[category.metadata["default_product_type"]]
        self.grades: dict[str, list[Grade]] = {}
        for scheme in GradingScheme.objects.prefetch_related("grades", "categories"):
            grades = sorted(scheme.grades.all(), key=lambda g: g.rank)
            for root in scheme.categories.all():
                self.grades[root.slug] = grades
        self.attributes = {a.slug: a for a in Attribute.objects.all()}
        self.values: dict[int, list[AttributeValue]] = defaultdict(list)
        for value in AttributeValue.objects.order_by("sort_order", "pk"):
            self.values[value.attribute_id].append(value)
        self.product_attributes = defaultdict(set)
        for attribute_id, product_type_id in AttributeProduct.objects.values_list("attribute_id", "product_type_id"):
            self.product_attributes[product_type_id].add(attribute_id)
        self.variant_assignments: dict[tuple[int, int], int] = {
            (av.product_type_id, av.attribute_id): av.pk for av in AttributeVariant.objects.all()
        }

    def grade_infos(self) -> dict[str, list[GradeInfo]]:
        return {
            root: [
                GradeInfo(
                    code=g.code,
                    labels={"FR": g.label_fr, "NL": g.label_nl, "EN": g.label_en},
                    descriptions={"FR": g.description_fr, "NL": g.description_nl, "EN": g.description_en},
                )
                for g in grades
            ]
            for root, grades in self.grades.items()
        }

    # Shared values for per-item attribute types (numbers, booleans, texts) are created on demand.
    def resolve_value(self, attribute: Attribute, planned: tuple[str, object]) -> AttributeValue | tuple:
        kind, data = planned
        if kind == "choice":
            names, draw = data
            candidates = self.values[attribute.pk]
            if names:
                candidates = [v for v in candidates if v.name in names] or candidates
            return candidates[int(draw * len(candidates))] if candidates else None
        if kind == "num":
            number = float(data)
            name = f"{number:g}"
            return (attribute.pk, slugify(name) or "0", name, (("numeric", number),))
        if kind == "bool":
            return (attribute.pk, "true" if data else "false", "Oui" if data else "Non", (("boolean", bool(data)),))
        text = str(data)
        extra = (("plain_text", text),) if attribute.input_type == "plain-text" else ()
        return (attribute.pk, slugify(text)[:250] or "x", text[:250], extra)

    def value_ids(self, wanted: set[tuple]) -> dict[tuple[int, str], int]:
        """Ids of (attribute, slug) values, creating the missing ones in one bulk insert."""
        keys = {(attr_id, slug) for attr_id, slug, _name, _extra in wanted}
        existing = {
            (a, s): pk
            for a, s, pk in AttributeValue.objects.filter(
                attribute_id__in={k[0] for k in keys}, slug__in={k[1] for k in keys}
            ).values_list("attribute_id", "slug", "pk")
        }
        missing = {}
        for attr_id, slug, name, extra in wanted:
            if (attr_id, slug) not in existing and (attr_id, slug) not in missing:
                missing[(attr_id, slug)] = AttributeValue(attribute_id=attr_id, slug=slug, name=name,
                                                          sort_order=0, **dict(extra))
        if missing:
            AttributeValue.objects.bulk_create(list(missing.values()), ignore_conflicts=True)
            existing.update(
                {
                    (a, s): pk
                    for a, s, pk in AttributeValue.objects.filter(
                        attribute_id__in={k[0] for k in missing}, slug__in={k[1] for k in missing}
                    ).values_list("attribute_id", "slug", "pk")
                }
            )
        return existing


# -- items ------------------------------------------------------------------------------------


def _checklist(scheme_checklist: list[dict], plan: ItemPlan) -> dict:
    answers = {}
    for item in scheme_checklist:
        if item.get("type") == "boolean":
            answers[item["code"]] = plan.grade_position <= 2
        elif item.get("type") == "date":
            answers[item["code"]] = (plan.created_at.date()).isoformat()
    return answers


def _write_batch(
    plans: list[ItemPlan],
    catalogue: Catalogue,
    vendors: dict[str, tuple[Vendor, Warehouse, Channel]],
    marketplace: Channel,
    images: dict[str, list[str]],
    checklists: dict[str, list[dict]],
) -> list[int]:
    """Write one batch of planned items with COPY; returns the new product ids."""
    product_ids = allocate_ids(Product, len(plans))
    variant_ids = allocate_ids(ProductVariant, len(plans))
    grades_by_code = {root: {g.code: g.pk for g in grades} for root, grades in catalogue.grades.items()}
    products, variants, translations, product_listings, variant_listings = [], [], [], [], []
    stocks, grades, media, product_values, variant_values = [], [], [], [], []
    wanted_values: set[tuple] = set()

    for product_id, variant_id, plan in zip(product_ids, variant_ids, plans, strict=True):
        vendor, warehouse, vendor_channel = vendors[plan.shop.slug]
        product_type = catalogue.leaf_product_type[plan.category]
        products.append(
            {
                "id": product_id,
                "product_type_id": product_type.pk,
                "vendor_id": vendor.pk,
                "name": plan.names["FR"],
                "slug": plan.slug,
                "description": editorjs_from_text(plan.descriptions["FR"]),
                "description_plaintext": plan.descriptions["FR"],
                "category_id": catalogue.categories[plan.category].pk,
                "created_at": plan.created_at,
                "weight": plan.weight,
                # Foreign keys are checked at commit, so the default variant can be named first.
                "default_variant_id": variant_id,
                "search_index_dirty": True,
                "seo_title": plan.names["FR"][:70],
                "seo_description": plan.descriptions["FR"][:300],
            }
        )
        variants.append(
            {"id": variant_id, "product_id": product_id, "vendor_id": vendor.pk, "sku": plan.sku, "name": "",
             "weight": plan.weight, "created_at": plan.created_at, "sort_order": 0}
        )
        for lang in ("NL", "EN"):
            translations.append(
                {"product_id": product_id, "language_code": lang, "name": plan.names[lang],
                 "description": editorjs_from_text(plan.descriptions[lang])}
            )
        for channel, published in ((marketplace, plan.published), (vendor_channel, True)):
            product_listings.append(
                {"product_id": product_id, "channel_id": channel.pk, "currency": channel.currency_code,
                 "is_published": published, "published_at": plan.created_at, "visible_in_listings": published,
                 "available_for_purchase_at": plan.created_at, "discounted_price_amount": plan.price}
            )
            variant_listings.append(
                {"variant_id": variant_id, "channel_id": channel.pk, "currency": channel.currency_code,
                 "price_amount": plan.price}
            )
        stocks.append({"warehouse_id": warehouse.pk, "product_variant_id": variant_id, "quantity": plan.quantity})
        grades.append(
            {"variant_id": variant_id, "grade_id": grades_by_code[plan.root][plan.grade_code],
             "checklist": _checklist(checklists[plan.root], plan)}
        )
        for position, number in enumerate(plan.media):
            media.append(
                {"product_id": product_id, "image": images[plan.root][number], "alt": plan.names["FR"][:250],
                 "sort_order": position}
            )
        allowed = catalogue.product_attributes[product_type.pk]
        for slug, planned in plan.attributes.items():
            attribute = catalogue.attributes.get(slug)
            if attribute is None or attribute.pk not in allowed:
                continue
            value = catalogue.resolve_value(attribute, planned)
            if isinstance(value, tuple):
                wanted_values.add(value)
            if value is not None:
                product_values.append((product_id, value))
        for slug, planned in plan.variant_attributes.items():
            attribute = catalogue.attributes.get(slug)
            assignment_id = catalogue.variant_assignments.get((product_type.pk, attribute.pk if attribute else 0))
            if assignment_id is None:
                continue
            value = catalogue.resolve_value(attribute, planned)
            if isinstance(value, tuple):
                wanted_values.add(value)
            if value is not None:
                variant_values.append((variant_id, assignment_id, value))

    ids = catalogue.value_ids(wanted_values) if wanted_values else {}

    def value_id(value) -> int:
        return value.pk if isinstance(value, AttributeValue) else ids[(value[0], value[1])]

    assigned, positions, seen = [], defaultdict(int), set()
    for product_id, value in product_values:
        key = (product_id, value_id(value))
        if key in seen:
            continue
        seen.add(key)
        assigned.append({"product_id": product_id, "value_id": key[1], "sort_order": positions[product_id]})
        positions[product_id] += 1
    assignment_ids = allocate_ids(AssignedVariantAttribute, len(variant_values))
    variant_assignments = [
        {"id": assignment_pk, "variant_id": variant_id, "assignment_id": assignment_id}
        for assignment_pk, (variant_id, assignment_id, _value) in zip(assignment_ids, variant_values, strict=True)
    ]
    variant_assigned_values = [
        {"assignment_id": assignment_pk, "value_id": value_id(value), "sort_order": 0}
        for assignment_pk, (_variant, _assignment, value) in zip(assignment_ids, variant_values, strict=True)
    ]
    copy_insert_many(
        [
            (Product, products),
            (ProductVariant, variants),
            (ProductTranslation, translations),
            (ProductChannelListing, product_listings),
            (ProductVariantChannelListing, variant_listings),
            (Stock, stocks),
            (VariantGrade, grades),
            (ProductMedia, media),
            (AssignedProductAttributeValue, assigned),
            (AssignedVariantAttribute, variant_assignments),
            (AssignedVariantAttributeValue, variant_assigned_values),
        ]
    )
    return product_ids


def _select_plans(plans: list[ItemPlan]) -> list[ItemPlan]:
    """Well graded, well photographed, published items, spread over the catalogue."""
    size = min(SELECT_SIZE, max(1, len(plans) // 20))
    candidates = [p for p in plans if p.published and p.grade_position <= 1 and len(p.media) >= 2]
    rng = random.Random(len(plans))
    return sorted(rng.sample(candidates, k=min(size, len(candidates))), key=lambda p: p.index)


def ensure_select_collection(plans: list[ItemPlan]) -> None:
    collection = Collection.objects.filter(slug=SELECT_COLLECTION_SLUG).first()
    if collection is None:
        return
    chosen = _select_plans(plans)
    ids = dict(Product.objects.filter(slug__in=[p.slug for p in chosen]).values_list("slug", "pk"))
    present = set(CollectionProduct.objects.filter(collection=collection).values_list("product_id", flat=True))
    start = len(present)
    rows = []
    for plan in chosen:
        product_id = ids.get(plan.slug)
        if product_id is not None and product_id not in present:
            rows.append(CollectionProduct(collection=collection, product_id=product_id, sort_order=start + len(rows)))
    CollectionProduct.objects.bulk_create(rows, ignore_conflicts=True)


def populate(
    *, items: int = 5000, vendors: int = 12, seed: int = 1, progress: bool = True, if_empty: bool = False
) -> PopulateResult:
    """Create the demo marketplace (see module docstring). Returns what was created."""
    if if_empty and Product.objects.exists():
        return PopulateResult(0, 0, Product.objects.count())
    if not Channel.objects.filter(slug=settings.DEFAULT_CHANNEL_SLUG).exists() or not GradingScheme.objects.exists():
        load_storefront_config()
    marketplace = Channel.objects.get(slug=settings.DEFAULT_CHANNEL_SLUG)

    ensure_users()
    shops = shop_specs(vendors)
    staff_hash = make_password(STAFF_PASSWORD)
    shop_rows: dict[str, tuple[Vendor, Warehouse, Channel]] = {}
    vendors_created = 0
    with transaction.atomic():
        for shop in shops:
            vendor, warehouse, created = ensure_shop(shop, marketplace, staff_hash)
            vendors_created += created
            shop_rows[shop.slug] = (vendor, warehouse, Channel.objects.get(vendor=vendor))
        ensure_demo_shipping([vendor for vendor, _, _ in shop_rows.values()], marketplace)

    catalogue = Catalogue()
    plans = plan_catalogue(items, seed, shops, catalogue.leaves_by_root, catalogue.grade_infos())
    # An item exists when its slug or its SKU (the member's reference) is already there.
    existing = set(Product.objects.filter(slug__in=[p.slug for p in plans]).values_list("slug", flat=True))
    existing_skus = set(
        ProductVariant.objects.filter(sku__in=[p.sku for p in plans]).values_list("vendor__slug", "sku")
    )
    todo = [p for p in plans if p.slug not in existing and (p.shop.slug, p.sku) not in existing_skus]
    # Written category by category: a search or a category page then reads few, dense heap pages.
    todo.sort(key=lambda p: (p.category, p.index))
    labels = {root: catalogue.categories[root].name for root in catalogue.leaves_by_root}
    images = ensure_image_pool(labels)
    checklists = {root: scheme[0].scheme.checklist if scheme else [] for root, scheme in catalogue.grades.items()}

    created_ids: list[int] = []
    with tqdm(total=len(todo), unit="item", desc="items", disable=not progress) as bar:
        for start in range(0, len(todo), BATCH_SIZE):
            batch = todo[start : start + BATCH_SIZE]
            with transaction.atomic():
                created_ids += _write_batch(batch, catalogue, shop_rows, marketplace, images, checklists)
            bar.update(len(batch))
    ensure_select_collection(plans)
    if created_ids:
        # Fresh planner statistics first: on tables the planner still believes empty, the index
        # rebuild's joins (and later the listing queries) get nested-loop plans that take minutes.
        _analyze(*ANALYZED_AFTER_LOAD)
        bulk = len(created_ids) >= BULK_INDEX_THRESHOLD
        with (
            search_indexes_suspended() if bulk else nullcontext(),
            tqdm(total=len(created_ids), unit="item", desc="search index", disable=not progress) as bar,
        ):
            for start in range(0, len(created_ids), 5 * BATCH_SIZE):
                chunk = created_ids[start : start + 5 * BATCH_SIZE]
                update_products_search_vector(chunk)
                bar.update(len(chunk))
    if created_ids:
        _analyze(Product)
    orders_created = ensure_demo_orders(
        vendors=[vendor for vendor, _, _ in shop_rows.values()],
        customer_email=CUSTOMER_EMAIL,
        staff_email_of=staff_email,
        seed=seed,
    )
    return PopulateResult(vendors_created, len(created_ids), Product.objects.count(), orders_created)


ANALYZED_AFTER_LOAD = (
    Product,
    ProductTranslation,
    ProductVariant,
    ProductChannelListing,
    ProductVariantChannelListing,
    Stock,
    AttributeValue,
    AssignedProductAttributeValue,
    AssignedVariantAttribute,
    AssignedVariantAttributeValue,
)


def _analyze(*models) -> None:
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {model._meta.db_table}")


__all__ = ["EPOCH", "populate", "PopulateResult", "staff_email"]
