"""The cart (#13–#18) and checkout-app (#19, #22–#36) operations of Saleor's storefront, replayed unchanged.

Each document in storefront/checkout/ is written in the shape the storefront sends it: cart/ holds the header
cart's operations, app/ those of the checkout app, fragments/ the fragments they spread (appended to the
operation, as the storefront's codegen does). The catalogue is the two-shop market of tests/checkout: a bike
shop with a pickup point and a bookshop delivering by bpost, both shipping to Belgium.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from graphql import parse, validate

from saleor_ext.checkout.models import Checkout
from saleor_ext.graphql.api import schema
from saleor_ext.graphql.core.ids import to_global_id
from saleor_ext.order.models import Order
from tests.account.helpers import bearer, login, make_shopper
from tests.checkout import conftest as two_shop_market
from tests.checkout.conftest import BE_ADDRESS, variant_id

from .conftest import gql
from .test_orders_storefront import ORDER_37

pytestmark = pytest.mark.django_db

market = two_shop_market.market  # the fixture: two shops, bpost to Belgium, a pickup point for bikes

DOCUMENTS = Path(__file__).parent / "storefront" / "checkout"
CHANNEL = "marketplace"
DUMMY = "mirumee.payments.dummy"
BILLING = {**BE_ADDRESS, "streetAddress1": "Rue Haute 12", "phone": "+32470123456"}


def document(name: str) -> str:
    """An operation with the fragments it spreads appended, as the storefront sends it."""
    text = (DOCUMENTS / f"{name}.graphql").read_text()
    included: set[str] = set()
    pending = set(re.findall(r"\.\.\.([A-Z]\w*)", text))
    while pending:
        fragment = pending.pop()
        included.add(fragment)
        body = (DOCUMENTS / "fragments" / f"{fragment}.graphql").read_text()
        text += "\n" + body
        pending |= set(re.findall(r"\.\.\.([A-Z]\w*)", body)) - included
    return text


OPERATIONS = sorted(
    str(path.relative_to(DOCUMENTS).with_suffix("")) for path in DOCUMENTS.rglob("*.graphql")
    if "fragments" not in path.parts
)


def run(name: str, variables: dict | None = None, **headers) -> dict:
    """The document's data; a top-level GraphQL error fails the test."""
    body = gql(document(name), variables or {}, **headers)
    assert "errors" not in body, body["errors"]
    return body["data"]


def ok(name: str, variables: dict | None = None, **headers) -> dict:
    """The payload of a mutation document that must succeed."""
    payload = next(iter(run(name, variables, **headers).values()))
    assert payload["errors"] == [], payload["errors"]
    return payload


def app(name: str, variables: dict, **headers) -> dict:
    """A checkout-app document: every one takes ``$languageCode``."""
    return next(iter(run(f"app/{name}", {"languageCode": "FR", **variables}, **headers).values()))


def gross(money_holder: dict) -> Decimal:
    return Decimal(str(money_holder["gross"]["amount"]))


def test_there_is_a_document_for_each_cart_and_checkout_operation():
    assert len([name for name in OPERATIONS if name.startswith("cart/")]) == 6  # 13–18
    assert len([name for name in OPERATIONS if name.startswith("app/")]) == 18  # 19, 22–36


@pytest.mark.parametrize("name", OPERATIONS)
def test_every_document_validates_against_our_schema(name):
    assert validate(schema.graphql_schema, parse(document(name))) == []


# --- the header cart (#13–#18) ------------------------------------------------------------------------


def test_header_cart_from_an_empty_bag_to_adding_updating_and_removing_lines(market):
    # 13: the bag is created empty, in the shopper's language.
    created = run("cart/CheckoutCreate", {"channel": CHANNEL, "languageCode": "FR"})["checkoutCreate"]
    assert created["errors"] == []
    bag = created["checkout"]
    assert bag["lines"] == [] and bag["totalPrice"]["gross"] == {"amount": 0.0, "currency": "EUR"}
    checkout_id = bag["id"]

    # 15: "add to bag" on the laptop's page.
    added = ok("cart/CheckoutAddLine", {"id": checkout_id, "productVariantId": variant_id(market.laptops)})
    assert [(line["quantity"], line["variant"]["product"]["name"]) for line in added["checkout"]["lines"]] == [
        (1, "Laptop")
    ]

    # 14: the cart drawer shows the line with its price and the shop's category.
    found = run("cart/CheckoutFind", {"id": checkout_id, "languageCode": "FR"})["checkout"]
    assert len(found["lines"]) == 1
    line = found["lines"][0]
    assert line["variant"]["pricing"]["price"]["gross"] == {"amount": 250.0, "currency": "EUR"}
    assert line["variant"]["pricing"]["priceUndiscounted"]["gross"]["amount"] == 250.0
    assert line["totalPrice"]["gross"]["amount"] == 250.0
    assert found["totalPrice"]["gross"]["amount"] == 250.0
    line_id = line["id"]

    # 16: more laptops than the shop has: refused on the quantity, the cart unchanged.
    too_many = run(
        "cart/CheckoutLinesUpdate", {"checkoutId": checkout_id, "lines": [{"lineId": line_id, "quantity": 4}]}
    )["checkoutLinesUpdate"]
    assert too_many["errors"][0]["code"] == "INSUFFICIENT_STOCK"
    assert too_many["errors"][0]["field"] == "quantity"
    assert run("cart/CheckoutFind", {"id": checkout_id, "languageCode": "FR"})["checkout"]["lines"][0]["quantity"] == 1

    two = ok("cart/CheckoutLinesUpdate", {"checkoutId": checkout_id, "lines": [{"lineId": line_id, "quantity": 2}]})
    assert two["checkout"]["lines"][0]["totalPrice"]["gross"]["amount"] == 500.0
    assert two["checkout"]["totalPrice"]["gross"] == {"amount": 500.0, "currency": "EUR"}

    # 17: the line is removed; the storefront reads the channel to rebuild its links.
    emptied = run("cart/CheckoutDeleteLines", {"checkoutId": checkout_id, "lineIds": [line_id]})["checkoutLinesDelete"]
    assert emptied["errors"] == []
    assert emptied["checkout"] == {"id": checkout_id, "lines": [], "channel": {"slug": CHANNEL}}

    # 15 again: the bag is usable after being emptied.
    again = ok("cart/CheckoutAddLine", {"id": checkout_id, "productVariantId": variant_id(market.book)})
    assert [line["variant"]["name"] for line in again["checkout"]["lines"]] == [market.book.default_variant.name]


def test_a_forgotten_cart_reads_as_null_so_the_storefront_starts_a_new_one(market):
    gone = to_global_id("Checkout", "0d6f0c4e-63b4-4a8e-9a49-3f7a1b2c9d10")

    assert run("cart/CheckoutFind", {"id": gone, "languageCode": "FR"}) == {"checkout": None}


def test_signing_out_detaches_the_shoppers_cart(market):
    make_shopper()
    auth = bearer(login("anne.dupont@example.be")["token"])
    created = run("cart/CheckoutCreate", {"channel": CHANNEL, "languageCode": "NL"}, **auth)["checkoutCreate"]
    checkout = Checkout.objects.get()
    assert checkout.user is not None and checkout.language_code == "nl"

    # 18: sent with the shopper's token just before the storefront forgets it.
    detached = ok("cart/CheckoutCustomerDetach", {"id": created["checkout"]["id"]}, **auth)

    assert detached["checkout"]["id"] == created["checkout"]["id"]
    checkout.refresh_from_db()
    assert checkout.user is None


def test_detaching_needs_the_shoppers_token(market):
    created = run("cart/CheckoutCreate", {"channel": CHANNEL, "languageCode": "FR"})["checkoutCreate"]

    refused = run("cart/CheckoutCustomerDetach", {"id": created["checkout"]["id"]})["checkoutCustomerDetach"]

    assert refused["checkout"] is None
    assert refused["errors"][0]["code"] == "INVALID"


# --- the checkout app (#19, #22–#36, then #37) --------------------------------------------------------


def test_checkout_app_from_an_orphaned_cart_to_a_paid_order(market):
    # 22: recoverOrphanedCheckout creates a new checkout, then re-adds the lines with 23.
    created = app("checkoutCreate", {"channel": CHANNEL})
    assert created["errors"] == []
    checkout = created["checkout"]
    checkout_id = checkout["id"]
    assert checkout["channel"]["slug"] == CHANNEL and checkout["user"] is None
    # No vouchers nor gift cards on the marketplace: a zero discount, no code, no cards.
    assert checkout["discount"] == {"currency": "EUR", "amount": 0.0}
    assert (checkout["voucherCode"], checkout["discountName"], checkout["translatedDiscountName"]) == (None, None, None)
    assert checkout["giftCards"] == []

    # 23: two copies of the same novel would be one too many; the storefront adds one.
    lines = [{"variantId": variant_id(market.book), "quantity": 1}]
    added = app("checkoutLinesAdd", {"checkoutId": checkout_id, "lines": lines})
    assert added["errors"] == []
    line = added["checkout"]["lines"][0]
    assert line["unitPrice"]["gross"] == {"currency": "EUR", "amount": 6.0}
    assert line["undiscountedUnitPrice"] == {"currency": "EUR", "amount": 6.0}
    assert line["variant"]["product"]["name"] == "Roman"
    assert added["checkout"]["isShippingRequired"] is True

    # 24: the quantity stepper; 2 copies of a unique book is refused on the quantity.
    more = app("checkoutLinesUpdate", {"checkoutId": checkout_id, "lines": [{"lineId": line["id"], "quantity": 2}]})
    assert [(e["field"], e["code"]) for e in more["errors"]] == [("quantity", "INSUFFICIENT_STOCK")]
    same = app("checkoutLinesUpdate", {"checkoutId": checkout_id, "lines": [{"lineId": line["id"], "quantity": 1}]})
    assert same["errors"] == [] and gross(same["checkout"]["subtotalPrice"]) == Decimal("6.00")

    # 19: the checkout page; the payment step lists the dummy gateway by its id.
    page = run("app/checkout", {"id": checkout_id, "languageCode": "FR"})["checkout"]
    assert DUMMY in [gateway["id"] for gateway in page["availablePaymentGateways"]]
    assert page["problems"] == [] and page["delivery"] is None
    assert (page["chargeStatus"], page["authorizeStatus"]) == ("NONE", "NONE")

    # 25: the guest's contact e-mail.
    email = app("checkoutEmailUpdate", {"checkoutId": checkout_id, "email": "Camille.Dubois@example.be"})
    assert email["errors"] == [] and email["checkout"]["email"] == "camille.dubois@example.be"

    # 26: the marketing-consent flag, written without any login.
    consent = [{"key": "marketing-consent", "value": "true"}]
    meta = run("app/checkoutMetadataUpdate", {"id": checkout_id, "input": consent})["updateMetadata"]
    assert meta == {"item": {"id": checkout_id}, "errors": []}
    assert Checkout.objects.get().metadata == {"marketing-consent": "true"}

    # 28: the delivery address, with the storefront's validation rules.
    rules = {"checkRequiredFields": True, "checkFieldsFormat": True, "enableFieldsNormalization": True}
    shipping = app(
        "checkoutShippingAddressUpdate",
        {"checkoutId": checkout_id, "shippingAddress": BE_ADDRESS, "saveAddress": False, "validationRules": rules},
    )
    assert shipping["errors"] == []
    assert shipping["checkout"]["shippingAddress"]["city"] == "BRUXELLES"
    assert shipping["checkout"]["shippingAddress"]["country"] == {"code": "BE", "country": "Belgium"}

    # 29: the bookshop's bpost offer.
    options = run("app/deliveryOptionsCalculate", {"id": checkout_id})["deliveryOptionsCalculate"]
    assert options["errors"] == []
    assert len(options["deliveries"]) >= 1
    offer = options["deliveries"][0]
    assert offer["shippingMethod"]["name"] == "Bouquinerie du Centre bpost"
    assert offer["shippingMethod"]["price"] == {"currency": "EUR", "amount": 4.5}
    assert offer["shippingMethod"]["active"] is True

    # 30: the offer's id is the delivery method.
    chosen = app("checkoutDeliveryMethodUpdate", {"checkoutId": checkout_id, "deliveryMethodId": offer["id"]})
    assert chosen["errors"] == []
    method = {"id": offer["shippingMethod"]["id"], "name": "Bouquinerie du Centre bpost"}
    assert chosen["checkout"]["delivery"] == {"id": offer["id"], "shippingMethod": method}
    assert gross(chosen["checkout"]["shippingPrice"]) == Decimal("4.50")
    assert gross(chosen["checkout"]["totalPrice"]) == Decimal("10.50")

    # 31: a billing address of its own.
    billing = app("checkoutBillingAddressUpdate", {"checkoutId": checkout_id, "billingAddress": BILLING})
    assert billing["errors"] == [] and billing["checkout"]["billingAddress"]["streetAddress1"] == "Rue Haute 12"

    # 32: the promo-code box, with the deprecated `checkoutId` argument; no code exists here.
    promo = app("checkoutAddPromoCode", {"checkoutId": checkout_id, "promoCode": "REEMPLOI10"})
    assert [(e["field"], e["code"]) for e in promo["errors"]] == [("promoCode", "INVALID")]
    removed = app("checkoutRemovePromoCode", {"checkoutId": checkout_id, "promoCode": "REEMPLOI10"})
    assert removed["errors"] == [] and removed["checkout"]["voucherCode"] is None

    # 33: the payment step initialises the gateway the shopper picked.
    init = ok("app/paymentGatewaysInitialize", {"checkoutId": checkout_id, "paymentGateways": [{"id": DUMMY}]})
    assert [(config["id"], config["errors"]) for config in init["gatewayConfigs"]] == [(DUMMY, [])]

    # 34: the dummy gateway charges the whole checkout.
    gateway = {"id": DUMMY, "data": {"event": {"includePspReference": True, "type": "CHARGE_SUCCESS"}}}
    paid = ok(
        "app/transactionInitialize",
        {"checkoutId": checkout_id, "action": "CHARGE", "paymentGateway": gateway, "amount": 10.5},
    )
    assert paid["transactionEvent"]["type"] == "CHARGE_SUCCESS"
    assert "REFUND" in paid["transaction"]["actions"]
    after_payment = run("app/checkout", {"id": checkout_id, "languageCode": "FR"})["checkout"]
    assert after_payment["chargeStatus"] == "FULL"

    # 36: the order; the storefront then opens the confirmation page with its id.
    completed = ok("app/checkoutComplete", {"checkoutId": checkout_id})
    order_id = completed["order"]["id"]
    assert completed["order"]["channel"] == {"slug": CHANNEL}
    # A retry (a double click, a lost answer) returns the same order.
    assert ok("app/checkoutComplete", {"checkoutId": checkout_id})["order"]["id"] == order_id

    # 37: the confirmation page reads the order back, anonymously, by its id.
    order = gql(ORDER_37, {"id": order_id, "languageCode": "FR"})["data"]["order"]
    assert order["userEmail"] == "camille.dubois@example.be"
    assert order["isPaid"] is True and order["chargeStatus"] == "FULL"
    assert [(line["productName"], line["quantity"]) for line in order["lines"]] == [("Roman", 1)]
    assert order["lines"][0]["unitPrice"]["gross"] == {"currency": "EUR", "amount": 6.0}
    assert order["total"]["gross"] == {"currency": "EUR", "amount": 10.5}
    assert order["shippingPrice"]["gross"]["amount"] == 4.5
    assert order["deliveryMethod"]["name"] == "Bouquinerie du Centre bpost"
    assert order["billingAddress"]["streetAddress1"] == "Rue Haute 12"
    assert Order.objects.count() == 1


def test_a_two_shop_cart_picks_up_the_bike_and_ships_the_book(market):
    created = app("checkoutCreate", {"channel": CHANNEL})
    checkout_id = created["checkout"]["id"]
    lines = [{"variantId": variant_id(product), "quantity": 1} for product in (market.bike, market.book)]
    assert app("checkoutLinesAdd", {"checkoutId": checkout_id, "lines": lines})["errors"] == []
    app("checkoutShippingAddressUpdate", {"checkoutId": checkout_id, "shippingAddress": BE_ADDRESS})

    # The bike shop's pickup point, with the address the shopper goes to.
    points_query = """query($id: ID!) { checkout(id: $id) {
      availableCollectionPoints { id name clickAndCollectOption address { streetAddress1 city country { code } } }
    } }"""
    points = gql(points_query, {"id": checkout_id})["data"]["checkout"]["availableCollectionPoints"]
    assert points == [{
        "id": to_global_id("Warehouse", market.bikes.warehouse.pk),
        "name": market.bikes.warehouse.name,
        "clickAndCollectOption": "ALL",
        "address": {"streetAddress1": "Rue de la Loi 16", "city": "Bruxelles", "country": {"code": "BE"}},
    }]

    # 29 then 30 for each shop: bpost for the book, the pickup point (a Warehouse id) for the bike.
    deliveries = run("app/deliveryOptionsCalculate", {"id": checkout_id})["deliveryOptionsCalculate"]["deliveries"]
    assert sorted(d["shippingMethod"]["name"] for d in deliveries) == [
        "Bouquinerie du Centre bpost", "Vélos Solidaires bpost"
    ]
    book_offer = next(d for d in deliveries if d["shippingMethod"]["name"].startswith("Bouquinerie"))
    app("checkoutDeliveryMethodUpdate", {"checkoutId": checkout_id, "deliveryMethodId": book_offer["id"]})
    pickup = app("checkoutDeliveryMethodUpdate", {"checkoutId": checkout_id, "deliveryMethodId": points[0]["id"]})

    assert pickup["errors"] == []
    # Two shops, two deliveries: Saleor's single `delivery` has nothing to show; the totals add both.
    assert pickup["checkout"]["delivery"] is None
    assert gross(pickup["checkout"]["shippingPrice"]) == Decimal("4.50")
    assert gross(pickup["checkout"]["totalPrice"]) == Decimal("130.50")


def test_signing_in_during_checkout_attaches_then_detaches_the_shopper(market):
    shopper = make_shopper()
    auth = bearer(login(shopper.email)["token"])
    checkout_id = app("checkoutCreate", {"channel": CHANNEL})["checkout"]["id"]

    # 27: attach after signing in, detach before signing out.
    attached = app("checkoutCustomerAttach", {"checkoutId": checkout_id}, **auth)
    assert attached["errors"] == []
    assert attached["checkout"]["user"] == {"id": to_global_id("User", shopper.pk)}
    assert attached["checkout"]["email"] == shopper.email

    detached = app("checkoutCustomerDetach", {"checkoutId": checkout_id}, **auth)
    assert detached["errors"] == [] and detached["checkout"]["user"] is None


def test_attaching_without_signing_in_is_refused(market):
    checkout_id = app("checkoutCreate", {"channel": CHANNEL})["checkout"]["id"]

    refused = app("checkoutCustomerAttach", {"checkoutId": checkout_id})

    assert refused["checkout"] is None and refused["errors"][0]["code"] == "INVALID"


def test_a_bank_redirect_is_finished_by_transaction_process(market):
    checkout_id = app("checkoutCreate", {"channel": CHANNEL})["checkout"]["id"]
    book = [{"variantId": variant_id(market.book), "quantity": 1}]
    app("checkoutLinesAdd", {"checkoutId": checkout_id, "lines": book})

    # 34 asks for an extra step (as a 3-D Secure card would), 35 reports its outcome.
    waiting = {"id": DUMMY, "data": {"event": {"type": "CHARGE_ACTION_REQUIRED"}}}
    started = ok("app/transactionInitialize", {"checkoutId": checkout_id, "paymentGateway": waiting})
    assert started["transactionEvent"]["type"] == "CHARGE_ACTION_REQUIRED"
    assert run("app/checkout", {"id": checkout_id, "languageCode": "FR"})["checkout"]["chargeStatus"] == "NONE"

    finished = ok(
        "app/transactionProcess",
        {"id": started["transaction"]["id"], "data": {"event": {"type": "CHARGE_SUCCESS"}}},
    )

    assert finished["transaction"]["id"] == started["transaction"]["id"]
    assert finished["transactionEvent"]["type"] == "CHARGE_SUCCESS"
    assert run("app/checkout", {"id": checkout_id, "languageCode": "FR"})["checkout"]["chargeStatus"] == "FULL"


def test_a_checkout_for_an_item_someone_else_bought_cannot_complete(market):
    def paid_checkout() -> str:
        checkout_id = app("checkoutCreate", {"channel": CHANNEL})["checkout"]["id"]
        book = [{"variantId": variant_id(market.book), "quantity": 1}]
        assert app("checkoutLinesAdd", {"checkoutId": checkout_id, "lines": book})["errors"] == []
        app("checkoutEmailUpdate", {"checkoutId": checkout_id, "email": "guest@example.be"})
        app("checkoutShippingAddressUpdate", {"checkoutId": checkout_id, "shippingAddress": BE_ADDRESS})
        app("checkoutBillingAddressUpdate", {"checkoutId": checkout_id, "billingAddress": BE_ADDRESS})
        offer = run("app/deliveryOptionsCalculate", {"id": checkout_id})["deliveryOptionsCalculate"]["deliveries"][0]
        app("checkoutDeliveryMethodUpdate", {"checkoutId": checkout_id, "deliveryMethodId": offer["id"]})
        return checkout_id

    first, second = paid_checkout(), paid_checkout()
    ok("app/transactionInitialize", {"checkoutId": first, "paymentGateway": {"id": DUMMY}})
    ok("app/checkoutComplete", {"checkoutId": first})

    # The book is sold: paying for it again is refused before any money moves, and so is the order.
    payment = run("app/transactionInitialize", {"checkoutId": second, "paymentGateway": {"id": DUMMY}})
    refused = run("app/checkoutComplete", {"checkoutId": second})["checkoutComplete"]

    assert payment["transactionInitialize"]["transaction"] is None
    assert payment["transactionInitialize"]["errors"][0]["field"] == "id"
    assert "just sold" in payment["transactionInitialize"]["errors"][0]["message"]
    assert refused["order"] is None
    assert (refused["errors"][0]["field"], refused["errors"][0]["code"]) == ("lines", "INSUFFICIENT_STOCK")


# --- updateMetadata and checkoutCustomerNoteUpdate ----------------------------------------------------


def test_metadata_keys_are_merged_and_an_empty_key_is_refused(market):
    checkout_id = app("checkoutCreate", {"channel": CHANNEL})["checkout"]["id"]
    update = "app/checkoutMetadataUpdate"

    run(update, {"id": checkout_id, "input": [{"key": "consent-newsletter", "value": "false"}]})
    run(update, {"id": checkout_id, "input": [{"key": "consent-sms", "value": "true"}]})
    empty = run(update, {"id": checkout_id, "input": [{"key": " ", "value": "x"}]})["updateMetadata"]

    assert Checkout.objects.get().metadata == {"consent-newsletter": "false", "consent-sms": "true"}
    assert empty["item"] is None
    assert [(e["field"], e["code"]) for e in empty["errors"]] == [("input", "REQUIRED")]
    read = gql("query($id: ID!) { checkout(id: $id) { metafield(key: \"consent-sms\") } }", {"id": checkout_id})
    assert read["data"]["checkout"]["metafield"] == "true"


def test_metadata_of_an_unknown_checkout_or_a_bad_id_is_an_error(market):
    unknown = to_global_id("Checkout", "0d6f0c4e-63b4-4a8e-9a49-3f7a1b2c9d10")
    input_ = [{"key": "k", "value": "v"}]

    missing = run("app/checkoutMetadataUpdate", {"id": unknown, "input": input_})["updateMetadata"]
    garbage = run("app/checkoutMetadataUpdate", {"id": "not-an-id", "input": input_})["updateMetadata"]

    assert [(e["field"], e["code"]) for e in missing["errors"]] == [("id", "NOT_FOUND")]
    assert [(e["field"], e["code"]) for e in garbage["errors"]] == [("id", "GRAPHQL_ERROR")]


def test_metadata_of_other_objects_cannot_be_changed_anonymously(market):
    product_id = to_global_id("Product", market.book.pk)

    body = gql(document("app/checkoutMetadataUpdate"), {"id": product_id, "input": [{"key": "k", "value": "v"}]})

    assert body["data"]["updateMetadata"] is None
    assert body["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"
    market.book.refresh_from_db()
    assert market.book.metadata == {}


def test_the_customer_note_is_kept_on_the_checkout(market):
    checkout_id = app("checkoutCreate", {"channel": CHANNEL})["checkout"]["id"]
    note = """mutation($id: ID!, $note: String!) { checkoutCustomerNoteUpdate(id: $id, customerNote: $note) {
      checkout { id } errors { field code message } } }"""

    body = gql(note, {"id": checkout_id, "note": "Sonnez deux fois, svp."})

    assert body["data"]["checkoutCustomerNoteUpdate"] == {"checkout": {"id": checkout_id}, "errors": []}
    read = gql("query($id: ID!) { checkout(id: $id) { customerNote } }", {"id": checkout_id})
    assert read["data"]["checkout"]["customerNote"] == "Sonnez deux fois, svp."
