"""`populatedb` builds a believable, graded, searchable demo marketplace, the same every time."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command

from plugins.grading.loader import scheme_for_category
from plugins.grading.models import VariantGrade
from saleor_ext.account.models import User
from saleor_ext.attribute.models import AssignedProductAttributeValue
from saleor_ext.channel.models import Channel
from saleor_ext.product.models import (
    Collection,
    Product,
    ProductChannelListing,
    ProductMedia,
    ProductTranslation,
    ProductVariant,
    ProductVariantChannelListing,
)
from saleor_ext.product.search import search_products
from saleor_ext.vendor.models import Vendor, VendorStaff
from saleor_ext.warehouse.models import ChannelWarehouse, Stock, Warehouse

ARGS = ["--items", "60", "--vendors", "3", "--seed", "7", "--no-progress"]
COUNTED = (Vendor, User, Warehouse, ChannelWarehouse, Channel, Product, ProductVariant, ProductTranslation,
           ProductChannelListing, ProductVariantChannelListing, Stock, VariantGrade, ProductMedia,
           AssignedProductAttributeValue)


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    # Password hashing strength is not under test here and costs seconds per run.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return tmp_path


def snapshot() -> list[tuple]:
    return list(
        Product.objects.order_by("slug").values_list(
            "slug", "name", "vendor__slug", "category__slug", "variants__sku",
            "variants__grading__grade__code", "channel_listings__discounted_price_amount",
        ).filter(channel_listings__channel__slug="marketplace")
    )


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


@pytest.fixture
def demo(db, media_root):
    call_command("populatedb", *ARGS)


def test_second_run_creates_nothing(demo):
    before, slugs = counts(), snapshot()
    call_command("populatedb", *ARGS)
    assert counts() == before
    assert snapshot() == slugs
    assert before["Product"] == 60 and before["Vendor"] == 3


def test_same_seed_gives_the_same_catalogue(demo):
    first = snapshot()
    Product.objects.all().delete()
    call_command("populatedb", *ARGS)
    assert snapshot() == first
    call_command("populatedb", "--items", "60", "--vendors", "3", "--seed", "8", "--no-progress")
    assert Product.objects.count() > 60  # another seed plans other items


def test_if_empty_leaves_an_existing_catalogue_alone(demo):
    call_command("populatedb", "--items", "80", "--vendors", "3", "--if-empty", "--no-progress")
    assert Product.objects.count() == 60


def test_every_item_is_graded_in_its_category_scheme_and_listed_in_both_channels(demo):
    marketplace = Channel.objects.get(slug="marketplace")
    for product in Product.objects.select_related("category", "vendor__channel"):
        variant = product.variants.get()
        assert product.default_variant_id == variant.pk
        grade = VariantGrade.objects.get(variant=variant).grade
        assert grade.scheme == scheme_for_category(product.category)
        listings = {listing.channel_id: listing for listing in product.channel_listings.all()}
        assert set(listings) == {marketplace.pk, product.vendor.channel.pk}
        price = variant.channel_listings.get(channel=marketplace).price_amount
        assert isinstance(price, Decimal) and price > 0
        assert listings[marketplace.pk].discounted_price_amount == price
        assert listings[product.vendor.channel.pk].is_published
        stock = Stock.objects.get(product_variant=variant)
        # Items handed over in the demo orders have left the shop.
        assert stock.warehouse.vendor_id == product.vendor_id and 0 <= stock.quantity <= 10
        assert product.media.exists() and product.weight > 0
        assert set(product.translations.values_list("language_code", flat=True)) == {"NL", "EN"}
        assert product.description_plaintext.startswith("État : ")


def test_demo_images_are_drawn_once_and_shared(demo, media_root):
    names = set(ProductMedia.objects.values_list("image", flat=True))
    assert names and all((Path(media_root) / name).is_file() for name in names)
    assert ProductMedia.objects.count() > len(names)


def test_shops_have_staff_warehouse_and_channel(demo):
    for vendor in Vendor.objects.select_related("address"):
        assert vendor.channel.slug == f"shop-{vendor.slug}"
        assert vendor.address.city and vendor.enterprise_number
        warehouse = vendor.warehouses.get()
        assert warehouse.click_and_collect_option in {"all", "local", "disabled"}
        assert set(warehouse.channels.values_list("slug", flat=True)) == {"marketplace", vendor.channel.slug}
        staff = VendorStaff.objects.get(vendor=vendor).user
        assert staff.email == f"staff@{vendor.slug}.example" and staff.check_password("demo1234")
    admin = User.objects.get(email="admin@example.com")
    assert admin.is_superuser and admin.check_password("admin")
    assert User.objects.get(email="customer@example.com").check_password("customer")


def test_select_collection_and_unpublished_items(demo):
    selected = Collection.objects.get(slug="select").products.all()
    assert selected.exists()
    assert not selected.filter(
        channel_listings__channel__slug="marketplace", channel_listings__is_published=False
    ).exists()


def test_demo_items_are_searchable_in_french_and_dutch(demo):
    product = Product.objects.order_by("slug").first()
    dutch_name = product.translations.get(language_code="NL").name
    assert not Product.objects.filter(search_index_dirty=True).exists()
    word = max(product.name.split(), key=len)
    assert product in search_products(Product.objects.all(), word)
    dutch_word = max(dutch_name.split(), key=len)
    assert product in search_products(Product.objects.all(), dutch_word)
