"""A two-shop marketplace with orders to handle: a bike shop with a pickup point, a book shop that ships.

Builders shared by the order tests here and the order API tests in tests/graphql; each directory
wraps them in its own fixtures.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import Permission

from saleor_ext.account.models import User
from saleor_ext.channel.models import Channel
from saleor_ext.product.models import Product
from saleor_ext.vendor.models import Vendor
from saleor_ext.warehouse.models import ChannelWarehouse, Warehouse, WarehouseClickAndCollectOption
from tests.factories import (
    make_address,
    make_channel,
    make_product,
    make_user,
    make_vendor,
    make_vendor_staff,
    make_warehouse,
)

from .factories import Part


@dataclass
class Shop:
    vendor: Vendor
    warehouse: Warehouse
    staff: User


@dataclass
class Market:
    channel: Channel
    bikes: Shop
    books: Shop
    bike: Product  # unique item, 120 €
    helmet: Product  # three units, 25 €
    novel: Product  # unique item, 6 €, VAT 6 %
    atlas: Product  # two units, 18 €, VAT 6 %
    customer: User
    other_customer: User
    federation: User

    def two_shop_parts(self, *, bike=1, helmet=1, novel=1, atlas=0) -> list[Part]:
        """The bike shop's part collected in the shop, the book shop's part shipped for 4.50 €."""
        bike_items = [(p, q) for p, q in ((self.bike, bike), (self.helmet, helmet)) if q]
        book_items = [(p, q) for p, q in ((self.novel, novel), (self.atlas, atlas)) if q]
        low = {self.novel.pk: Decimal("0.06"), self.atlas.pk: Decimal("0.06")}
        return [
            Part(self.bikes.vendor, bike_items, pickup=self.bikes.warehouse),
            Part(self.books.vendor, book_items, shipping=Decimal("4.50"), tax_rates=low),
        ]


def make_federation_order_manager() -> User:
    """Federation staff who manage orders (not a superuser: the permissions are what count)."""
    user = make_user(is_staff=True)
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="vendor", codename="manage_vendors"),
        Permission.objects.get(content_type__app_label="order", codename="manage_orders"),
    )
    return User.objects.get(pk=user.pk)


def _shop(name: str, channel: Channel, *, pickup: bool, **vendor_fields) -> Shop:
    vendor = make_vendor(name, **vendor_fields)
    warehouse = make_warehouse(
        vendor,
        f"{name} – magasin",
        address=make_address(company_name=name, street_address_1="Rue Haute 12", postal_code="1000"),
        click_and_collect_option=WarehouseClickAndCollectOption.LOCAL_STOCK if pickup else "disabled",
    )
    ChannelWarehouse.objects.get_or_create(channel=channel, warehouse=warehouse)
    return Shop(vendor=vendor, warehouse=warehouse, staff=make_vendor_staff(vendor))


def build_market() -> Market:
    channel = make_channel("marketplace")
    bikes = _shop(
        "Vélos & Co",
        channel,
        pickup=True,
        email="atelier@velos.example",
        opening_hours={"mon": "", "tue": "10:00-18:00", "wed": "10:00-18:00", "sat": "09:00-13:00"},
    )
    books = _shop("Bouquinerie du Centre", channel, pickup=False, email="livres@bouquinerie.example")

    def product(shop: Shop, name: str, price: str, quantity: int) -> Product:
        return make_product(
            shop.vendor, name, price=price, quantity=quantity, channel=channel, warehouse=shop.warehouse
        )

    return Market(
        channel=channel,
        bikes=bikes,
        books=books,
        bike=product(bikes, "Vélo de ville", "120.00", 1),
        helmet=product(bikes, "Casque", "25.00", 3),
        novel=product(books, "L'Écume des jours", "6.00", 1),
        atlas=product(books, "Atlas", "18.00", 2),
        customer=make_user("anne@example.org", first_name="Anne", last_name="Dupont"),
        other_customer=make_user("bob@example.org"),
        federation=make_federation_order_manager(),
    )



def record_order_hooks(settings) -> list:
    """Add the recording plugin to ``PLUGINS``; returns the (emptied) list of hooks it hears."""
    from .plugins import HEARD

    settings.PLUGINS = [*settings.PLUGINS, "tests.order.plugins.RecordingPlugin"]
    HEARD.clear()
    return HEARD
