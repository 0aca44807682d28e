"""Handling orders through the API: each shop acts on its own part only, customers on nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest

from saleor_ext.graphql.core.ids import to_global_id
from saleor_ext.order.models import Fulfillment, OrderEvent, OrderEvents, OrderStatus, VendorOrderStatus
from saleor_ext.warehouse.management import available_quantities
from tests.order.api import serving_order_api
from tests.order.factories import line_of, make_order, pay, stock_of, vendor_order_of
from tests.order.fixtures import build_market, record_order_hooks

from .conftest import data_of, gql

pytestmark = pytest.mark.django_db

S = VendorOrderStatus


@pytest.fixture(autouse=True)
def _order_api(monkeypatch):
    with serving_order_api(monkeypatch):
        yield


@pytest.fixture
def market(db):
    return build_market()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def order(market):
    return make_order(market.channel, market.two_shop_parts(atlas=2), user=market.customer)


def gid(kind: str, pk) -> str:
    return to_global_id(kind, pk)


def run(document: str, variables: dict, user) -> dict:
    """The single mutation's payload."""
    return next(iter(data_of(gql(document, variables, user=user)).values()))


def codes(payload) -> list[str]:
    return [error["code"] for error in payload["errors"]]


STEP = """
mutation($id: ID!) {
  %s(id: $id) {
    vendorOrder { id status vendor { slug } }
    order { status vendorOrders { status } }
    errors { field code message }
  }
}"""
ACCEPT = STEP % "vendorOrderAccept"
READY = STEP % "vendorOrderMarkReadyForPickup"
COLLECTED = """
mutation($id: ID!) {
  vendorOrderMarkCollected(id: $id) {
    vendorOrder { status } order { status } fulfillment { fulfillmentOrder lines { quantity } }
    errors { field code }
  }
}"""


def test_a_shop_accepts_prepares_and_hands_over_its_part(market, order, committed, mailoutbox):
    part = gid("VendorOrder", vendor_order_of(order, market.bikes.vendor).pk)
    accepted = run(ACCEPT, {"id": part}, market.bikes.staff)
    assert accepted["errors"] == []
    assert accepted["vendorOrder"]["status"] == "ACCEPTED"
    # The shop's staff read only their part of the order in the payload too.
    assert accepted["order"]["vendorOrders"] == [{"status": "ACCEPTED"}]

    with committed():
        ready = run(READY, {"id": part}, market.bikes.staff)
    assert ready["vendorOrder"]["status"] == "READY_FOR_PICKUP"
    assert [mail.to for mail in mailoutbox] == [["anne@example.org"]]

    collected = run(COLLECTED, {"id": part}, market.bikes.staff)
    assert collected["errors"] == []
    assert collected["vendorOrder"]["status"] == "COLLECTED"
    assert collected["order"]["status"] == "PARTIALLY_FULFILLED"
    assert sorted(row["quantity"] for row in collected["fulfillment"]["lines"]) == [1, 1]
    assert stock_of(market.bike).quantity == 0


def test_invalid_steps_are_errors_with_codes(market, order):
    part = gid("VendorOrder", vendor_order_of(order, market.bikes.vendor).pk)
    payload = run(COLLECTED, {"id": part}, market.bikes.staff)
    assert (codes(payload), payload["errors"][0]["field"]) == (["INVALID"], "id")
    run(ACCEPT, {"id": part}, market.bikes.staff)
    assert codes(run(ACCEPT, {"id": part}, market.bikes.staff)) == ["INVALID"]
    shipped_part = gid("VendorOrder", vendor_order_of(order, market.books.vendor).pk)
    run(ACCEPT, {"id": shipped_part}, market.books.staff)
    payload = run(READY, {"id": shipped_part}, market.books.staff)
    assert codes(payload) == ["INVALID"] and "click & collect" in payload["errors"][0]["message"]


def test_a_shop_cannot_touch_another_shops_part(market, order):
    books_part = vendor_order_of(order, market.books.vendor)
    payload = run(ACCEPT, {"id": gid("VendorOrder", books_part.pk)}, market.bikes.staff)
    assert codes(payload) == ["NOT_FOUND"]
    assert payload["vendorOrder"] is None
    books_part.refresh_from_db()
    assert books_part.status == S.NEW


@pytest.mark.parametrize("who", ["anonymous", "owner", "other customer"])
def test_customers_act_on_nothing(market, order, who):
    user = {"anonymous": None, "owner": market.customer, "other customer": market.other_customer}[who]
    part = gid("VendorOrder", vendor_order_of(order, market.bikes.vendor).pk)
    body = gql(ACCEPT, {"id": part}, user=user)
    assert body["data"]["vendorOrderAccept"] is None
    assert body["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"
    assert vendor_order_of(order, market.bikes.vendor).status == S.NEW


def test_federation_staff_act_on_any_part(market, order):
    part = gid("VendorOrder", vendor_order_of(order, market.books.vendor).pk)
    payload = run(ACCEPT, {"id": part}, market.federation)
    assert payload["errors"] == [] and payload["vendorOrder"]["status"] == "ACCEPTED"
    [event] = OrderEvent.objects.filter(order=order, type=OrderEvents.VENDOR_ORDER_ACCEPTED)
    assert event.user == market.federation


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("nonsense", "GRAPHQL_ERROR"),
        (to_global_id("Order", "1b0e5d8e-3b1c-4a4e-9a55-1f4e1d3c2b10"), "GRAPHQL_ERROR"),
        (to_global_id("VendorOrder", "1b0e5d8e-3b1c-4a4e-9a55-1f4e1d3c2b10"), "NOT_FOUND"),
        (to_global_id("VendorOrder", "42"), "GRAPHQL_ERROR"),
    ],
    ids=["not an id", "another type", "unknown", "not a uuid"],
)
def test_bad_ids_are_typed_errors(market, value, code):
    payload = run(ACCEPT, {"id": value}, market.bikes.staff)
    assert codes(payload) == [code]
    assert payload["errors"][0]["field"] == "id"


FULFILL = """
mutation($order: ID, $input: OrderFulfillInput!) {
  orderFulfill(order: $order, input: $input) {
    fulfillments {
      fulfillmentOrder status trackingNumber warehouse { name } lines { quantity orderLine { productName } }
    }
    order { status vendorOrders { status trackingNumber } lines { productName quantityFulfilled quantityToFulfill } }
    errors { field code message orderLines warehouse }
    orderErrors { code }
  }
}"""


def fulfil_input(lines, warehouse, tracking="BPOST-77"):
    stock = {"warehouse": gid("Warehouse", warehouse.pk)}
    return {
        "lines": [
            {"orderLineId": gid("OrderLine", line.pk), "stocks": [{**stock, "quantity": quantity}]}
            for line, quantity in lines
        ],
        "trackingNumber": tracking,
    }


def test_order_fulfill_ships_a_shops_lines(market, order, committed, mailoutbox):
    novel, atlas = line_of(order, market.novel), line_of(order, market.atlas)
    lines = fulfil_input([(novel, 1), (atlas, 2)], market.books.warehouse)
    variables = {"order": gid("Order", order.pk), "input": lines}
    with committed():
        payload = run(FULFILL, variables, market.books.staff)

    assert payload["errors"] == [] and payload["orderErrors"] == []
    [fulfillment] = payload["fulfillments"]
    assert (fulfillment["fulfillmentOrder"], fulfillment["status"], fulfillment["trackingNumber"]) == (
        1,
        "FULFILLED",
        "BPOST-77",
    )
    assert fulfillment["warehouse"]["name"] == market.books.warehouse.name
    assert payload["order"]["status"] == "PARTIALLY_FULFILLED"
    assert payload["order"]["vendorOrders"] == [{"status": "SHIPPED", "trackingNumber": "BPOST-77"}]
    assert {line["productName"]: line["quantityToFulfill"] for line in payload["order"]["lines"]} == {
        "L'Écume des jours": 0,
        "Atlas": 0,
    }
    assert (stock_of(market.atlas).quantity, stock_of(market.atlas).quantity_allocated) == (0, 0)
    assert "BPOST-77" in mailoutbox[0].body


def test_order_fulfill_refuses_another_shops_lines_and_warehouses(market, order):
    bike = line_of(order, market.bike)
    variables = {"order": gid("Order", order.pk), "input": fulfil_input([(bike, 1)], market.bikes.warehouse)}
    payload = run(FULFILL, variables, market.books.staff)
    assert codes(payload) == ["NOT_FOUND"]
    assert payload["errors"][0]["orderLines"] == [gid("OrderLine", bike.pk)]

    novel = line_of(order, market.novel)
    variables = {"order": gid("Order", order.pk), "input": fulfil_input([(novel, 1)], market.bikes.warehouse)}
    payload = run(FULFILL, variables, market.books.staff)
    assert codes(payload) == ["NOT_FOUND"]
    assert payload["errors"][0]["field"] == "warehouse"
    assert payload["errors"][0]["warehouse"] == gid("Warehouse", market.bikes.warehouse.pk)
    assert not Fulfillment.objects.exists()


def test_order_fulfill_validates_quantities(market, order):
    atlas = line_of(order, market.atlas)
    too_many = {"order": gid("Order", order.pk), "input": fulfil_input([(atlas, 3)], market.books.warehouse)}
    payload = run(FULFILL, too_many, market.books.staff)
    assert codes(payload) == ["FULFILL_ORDER_LINE"]
    assert payload["errors"][0]["orderLines"] == [gid("OrderLine", atlas.pk)]
    assert payload["orderErrors"] == [{"code": "FULFILL_ORDER_LINE"}]
    nothing = {"order": gid("Order", order.pk), "input": fulfil_input([(atlas, 0)], market.books.warehouse)}
    assert codes(run(FULFILL, nothing, market.books.staff)) == ["ZERO_QUANTITY"]
    twice = fulfil_input([(atlas, 1), (atlas, 1)], market.books.warehouse)
    payload = run(FULFILL, {"order": gid("Order", order.pk), "input": twice}, market.books.staff)
    assert codes(payload) == ["DUPLICATED_INPUT_ITEM"]
    other = make_order(market.channel, market.two_shop_parts()[:1], user=market.customer)
    payload = run(FULFILL, {"order": gid("Order", other.pk), "input": twice}, market.books.staff)
    assert codes(payload) == ["NOT_FOUND"] and payload["errors"][0]["field"] == "order"


LINE_CANCEL = """
mutation($id: ID!, $quantity: Int!, $reason: String) {
  orderLineCancel(id: $id, quantity: $quantity, reason: $reason) {
    orderLine { quantity quantityCancelled quantityToFulfill }
    order { status totalBalance { amount } vendorOrders { status } }
    errors { field code message orderLines }
  }
}"""


def test_cancelling_a_line_makes_the_item_buyable_again_and_refunds(market, order, committed):
    pay(order)
    atlas = line_of(order, market.atlas)
    variant = market.atlas.default_variant_id
    with committed():
        variables = {"id": gid("OrderLine", atlas.pk), "quantity": 1, "reason": "Taché"}
        payload = run(LINE_CANCEL, variables, market.books.staff)
    assert payload["errors"] == []
    assert payload["orderLine"] == {"quantity": 2, "quantityCancelled": 1, "quantityToFulfill": 1}
    assert available_quantities([variant], market.channel)[variant] == 1
    order.refresh_from_db()
    assert order.total_refunded_amount == Decimal("18.00")
    # Before the refund (it follows the commit) the shopper had paid 18 € too much; after, nothing is owed.
    assert payload["order"]["totalBalance"]["amount"] == 18.0
    balance = "query($id: ID!) { order(id: $id) { totalBalance { amount } totalRefunded { amount } isPaid } }"
    after = data_of(gql(balance, {"id": gid("Order", order.pk)}, user=market.customer))["order"]
    assert after == {"totalBalance": {"amount": 0.0}, "totalRefunded": {"amount": 18.0}, "isPaid": True}

    too_many = run(LINE_CANCEL, {"id": gid("OrderLine", atlas.pk), "quantity": 2}, market.books.staff)
    assert codes(too_many) == ["INVALID_QUANTITY"]
    assert too_many["errors"][0]["orderLines"] == [gid("OrderLine", atlas.pk)]
    foreign = run(LINE_CANCEL, {"id": gid("OrderLine", atlas.pk), "quantity": 1}, market.bikes.staff)
    assert codes(foreign) == ["NOT_FOUND"]


VENDOR_CANCEL = """
mutation($id: ID!, $reason: String) {
  vendorOrderCancel(id: $id, reason: $reason) {
    vendorOrder { status lines { quantityCancelled } }
    order { status }
    errors { field code }
  }
}"""


def test_a_shop_cancels_its_part_and_hooks_hear_the_refund(market, order, committed, settings):
    heard = record_order_hooks(settings)
    part = vendor_order_of(order, market.books.vendor)
    with committed():
        variables = {"id": gid("VendorOrder", part.pk), "reason": "Fermeture"}
        payload = run(VENDOR_CANCEL, variables, market.books.staff)
    assert payload["errors"] == []
    assert payload["vendorOrder"]["status"] == "CANCELLED"
    assert [line["quantityCancelled"] for line in payload["vendorOrder"]["lines"]] == [1, 2]
    assert payload["order"]["status"] == "UNFULFILLED"
    [(_, _, _, amount)] = [entry for entry in heard if entry[0] == "order_lines_cancelled"]
    assert amount.amount == Decimal("46.50")
    again = run(VENDOR_CANCEL, {"id": gid("VendorOrder", part.pk)}, market.books.staff)
    assert codes(again) == ["CANNOT_CANCEL_ORDER"]


ORDER_CANCEL = "mutation($id: ID!) { orderCancel(id: $id) { order { status } errors { field code } } }"


def test_order_cancel_needs_rights_on_every_part(market, order):
    body = gql(ORDER_CANCEL, {"id": gid("Order", order.pk)}, user=market.bikes.staff)
    assert body["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"
    order.refresh_from_db()
    assert order.status == OrderStatus.UNFULFILLED

    payload = run(ORDER_CANCEL, {"id": gid("Order", order.pk)}, market.federation)
    assert payload == {"order": {"status": "CANCELED"}, "errors": []}
    assert {vo.status for vo in order.vendor_orders.all()} == {S.CANCELLED}
    assert stock_of(market.bike).quantity_allocated == 0

    again = run(ORDER_CANCEL, {"id": gid("Order", order.pk)}, market.federation)
    assert codes(again) == ["CANNOT_CANCEL_ORDER"]


def test_a_shop_alone_in_an_order_may_cancel_it_whole(market):
    order = make_order(market.channel, market.two_shop_parts()[:1], user=market.customer)
    payload = run(ORDER_CANCEL, {"id": gid("Order", order.pk)}, market.bikes.staff)
    assert payload == {"order": {"status": "CANCELED"}, "errors": []}


TRACKING = """
mutation($id: ID!, $input: FulfillmentUpdateTrackingInput!) {
  orderFulfillmentUpdateTracking(id: $id, input: $input) {
    fulfillment { trackingNumber } order { vendorOrders { trackingNumber } } errors { field code }
  }
}"""


def test_a_shop_updates_its_parcels_tracking_number(market, order, committed, mailoutbox):
    from saleor_ext.order import services

    fulfillment = services.fulfil_lines(order, {line_of(order, market.novel).pk: 1}, market.books.staff)
    variables = {"id": gid("Fulfillment", fulfillment.pk), "input": {"trackingNumber": "PN-1", "notifyCustomer": True}}
    with committed():
        payload = run(TRACKING, variables, market.books.staff)
    assert payload["errors"] == []
    assert payload["fulfillment"] == {"trackingNumber": "PN-1"}
    assert payload["order"]["vendorOrders"] == [{"trackingNumber": "PN-1"}]
    assert "PN-1" in mailoutbox[-1].body
    assert codes(run(TRACKING, variables, market.bikes.staff)) == ["NOT_FOUND"]
