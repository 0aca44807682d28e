"""Two member shops with one item each, their staff and the federation's admin."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client

from saleor_ext.account.models import User
from saleor_ext.product.models import Product
from saleor_ext.vendor.models import Vendor
from saleor_ext.warehouse.models import Warehouse
from tests.factories import make_channel, make_product, make_superuser, make_vendor, make_vendor_staff, make_warehouse


@dataclass
class Shop:
    vendor: Vendor
    warehouse: Warehouse
    product: Product
    staff: User


def make_shop(name: str) -> Shop:
    vendor = make_vendor(name)
    warehouse = make_warehouse(vendor, f"{name} store")
    product = make_product(vendor, f"{name} bicycle", sku=f"{name[:3].upper()}-1", warehouse=warehouse)
    return Shop(vendor, warehouse, product, make_vendor_staff(vendor, email=f"staff@{vendor.slug}.example.org"))


@pytest.fixture
def marketplace(db):
    return make_channel("marketplace")


@pytest.fixture
def shop_a(marketplace):
    return make_shop("Alpha")


@pytest.fixture
def shop_b(marketplace):
    return make_shop("Bravo")


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def federation_client(db):
    return logged_in(make_superuser())


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Logins here are forced; strong hashing of the factories' passwords would only slow the suite.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
