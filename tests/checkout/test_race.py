"""Fifty shoppers complete their carts at the same moment for the same unique item.

Real concurrency: each completion runs in its own thread with its own database connection and
transaction, released together by a barrier. Exactly one order may come out; the 49 others must
get INSUFFICIENT_STOCK, and the stock must show one allocation.
"""

from __future__ import annotations

import json
import threading

import pytest
from django.db import connection, connections
from django.test import Client

from saleor_ext.channel.models import Channel
from saleor_ext.order.models import Order
from saleor_ext.warehouse.models import Allocation, Stock
from tests.checkout.conftest import BE_ADDRESS, create_checkout, run
from tests.checkout.test_delivery_and_complete import BILLING, CHOOSE, COMPLETE

SHOPPERS = 50


@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_completions_sell_the_unique_item_once(market):
    from saleor_ext.graphql.core.ids import to_global_id

    # Payment is not what this test is about: the channel takes unpaid orders.
    Channel.objects.filter(pk=market.channel.pk).update(allow_unpaid_orders=True)
    pickup = to_global_id("Warehouse", market.bikes.warehouse.pk)
    checkouts = []
    for number in range(SHOPPERS):
        checkout = create_checkout([(market.bike, 1)], email=f"shopper{number}@example.com")
        run(BILLING, {"id": checkout["id"], "address": BE_ADDRESS})
        run(CHOOSE, {"id": checkout["id"], "method": pickup})
        checkouts.append(checkout["id"])
    connection.close()

    barrier = threading.Barrier(SHOPPERS)
    results: list[dict] = [None] * SHOPPERS

    def complete(index: int) -> None:
        client = Client()
        body = json.dumps({"query": COMPLETE, "variables": {"id": checkouts[index]}})
        try:
            barrier.wait(timeout=60)
            response = client.post("/graphql/", body, content_type="application/json")
            results[index] = response.json()["data"]["checkoutComplete"]
        finally:
            connections.close_all()

    threads = [threading.Thread(target=complete, args=(i,)) for i in range(SHOPPERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    orders = [r for r in results if r and r["order"]]
    refused = [r for r in results if r and r["errors"]]
    assert len(orders) == 1
    assert len(refused) == SHOPPERS - 1
    assert {error["code"] for r in refused for error in r["errors"]} == {"INSUFFICIENT_STOCK"}
    assert Order.objects.count() == 1
    stock = Stock.objects.get(product_variant=market.bike.default_variant)
    assert stock.quantity_allocated == 1
    assert Allocation.objects.count() == 1
