"""`populatedb` leaves the demo with orders in every state a shop meets, bought through the real services."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import call_command

from saleor_ext.order.models import Fulfillment, Order, OrderEvent, VendorOrder
from saleor_ext.order.models import VendorOrderStatus as S
from saleor_ext.payment.models import TransactionItem
from saleor_ext.warehouse.models import Allocation, Stock, Warehouse

ARGS = ["--items", "60", "--vendors", "3", "--seed", "7", "--no-progress"]


@pytest.fixture
def demo(db, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Refunds and shop hooks run once the services' transactions commit.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("populatedb", *ARGS)


def allocated(**lookup) -> int:
    return sum(Allocation.objects.filter(**lookup).values_list("quantity_allocated", flat=True))


def statuses() -> dict[str, int]:
    found: dict[str, int] = {}
    for status in VendorOrder.objects.values_list("status", flat=True):
        found[status] = found.get(status, 0) + 1
    return found


def test_the_demo_has_vendor_orders_in_every_status(demo):
    found = statuses()

    assert set(found) == {S.NEW, S.ACCEPTED, S.READY_FOR_PICKUP, S.SHIPPED, S.COLLECTED, S.CANCELLED}
    assert Order.objects.count() == 12
    assert Order.objects.filter(user__email="customer@example.com").count() == 6
    assert Order.objects.filter(user=None, user_email="julie.lambert@example.com").count() == 6


def test_shipped_parts_have_a_tracking_number_and_collected_ones_left_the_stock(demo):
    shipped = VendorOrder.objects.filter(status=S.SHIPPED)
    collected = VendorOrder.objects.filter(status=S.COLLECTED)

    assert all(vendor_order.tracking_number for vendor_order in shipped)
    assert Fulfillment.objects.filter(vendor_order__in=collected).count() == collected.count()
    for vendor_order in collected:
        assert all(line.quantity_fulfilled == line.quantity for line in vendor_order.lines.all())
        assert allocated(order_line__vendor_order=vendor_order) == 0


def test_open_parts_hold_their_items_and_cancelled_ones_give_them_back(demo):
    open_lines = [
        line
        for vendor_order in VendorOrder.objects.filter(status__in=[S.NEW, S.ACCEPTED, S.READY_FOR_PICKUP])
        for line in vendor_order.lines.all()
    ]
    cancelled = VendorOrder.objects.get(status=S.CANCELLED)

    for line in open_lines:
        assert Allocation.objects.get(order_line=line).quantity_allocated == line.quantity
    for line in cancelled.lines.all():
        assert line.quantity_cancelled == line.quantity
        assert allocated(order_line=line) == 0
    assert all(stock.quantity_allocated <= stock.quantity for stock in Stock.objects.all())


def test_cancelled_lines_are_refunded_to_the_shopper(demo):
    cancelled = VendorOrder.objects.get(status=S.CANCELLED)
    partly = Order.objects.get(metadata__demo_order="demo-12")

    for order in (cancelled.order, partly):
        item = TransactionItem.objects.get(order=order)
        assert item.refunded_value > Decimal(0)
        assert OrderEvent.objects.filter(order=order, type="payment_refunded").exists()
    cancelled_line = partly.lines.get(quantity_cancelled=1)
    assert item.refunded_value == cancelled_line.unit_price_gross_amount
    assert partly.vendor_orders.get().status == S.SHIPPED


def test_some_shops_offer_click_and_collect(demo):
    options = sorted(Warehouse.objects.values_list("click_and_collect_option", flat=True))

    assert options == ["all", "disabled", "local"]


def test_a_second_run_creates_no_order(demo):
    before = (Order.objects.count(), VendorOrder.objects.count(), TransactionItem.objects.count(), statuses())

    call_command("populatedb", *ARGS)

    assert (Order.objects.count(), VendorOrder.objects.count(), TransactionItem.objects.count(), statuses()) == before
