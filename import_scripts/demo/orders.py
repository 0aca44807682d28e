"""Demo orders: a dozen purchases whose shop parts sit in every status a member shop meets.

Each order is bought the way a shopper buys (cart, addresses, a delivery per shop, payment with
the dummy gateway or pay at pickup, completion) and then moved on by the shop's staff through the
order services, so stock, allocations, events and payments agree with what the API would have
written. Orders carry their scenario key in their metadata; a second run skips the keys present.
"""

from __future__ import annotations

import logging
import random
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.test.utils import override_settings

from saleor_ext.account.models import User
from saleor_ext.channel.models import Channel
from saleor_ext.checkout import services as checkout_services
from saleor_ext.checkout.addresses import update_address
from saleor_ext.checkout.complete import complete_checkout
from saleor_ext.checkout.fetch import fetch_checkout_info
from saleor_ext.order import services as order_services
from saleor_ext.order.models import Order, VendorOrder
from saleor_ext.order.models import VendorOrderStatus as S
from saleor_ext.payment import services as payment_services
from saleor_ext.product.models import ProductVariant
from saleor_ext.vendor.models import Vendor
from saleor_ext.warehouse.models import Stock, Warehouse, WarehouseClickAndCollectOption

DEMO_KEY = "demo_order"
GUEST_EMAIL = "julie.lambert@example.com"
GUEST_ADDRESS = {
    "first_name": "Julie",
    "last_name": "Lambert",
    "street_address_1": "Rue Haute 120",
    "postal_code": "1000",
    "city": "Bruxelles",
    "country": "BE",
    "phone": "+32 2 511 22 33",
}
DUMMY = "mirumee.payments.dummy"
PICKUP = "marketplace.payments.pickup"
DUMMY_CHARGE = {"event": {"type": "CHARGE_SUCCESS", "includePspReference": True}}
# Light items only: every demo shop ships parcels up to 30 kg.
MAX_WEIGHT_KG = 10
# The shop part's final state: a vendor order status, or "partly_cancelled" (one line cancelled
# and refunded, the rest shipped).
PARTLY_CANCELLED = "partly_cancelled"


@dataclass(frozen=True)
class Part:
    pickup: bool
    target: str
    items: int = 1


@dataclass(frozen=True)
class Scenario:
    key: str
    guest: bool
    parts: tuple[Part, ...]


SCENARIOS = (
    Scenario("demo-01", False, (Part(False, S.NEW),)),
    Scenario("demo-02", True, (Part(True, S.NEW),)),
    Scenario("demo-03", False, (Part(False, S.ACCEPTED),)),
    Scenario("demo-04", True, (Part(True, S.ACCEPTED),)),
    Scenario("demo-05", False, (Part(True, S.READY_FOR_PICKUP),)),
    Scenario("demo-06", True, (Part(True, S.READY_FOR_PICKUP),)),
    Scenario("demo-07", False, (Part(False, S.SHIPPED),)),
    Scenario("demo-08", True, (Part(False, S.SHIPPED), Part(True, S.NEW))),
    Scenario("demo-09", False, (Part(True, S.COLLECTED),)),
    Scenario("demo-10", True, (Part(True, S.COLLECTED),)),
    Scenario("demo-11", False, (Part(False, S.CANCELLED),)),
    Scenario("demo-12", True, (Part(False, PARTLY_CANCELLED, items=2),)),
)


def pickup_option(shop_index: int) -> str:
    """Click & collect of a demo shop's warehouse: any item, only items in stock there, or none."""
    options = (
        WarehouseClickAndCollectOption.ALL_WAREHOUSES,
        WarehouseClickAndCollectOption.LOCAL_STOCK,
        WarehouseClickAndCollectOption.DISABLED,
    )
    return options[shop_index % len(options)]


@dataclass
class _Shop:
    vendor: Vendor
    warehouse: Warehouse
    staff: User | None


class _Picker:
    """Chooses shops and items for the scenarios, the same way for a seed, never one unit twice."""

    def __init__(self, shops: list[_Shop], channel: Channel, seed: int):
        self.rng = random.Random(seed)
        self.channel = channel
        self.shops = shops
        self.used: set[int] = set()
        self.turn = 0

    def _variants(self, shop: _Shop) -> list[int]:
        stocked = (
            Stock.objects.filter(warehouse__vendor=shop.vendor, quantity__gt=0)
            .values_list("product_variant_id", "quantity", "quantity_allocated")
        )
        free = {variant_id for variant_id, quantity, allocated in stocked if quantity > allocated}
        return list(
            ProductVariant.objects.filter(
                pk__in=free,
                product__weight__lte=MAX_WEIGHT_KG,
                product__channel_listings__channel=self.channel,
                product__channel_listings__is_published=True,
                channel_listings__channel=self.channel,
                channel_listings__price_amount__isnull=False,
            )
            .exclude(pk__in=self.used)
            .order_by("sku", "pk")
            .values_list("pk", flat=True)
        )

    def take(self, part: Part, avoid: set[int]) -> tuple[_Shop, list[int]] | None:
        """A shop able to serve ``part`` (not among ``avoid``) and that many of its items."""
        candidates = [
            shop for shop in self.shops
            if shop.vendor.pk not in avoid
            and (not part.pickup or shop.warehouse.click_and_collect_option != WarehouseClickAndCollectOption.DISABLED)
        ]
        for offset in range(len(candidates)):
            shop = candidates[(self.turn + offset) % len(candidates)]
            variants = self._variants(shop)
            if len(variants) >= part.items:
                self.turn += 1
                chosen = self.rng.sample(variants, part.items)
                self.used.update(chosen)
                return shop, chosen
        return None


def _buy(scenario: Scenario, parts: list[tuple[Part, _Shop, list[int]]], channel: Channel,
         customer: User) -> Order:
    """Cart → addresses → a delivery per shop → payment → order, through the checkout services."""
    user = None if scenario.guest else customer
    lines = [checkout_services.LineInput(variant_id=pk, quantity=1) for _, _, variants in parts for pk in variants]
    checkout = checkout_services.create_checkout(
        channel=channel, user=user, email=GUEST_EMAIL if scenario.guest else customer.email, lines=lines
    )
    if user is not None and user.default_shipping_address is not None:
        address = user.default_shipping_address
        data = {field: str(getattr(address, field) or "") for field in GUEST_ADDRESS}
    else:
        data = dict(GUEST_ADDRESS)
    for kind in ("shipping", "billing"):
        update_address(checkout.pk, kind, dict(data), None, {})
    checkout.refresh_from_db()
    offers = checkout_services.refresh_deliveries(fetch_checkout_info(checkout))
    for part, shop, _ in parts:
        if part.pickup:
            checkout_services.set_delivery_method(checkout.pk, warehouse_id=shop.warehouse.pk)
        else:
            cheapest = min(offers[shop.vendor.pk], key=lambda offer: (offer.price_amount, offer.name))
            checkout_services.set_delivery_method(checkout.pk, delivery_id=cheapest.pk)
    checkout.refresh_from_db()
    # A guest collecting everything pays in the shop; everyone else pays online.
    pays_at_pickup = scenario.guest and all(part.pickup for part, _, _ in parts)
    payment_services.transaction_initialize(
        source=checkout,
        gateway_id=PICKUP if pays_at_pickup else DUMMY,
        data=None if pays_at_pickup else DUMMY_CHARGE,
        amount=None,
        user=user,
    )
    order = complete_checkout(checkout.pk, user=user)
    order.metadata = {**order.metadata, DEMO_KEY: scenario.key}
    order.save(update_fields=["metadata"])
    return order


def _move_on(order: Order, part: Part, shop: _Shop) -> None:
    """The shop's staff take their part of ``order`` to ``part.target``."""
    vendor_order = VendorOrder.objects.get(order=order, vendor=shop.vendor)
    staff, target = shop.staff, part.target
    if target == S.NEW:
        return
    if target == S.CANCELLED:
        order_services.cancel_vendor_order(vendor_order, staff, reason="Article abîmé lors du contrôle final.")
        return
    order_services.accept_vendor_order(vendor_order, staff)
    if target == S.ACCEPTED:
        return
    if part.pickup:
        order_services.mark_ready_for_pickup(vendor_order, staff)
        if target == S.COLLECTED:
            order_services.mark_collected(vendor_order, staff)
        return
    lines = list(vendor_order.lines.order_by("pk"))
    if target == PARTLY_CANCELLED:
        order_services.cancel_lines(order, {lines[0].pk: 1}, staff, reason="Vendu en magasin le même jour.")
        lines = lines[1:]
    tracking = f"3232{order.number:06d}{shop.vendor.pk % 100:02d}BE"
    order_services.fulfil_lines(order, {line.pk: line.quantity for line in lines}, staff, tracking_number=tracking)


@contextmanager
def _quiet_history():
    """The demo's past is not news: its e-mails are not sent and its tasks are not logged one by one."""
    trace = logging.getLogger("celery.app.trace")
    level = trace.level
    trace.setLevel(logging.WARNING)
    try:
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            yield
    finally:
        trace.setLevel(level)


def ensure_demo_orders(*, vendors: list[Vendor], customer_email: str, staff_email_of, seed: int = 1) -> int:
    """Create the demo orders that are missing, bought from ``vendors``; returns how many were created."""
    done = set(Order.objects.filter(metadata__has_key=DEMO_KEY).values_list(f"metadata__{DEMO_KEY}", flat=True))
    todo = [scenario for scenario in SCENARIOS if scenario.key not in done]
    customer = User.objects.filter(email=customer_email).select_related("default_shipping_address").first()
    if not todo or customer is None:
        return 0
    channel = Channel.objects.get(slug=settings.DEFAULT_CHANNEL_SLUG)
    shops = []
    for vendor in sorted(vendors, key=lambda vendor: vendor.slug):
        warehouse = Warehouse.objects.filter(vendor=vendor, channelwarehouse__channel=channel).order_by("slug").first()
        if warehouse is not None:
            shops.append(_Shop(vendor, warehouse, User.objects.filter(email=staff_email_of(vendor.slug)).first()))
    picker = _Picker(shops, channel, seed)
    created = 0
    with _quiet_history():
        for scenario in todo:
            parts, avoid = [], set()
            for part in scenario.parts:
                taken = picker.take(part, avoid)
                if taken is None:
                    break
                avoid.add(taken[0].vendor.pk)
                parts.append((part, *taken))
            if len(parts) < len(scenario.parts):
                continue
            order = _buy(scenario, parts, channel, customer)
            for part, shop, _ in parts:
                _move_on(order, part, shop)
            created += 1
    return created
