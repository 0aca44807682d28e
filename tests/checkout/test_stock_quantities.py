"""What a stock row shows its shop: units promised to orders (allocated) and held for carts being
paid (reserved, while the reservation lasts), as Saleor means them."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import Sum
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from saleor_ext.checkout.models import CheckoutLine
from saleor_ext.warehouse.models import Allocation, Reservation, Stock
from tests.checkout.conftest import create_checkout, run
from tests.checkout.test_delivery_and_complete import COMPLETE, PAY, ready_checkout
from tests.factories import make_superuser, make_warehouse

pytestmark = pytest.mark.django_db

STOCKS = """query($slug: String!) { product(slug: $slug, channel: "marketplace") {
  productVariants(first: 1) { edges { node {
    stocks { warehouse { name } quantity quantityAllocated quantityReserved }
  } } }
} }"""
PICKUP = {"id": "marketplace.payments.pickup"}


def _stocks(user, slug: str) -> tuple[list[dict], int]:
    client = Client()
    client.force_login(user)
    body = json.dumps({"query": STOCKS, "variables": {"slug": slug}})
    with CaptureQueriesContext(connection) as captured:
        result = client.post("/graphql/", body, content_type="application/json").json()
    assert "errors" not in result, result["errors"]
    return result["data"]["product"]["productVariants"]["edges"][0]["node"]["stocks"], len(captured.captured_queries)


def test_allocated_counts_ordered_units_and_reserved_the_units_of_carts_being_paid(market):
    create_checkout([(market.laptops, 1)])
    abandoned = CheckoutLine.objects.get()
    ordered = ready_checkout(market, [(market.laptops, 1)])
    run(PAY, {"id": ordered["id"], "gateway": PICKUP})
    assert run(COMPLETE, {"id": ordered["id"]})["errors"] == []
    paying = ready_checkout(market, [(market.laptops, 2)])
    run(PAY, {"id": paying["id"], "gateway": PICKUP})
    stock = Stock.objects.get(product_variant_id=market.laptops.default_variant_id)
    # A cart whose payment was abandoned: its reservation has run out.
    past = timezone.now() - timedelta(minutes=1)
    Reservation.objects.create(checkout_line=abandoned, stock=stock, quantity_reserved=3, reserved_until=past)

    stocks, _ = _stocks(make_superuser(), market.laptops.slug)

    allocated = Allocation.objects.filter(stock=stock).aggregate(total=Sum("quantity_allocated"))["total"]
    assert stocks == [
        {"warehouse": {"name": stock.warehouse.name}, "quantity": 3, "quantityAllocated": 1, "quantityReserved": 2}
    ]
    assert allocated == 1


def test_reserved_quantities_of_many_stocks_cost_the_same_queries_as_one(market):
    staff = make_superuser()
    variant_id = market.laptops.default_variant_id
    paying = ready_checkout(market, [(market.laptops, 1)])
    run(PAY, {"id": paying["id"], "gateway": PICKUP})
    _, one_stock = _stocks(staff, market.laptops.slug)
    line = CheckoutLine.objects.get(reservations__isnull=False)
    until = timezone.now() + timedelta(hours=1)
    for index in range(3):
        warehouse = make_warehouse(market.bikes.vendor, f"Dépôt {index}")
        stock = Stock.objects.create(warehouse=warehouse, product_variant_id=variant_id, quantity=5)
        Reservation.objects.create(checkout_line=line, stock=stock, quantity_reserved=index + 1, reserved_until=until)

    stocks, four_stocks = _stocks(staff, market.laptops.slug)

    assert sorted(row["quantityReserved"] for row in stocks) == [1, 1, 2, 3]
    assert four_stocks == one_stock
