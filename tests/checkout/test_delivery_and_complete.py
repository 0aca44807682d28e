"""From a filled cart to an order: addresses, a delivery per shop, payment, completion."""

from __future__ import annotations

import pytest

from saleor_ext.channel.models import Channel
from saleor_ext.checkout.models import CheckoutDelivery
from saleor_ext.core.rich_text import editorjs_from_text
from saleor_ext.graphql.core.ids import to_global_id
from saleor_ext.order.models import Order
from saleor_ext.warehouse.models import Allocation, Stock
from tests.checkout.conftest import BE_ADDRESS, create_checkout, run

pytestmark = pytest.mark.django_db

SHIPPING = """
mutation($id: ID!, $address: AddressInput!) {
  checkoutShippingAddressUpdate(id: $id, shippingAddress: $address) {
    checkout { shippingAddress { city postalCode country { code } } }
    errors { field code addressType }
  }
}"""
BILLING = """
mutation($id: ID!, $address: AddressInput!) {
  checkoutBillingAddressUpdate(id: $id, billingAddress: $address) { checkout { id } errors { field code } }
}"""
OPTIONS = """
mutation($id: ID!) {
  deliveryOptionsCalculate(id: $id) { deliveries { id shippingMethod { id name price { amount } } } errors { code } }
}"""
CHOOSE = """
mutation($id: ID!, $method: ID!) {
  checkoutDeliveryMethodUpdate(id: $id, deliveryMethodId: $method) {
    checkout {
      shippingPrice { gross { amount } }
      totalPrice { gross { amount } }
      vendorGroups {
        vendor { slug }
        deliveryMethod { __typename ... on ShippingMethod { name } ... on Warehouse { name } }
      }
    }
    errors { field code }
  }
}"""
PAY = """
mutation($id: ID!, $gateway: PaymentGatewayToInitialize!) {
  transactionInitialize(id: $id, paymentGateway: $gateway) {
    transaction { chargedAmount { amount } } transactionEvent { type } errors { field code message }
  }
}"""
COMPLETE = """
mutation($id: ID!) {
  checkoutComplete(id: $id) { order { id number } errors { field code message variants } }
}"""
DUMMY = {"id": "mirumee.payments.dummy", "data": {"event": {"type": "CHARGE_SUCCESS", "includePspReference": True}}}


def ready_checkout(market, lines, *, pickup_for_bikes=True):
    """A cart with e-mail, addresses and a delivery chosen for each shop."""
    checkout = create_checkout(lines, email="anne@example.com")
    assert run(SHIPPING, {"id": checkout["id"], "address": BE_ADDRESS})["errors"] == []
    assert run(BILLING, {"id": checkout["id"], "address": BE_ADDRESS})["errors"] == []
    deliveries = run(OPTIONS, {"id": checkout["id"]})["deliveries"]
    for delivery in deliveries:
        shop = delivery["shippingMethod"]["name"]
        if pickup_for_bikes and shop.startswith(market.bikes.vendor.name):
            continue
        assert run(CHOOSE, {"id": checkout["id"], "method": delivery["id"]})["errors"] == []
    if pickup_for_bikes and any(p.vendor_id == market.bikes.vendor.pk for p, _ in lines):
        warehouse = to_global_id("Warehouse", market.bikes.warehouse.pk)
        assert run(CHOOSE, {"id": checkout["id"], "method": warehouse})["errors"] == []
    return checkout


def test_an_invalid_postal_code_is_refused_for_the_shipping_address(market):
    checkout = create_checkout([(market.book, 1)])

    payload = run(SHIPPING, {"id": checkout["id"], "address": {**BE_ADDRESS, "postalCode": "ABC"}})

    assert payload["errors"][0]["field"] == "postalCode"
    assert payload["errors"][0]["code"] == "INVALID"
    assert payload["errors"][0]["addressType"] == "SHIPPING"


def test_each_shop_offers_its_own_delivery_and_the_choice_is_per_shop(market):
    checkout = create_checkout([(market.book, 1), (market.bike, 1)])
    run(SHIPPING, {"id": checkout["id"], "address": BE_ADDRESS})

    deliveries = run(OPTIONS, {"id": checkout["id"]})["deliveries"]
    names = sorted(d["shippingMethod"]["name"] for d in deliveries)
    books_delivery = next(d for d in deliveries if d["shippingMethod"]["name"].startswith("Bouquinerie"))
    chosen = run(CHOOSE, {"id": checkout["id"], "method": books_delivery["id"]})["checkout"]
    pickup = run(CHOOSE, {"id": checkout["id"], "method": to_global_id("Warehouse", market.bikes.warehouse.pk)})

    assert names == [f"{market.books.vendor.name} bpost", f"{market.bikes.vendor.name} bpost"]
    assert chosen["shippingPrice"]["gross"]["amount"] == 4.5
    assert chosen["totalPrice"]["gross"]["amount"] == 130.5
    methods = {g["vendor"]["slug"]: g["deliveryMethod"] for g in pickup["checkout"]["vendorGroups"]}
    assert methods[market.books.vendor.slug] == {"__typename": "ShippingMethod", "name": "Bouquinerie du Centre bpost"}
    assert methods[market.bikes.vendor.slug] == {"__typename": "Warehouse", "name": market.bikes.warehouse.name}


def test_a_shop_without_pickup_cannot_be_given_a_pickup_point(market):
    checkout = create_checkout([(market.book, 1)])

    payload = run(CHOOSE, {"id": checkout["id"], "method": to_global_id("Warehouse", market.bikes.warehouse.pk)})

    assert payload["errors"] == [{"field": "deliveryMethodId", "code": "DELIVERY_METHOD_NOT_APPLICABLE"}]


def test_completion_lists_what_is_missing(market):
    checkout = create_checkout([(market.book, 1)], email="anne@example.com")

    no_billing = run(COMPLETE, {"id": checkout["id"]})["errors"]
    run(BILLING, {"id": checkout["id"], "address": BE_ADDRESS})
    no_delivery = run(COMPLETE, {"id": checkout["id"]})["errors"]

    assert no_billing[0]["code"] == "BILLING_ADDRESS_NOT_SET"
    assert no_delivery[0]["code"] == "SHIPPING_METHOD_NOT_SET"


def test_an_unpaid_cart_does_not_become_an_order(market):
    checkout = ready_checkout(market, [(market.book, 1)])

    payload = run(COMPLETE, {"id": checkout["id"]})

    assert payload["errors"][0]["code"] == "CHECKOUT_NOT_FULLY_PAID"
    assert not Order.objects.exists()


def test_a_paid_two_shop_cart_becomes_one_order_with_a_vendor_order_per_shop(market):
    checkout = ready_checkout(market, [(market.book, 1), (market.bike, 1)])
    paid = run(PAY, {"id": checkout["id"], "gateway": DUMMY})

    payload = run(COMPLETE, {"id": checkout["id"]})
    again = run(COMPLETE, {"id": checkout["id"]})

    assert paid["errors"] == []
    assert paid["transaction"]["chargedAmount"]["amount"] == 130.5
    assert payload["errors"] == []
    order = Order.objects.get()
    assert again["order"]["id"] == payload["order"]["id"]
    assert order.total_gross_amount == 130.5
    assert order.charge_status == "full"
    parts = {vo.vendor_id: vo for vo in order.vendor_orders.all()}
    assert parts[market.books.vendor.pk].shipping_method_name == "Bouquinerie du Centre bpost"
    assert parts[market.bikes.vendor.pk].collection_point_id == market.bikes.warehouse.pk
    stock = Stock.objects.get(product_variant=market.bike.default_variant)
    assert stock.quantity_allocated == 1
    assert Allocation.objects.filter(order_line__order=order).count() == 2


def test_starting_payment_reserves_the_unique_item_against_other_carts(market):
    mine = ready_checkout(market, [(market.bike, 1)])
    theirs = create_checkout([(market.book, 1)])
    run(PAY, {"id": mine["id"], "gateway": {"id": "marketplace.payments.pickup"}})

    from tests.checkout.conftest import variant_id
    from tests.checkout.test_cart import ADD

    payload = run(ADD, {"id": theirs["id"], "lines": [{"variantId": variant_id(market.bike), "quantity": 1}]})

    assert payload["errors"][0]["code"] == "INSUFFICIENT_STOCK"


def test_pay_at_pickup_is_offered_only_when_every_shop_hands_over_in_store(market):
    query = "query($id: ID!) { checkout(id: $id) { availablePaymentGateways { id } } }"
    from tests.graphql.conftest import data_of, gql

    pickup_only = ready_checkout(market, [(market.bike, 1)])
    mixed = ready_checkout(market, [(market.bike, 1), (market.book, 1)])

    def gateways(checkout):
        return {g["id"] for g in data_of(gql(query, {"id": checkout["id"]}))["checkout"]["availablePaymentGateways"]}

    assert "marketplace.payments.pickup" in gateways(pickup_only)
    assert "marketplace.payments.pickup" not in gateways(mixed)
    assert "mirumee.payments.dummy" in gateways(mixed)


def test_pay_at_pickup_completes_the_order_unpaid(market):
    checkout = ready_checkout(market, [(market.bike, 1)])
    run(PAY, {"id": checkout["id"], "gateway": {"id": "marketplace.payments.pickup"}})

    payload = run(COMPLETE, {"id": checkout["id"]})

    assert payload["errors"] == []
    order = Order.objects.get()
    assert order.charge_status == "none"
    assert order.authorize_status == "full"


def test_allow_unpaid_orders_lets_a_channel_skip_payment(market):
    Channel.objects.filter(pk=market.channel.pk).update(allow_unpaid_orders=True)
    checkout = ready_checkout(market, [(market.bike, 1)])

    assert run(COMPLETE, {"id": checkout["id"]})["errors"] == []


def test_the_order_shows_its_vat_per_rate_with_shipping_at_the_shops_rate(market):
    from saleor_ext.tax.models import TaxClass
    from tests.graphql.conftest import data_of, gql

    books = market.book.product_type
    books.tax_class = TaxClass.objects.get(name__startswith="Reduced")
    books.save()
    checkout = ready_checkout(market, [(market.book, 1), (market.bike, 1)])
    run(PAY, {"id": checkout["id"], "gateway": DUMMY})
    order_id = run(COMPLETE, {"id": checkout["id"]})["order"]["id"]

    order = data_of(gql(
        "query($id: ID!) { order(id: $id) { vatBreakdown { rate net { amount } tax { amount } gross { amount } } } }",
        {"id": order_id},
    ))["order"]

    assert order["vatBreakdown"] == [
        {"rate": 6.0, "net": {"amount": 5.66}, "tax": {"amount": 0.34}, "gross": {"amount": 6.0}},
        # The bike (120.00) and the bookshop's delivery (4.50), both at 21 %.
        {"rate": 21.0, "net": {"amount": 102.89}, "tax": {"amount": 21.61}, "gross": {"amount": 124.5}},
    ]


def test_collecting_a_pay_at_pickup_order_records_the_payment_made_in_the_shop(
    market, django_capture_on_commit_callbacks
):
    from saleor_ext.order.services import accept_vendor_order, mark_collected, mark_ready_for_pickup
    from saleor_ext.payment.models import TransactionItem
    from tests.factories import make_vendor_staff

    staff = make_vendor_staff(market.bikes.vendor)
    checkout = ready_checkout(market, [(market.bike, 1)])
    run(PAY, {"id": checkout["id"], "gateway": {"id": "marketplace.payments.pickup"}})
    run(COMPLETE, {"id": checkout["id"]})
    order = Order.objects.get()
    vendor_order = order.vendor_orders.get()

    with django_capture_on_commit_callbacks(execute=True):
        accept_vendor_order(vendor_order, staff)
        mark_ready_for_pickup(vendor_order, staff)
        mark_collected(vendor_order, staff)

    order.refresh_from_db()
    item = TransactionItem.objects.get()
    assert item.charged_value == 120 and item.authorized_value == 0
    assert order.charge_status == "full"


def test_only_the_owner_or_order_staff_can_start_a_payment_for_an_order(market):
    from tests.factories import make_user

    checkout = ready_checkout(market, [(market.book, 1)])
    run(PAY, {"id": checkout["id"], "gateway": DUMMY})
    order_id = run(COMPLETE, {"id": checkout["id"]})["order"]["id"]

    stranger = run(PAY, {"id": order_id, "gateway": DUMMY}, user=make_user())

    assert stranger["errors"][0]["code"] == "NOT_FOUND"
    assert stranger["transaction"] is None


def test_a_delivery_offer_keeps_its_methods_description_as_the_text_the_shopper_reads(market):
    method = market.books.home_delivery
    method.description = editorjs_from_text("Remis par bpost & DHL <en 48 h>")
    method.save(update_fields=["description"])
    checkout = create_checkout([(market.book, 1)])
    run(SHIPPING, {"id": checkout["id"], "address": BE_ADDRESS})

    run(OPTIONS, {"id": checkout["id"]})

    offer = CheckoutDelivery.objects.get(built_in_shipping_method_id=method.pk)
    assert offer.description == "Remis par bpost & DHL <en 48 h>"
