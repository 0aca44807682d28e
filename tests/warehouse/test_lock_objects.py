"""The warehouse's lock functions take stock rows in id order, whatever order they are given in.

Real locks: one transaction holds the middle row, a second one (its own thread and connection)
asks for all three rows listed highest id first and waits; a third connection sees which rows
the waiting one holds (SKIP LOCKED passes over them). In id order it holds the lowest row only;
once the first commits, it gets the rest. Then two transactions given the rows in opposite
orders, started together many times, never deadlock and lose no update.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction
from django.db.models import F

from saleor_ext.warehouse import lock_objects
from saleor_ext.warehouse.models import Allocation, ChannelWarehouse, Stock
from tests.factories import make_channel, make_product, make_vendor, make_warehouse
from tests.order.factories import Part, line_of, make_order
from tests.warehouse.locking import assert_locks_stock_rows_in_id_order, in_thread


@pytest.fixture
def three_stocks(transactional_db):
    channel = make_channel("marketplace")
    vendor = make_vendor("Recyclerie")
    warehouse = make_warehouse(vendor)
    ChannelWarehouse.objects.create(channel=channel, warehouse=warehouse)
    products = [make_product(vendor, f"Item {n}", quantity=5, channel=channel, warehouse=warehouse) for n in range(3)]
    stocks = sorted(Stock.objects.filter(product_variant__product__in=products), key=lambda stock: stock.pk)
    connection.close()
    return channel, vendor, products, [stock.pk for stock in stocks]


@pytest.mark.django_db(transaction=True)
def test_lock_stocks_takes_rows_in_id_order(three_stocks):
    _channel, _vendor, _products, stock_ids = three_stocks
    assert_locks_stock_rows_in_id_order(stock_ids, lambda: lock_objects.lock_stocks(list(reversed(stock_ids))))


@pytest.mark.django_db(transaction=True)
def test_lock_stocks_of_variants_takes_rows_in_id_order(three_stocks):
    channel, _vendor, products, stock_ids = three_stocks
    variants = [product.default_variant_id for product in reversed(products)]
    assert_locks_stock_rows_in_id_order(stock_ids, lambda: lock_objects.lock_stocks_of_variants(variants, channel.pk))


@pytest.mark.django_db(transaction=True)
def test_lock_allocations_takes_stock_rows_in_id_order(three_stocks):
    channel, vendor, products, stock_ids = three_stocks
    order = make_order(channel, [Part(vendor=vendor, items=[(product, 1) for product in reversed(products)])])
    lines = [line_of(order, product).pk for product in reversed(products)]
    assert Allocation.objects.filter(order_line_id__in=lines).count() == 3
    connection.close()
    assert_locks_stock_rows_in_id_order(stock_ids, lambda: lock_objects.lock_allocations(lines))


@pytest.mark.django_db(transaction=True)
def test_two_transactions_given_the_rows_in_opposite_orders_never_deadlock(three_stocks):
    _channel, _vendor, _products, stock_ids = three_stocks
    rounds = 20
    failures: list[BaseException] = []

    def change(order: list[int], barrier: threading.Barrier) -> None:
        try:
            barrier.wait(30)
            with transaction.atomic():
                lock_objects.lock_stocks(order)
                # Row by row in the order given: safe, every row is held already.
                for stock_id in order:
                    Stock.objects.filter(pk=stock_id).update(quantity=F("quantity") + 1)
        except BaseException as failure:  # a deadlock would surface here
            failures.append(failure)

    for _round in range(rounds):
        barrier = threading.Barrier(2)
        threads = [in_thread(change, stock_ids, barrier), in_thread(change, list(reversed(stock_ids)), barrier)]
        for thread in threads:
            thread.join(60)
    assert failures == []
    assert set(Stock.objects.filter(pk__in=stock_ids).values_list("quantity", flat=True)) == {5 + 2 * rounds}
