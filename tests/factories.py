"""Small builders of real rows for tests: call them with only what the test is about.

Every builder writes through the same services the application uses where one exists (a vendor
created here has its ``shop-<slug>`` channel, a vendor staff member is in the "Vendor staff" group).
"""

from __future__ import annotations

import itertools
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone
from django.utils.text import slugify

from saleor_ext.account.models import Address, User
from saleor_ext.channel.models import Channel
from saleor_ext.product.models import (
    Category,
    Product,
    ProductChannelListing,
    ProductType,
    ProductVariant,
    ProductVariantChannelListing,
)
from saleor_ext.vendor.models import Vendor
from saleor_ext.vendor.services import vendor_create, vendor_staff_add
from saleor_ext.warehouse.models import Stock, Warehouse

PASSWORD = "correct horse battery staple"
_counter = itertools.count(1)


def _unique(prefix: str) -> str:
    return f"{prefix}-{next(_counter)}"


def make_address(**fields) -> Address:
    defaults = {"street_address_1": "Rue de la Loi 16", "postal_code": "1000", "city": "Bruxelles", "country": "BE"}
    return Address.objects.create(**{**defaults, **fields})


def make_user(email: str | None = None, *, password: str = PASSWORD, **fields) -> User:
    return User.objects.create_user(email or f"{_unique('user')}@example.org", password, **fields)


def make_superuser(email: str | None = None, *, password: str = PASSWORD) -> User:
    return User.objects.create_superuser(email or f"{_unique('admin')}@example.org", password)


def make_vendor(name: str | None = None, *, slug: str | None = None, **fields) -> Vendor:
    name = name or _unique("Shop")
    fields.setdefault("status", "active")
    return vendor_create(name=name, slug=slug or slugify(name), **fields)


def make_vendor_staff(*vendors: Vendor, email: str | None = None, role: str = "staff") -> User:
    """A back-office user working for ``vendors``."""
    user = make_user(email)
    for vendor in vendors:
        vendor_staff_add(vendor=vendor, user=user, role=role)
    return user


def make_channel(slug: str = "marketplace", **fields) -> Channel:
    defaults = {"name": slug.title(), "is_active": True, "currency_code": "EUR", "default_country": "BE"}
    channel, _ = Channel.objects.get_or_create(slug=slug, defaults={**defaults, **fields})
    return channel


def make_category(name: str | None = None, *, parent: Category | None = None) -> Category:
    name = name or _unique("Category")
    return Category.objects.create(name=name, slug=slugify(name), parent=parent)


def make_product_type(name: str | None = None, **fields) -> ProductType:
    name = name or _unique("Type")
    fields.setdefault("has_variants", False)
    return ProductType.objects.create(name=name, slug=slugify(name), **fields)


def make_warehouse(vendor: Vendor, name: str | None = None, **fields) -> Warehouse:
    name = name or _unique(f"{vendor.slug} store")
    fields.setdefault("address", make_address(company_name=name))
    return Warehouse.objects.create(vendor=vendor, name=name, slug=slugify(name), **fields)


def make_product(
    vendor: Vendor,
    name: str | None = None,
    *,
    sku: str | None = None,
    price: Decimal | str = "10.00",
    quantity: int = 1,
    channel: Channel | None = None,
    warehouse: Warehouse | None = None,
    category: Category | None = None,
    product_type: ProductType | None = None,
) -> Product:
    """A published product with one variant, priced in ``channel`` and stocked in ``warehouse``."""
    name = name or _unique("Item")
    channel = channel or make_channel()
    price = Decimal(price)
    product = Product.objects.create(
        vendor=vendor,
        name=name,
        slug=_unique(slugify(name)),
        product_type=product_type or make_product_type(),
        category=category,
    )
    variant = ProductVariant.objects.create(product=product, vendor=vendor, sku=sku or _unique("SKU"))
    product.default_variant = variant
    product.save(update_fields=["default_variant"])
    ProductVariantChannelListing.objects.create(
        variant=variant, channel=channel, currency=channel.currency_code, price_amount=price
    )
    ProductChannelListing.objects.create(
        product=product,
        channel=channel,
        currency=channel.currency_code,
        is_published=True,
        visible_in_listings=True,
        discounted_price_amount=price,
        available_for_purchase_at=timezone.now() - timedelta(days=1),
    )
    Stock.objects.create(product_variant=variant, warehouse=warehouse or make_warehouse(vendor), quantity=quantity)
    return product
