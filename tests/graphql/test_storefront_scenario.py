"""The reference's "suggested end-to-end compatibility scenario" (steps 1–5), played as Saleor's storefront
plays it against a `be-fr` channel: catalogue, cart, checkout, payment, order, then the shopper's account.

Every request is one of the storefront's own documents (tests/graphql/storefront/…), sent unchanged.
Operations #10–#12 (menus and CMS pages) are not played: the marketplace has no menu or page API yet.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import jwt
import pytest
from django.core import mail
from django.utils import timezone

from saleor_ext.channel.models import Channel
from saleor_ext.graphql.core.ids import to_global_id
from saleor_ext.product.models import Collection, CollectionChannelListing, CollectionProduct
from saleor_ext.shipping.models import ShippingMethod, ShippingMethodChannelListing, ShippingZone
from saleor_ext.warehouse.models import ChannelWarehouse
from tests.account.helpers import PASSWORD, bearer, graphql_committed, login, sent_link
from tests.factories import PASSWORD as STAFF_PASSWORD
from tests.factories import make_category, make_product, make_product_type, make_superuser, make_vendor, make_warehouse

from .conftest import gql, index_search, storefront_document
from .test_account_storefront_operations import document as account_document
from .test_checkout_storefront import document as checkout_document
from .test_orders_storefront import ORDER_37, ORDER_DETAILS

pytestmark = pytest.mark.django_db

CHANNEL = "be-fr"
API_URL = "http://testserver/graphql/"
DUMMY = "mirumee.payments.dummy"
EMAIL = "camille.dubois@example.be"
ADDRESS = {"firstName": "Camille", "lastName": "Dubois", "streetAddress1": "Rue de Bruxelles 61", "postalCode": "5000",
           "city": "Namur", "country": "BE"}

# Only the channels query needs an app token in the storefront; the marketplace has no apps, so a staff
# user's JWT stands in for it (the query is refused to anonymous callers, as Saleor refuses it without a token).
CHANNELS_LIST = "query ChannelsList { channels { id name slug isActive currencyCode } }"


def data(body: dict) -> dict:
    assert "errors" not in body, body["errors"]
    assert body["data"] is not None
    return body["data"]


def catalogue(name: str, variables: dict) -> dict:
    return data(gql(storefront_document(name), {"channel": CHANNEL, "languageCode": "FR", **variables}))


def checkout_op(name: str, variables: dict, **headers) -> dict:
    payload = next(iter(data(gql(checkout_document(name), variables, **headers)).values()))
    return payload


def checkout_ok(name: str, variables: dict, **headers) -> dict:
    payload = checkout_op(name, variables, **headers)
    assert payload["errors"] == [], payload["errors"]
    return payload


def account_ok(name: str, variables: dict | None = None, **headers) -> dict:
    payload = next(iter(data(gql(account_document(name), variables or {}, **headers)).values()))
    assert payload["errors"] == [], payload["errors"]
    return payload


@pytest.fixture
def seeded(settings, tmp_path):
    """Step 1: one channel, one shop and warehouse, a product type, a category, a published collection,
    one product of one variant at 35 € with 2 in stock, bpost to Belgium at 4.95 €; the dummy gateway on."""
    settings.MEDIA_ROOT = str(tmp_path)
    settings.PAYMENTS_DUMMY_ENABLED = True
    channel = Channel.objects.create(
        name="Belgique (FR)", slug=CHANNEL, is_active=True, currency_code="EUR", default_country="BE"
    )
    shop = make_vendor("Ressourcerie Namuroise")
    warehouse = make_warehouse(shop, "Ressourcerie Namuroise – dépôt")
    ChannelWarehouse.objects.create(channel=channel, warehouse=warehouse)
    category = make_category("Luminaires")
    product = make_product(
        shop, "Lampe de bureau Anglepoise", sku="lampe-anglepoise", price="35.00", quantity=2, channel=channel,
        warehouse=warehouse, category=category, product_type=make_product_type("Luminaire"),
    )
    collection = Collection.objects.create(name="Coups de cœur", slug="coups-de-coeur")
    CollectionChannelListing.objects.create(
        collection=collection, channel=channel, is_published=True, published_at=timezone.now() - timedelta(days=1)
    )
    CollectionProduct.objects.create(collection=collection, product=product)
    zone = ShippingZone.objects.create(name="Belgique", vendor=shop, countries=["BE"])
    zone.channels.add(channel)
    method = ShippingMethod.objects.create(shipping_zone=zone, name="bpost", type="weight")
    ShippingMethodChannelListing.objects.create(
        shipping_method=method, channel=channel, currency="EUR", price_amount=Decimal("4.95")
    )
    index_search()
    return product


def test_storefront_end_to_end_scenario(seeded, django_capture_on_commit_callbacks):
    product = seeded
    variant_id = to_global_id("ProductVariant", product.default_variant_id)

    # --- Step 2: the catalogue --------------------------------------------------------------------------
    staff = make_superuser()
    assert gql(CHANNELS_LIST)["errors"]  # no token: refused
    channels = data(gql(CHANNELS_LIST, **bearer(login(staff.email, STAFF_PASSWORD)["token"])))["channels"]
    assert {"name": "Belgique (FR)", "slug": CHANNEL, "isActive": True, "currencyCode": "EUR"}.items() <= next(
        c for c in channels if c["slug"] == CHANNEL
    ).items()

    listing = catalogue("ProductListPaginated", {"first": 12})["products"]
    assert [edge["node"]["name"] for edge in listing["edges"]] == ["Lampe de bureau Anglepoise"]
    category = catalogue("ProductListByCategory", {"slug": "luminaires", "first": 12})["category"]
    assert category["products"]["totalCount"] == 1
    collection = catalogue("ProductListByCollection", {"slug": "coups-de-coeur", "first": 12})["collection"]
    assert [edge["node"]["slug"] for edge in collection["products"]["edges"]] == [product.slug]
    found = catalogue(
        "SearchProducts", {"search": "Anglepoise", "sortBy": "RATING", "sortDirection": "DESC", "first": 10}
    )["products"]
    assert found["edges"][0]["node"]["name"] == "Lampe de bureau Anglepoise"
    details = catalogue("ProductDetails", {"slug": product.slug})["product"]
    assert details["isAvailable"] is True
    assert details["pricing"]["priceRange"]["start"]["gross"] == {"amount": 35.0, "currency": "EUR"}
    variants = catalogue("ProductVariantsForPdp", {"slug": product.slug, "first": 10})["product"]["productVariants"]
    assert variants["edges"][0]["node"]["quantityAvailable"] == 2
    variant = catalogue("ProductVariantForPdp", {"sku": "lampe-anglepoise"})["productVariant"]
    assert variant["id"] == variant_id
    categories = catalogue("CategoriesBySlug", {"slugs": ["luminaires"]})["categories"]
    assert [edge["node"]["slug"] for edge in categories["edges"]] == ["luminaires"]

    # --- Step 3: the cart -------------------------------------------------------------------------------
    created = checkout_ok("cart/CheckoutCreate", {"channel": CHANNEL, "languageCode": "FR"})
    checkout_id = created["checkout"]["id"]
    checkout_ok("cart/CheckoutAddLine", {"id": checkout_id, "productVariantId": variant_id})
    cart = data(gql(checkout_document("cart/CheckoutFind"), {"id": checkout_id, "languageCode": "FR"}))["checkout"]
    assert len(cart["lines"]) == 1
    line_id = cart["lines"][0]["id"]
    three = checkout_op("cart/CheckoutLinesUpdate", {"checkoutId": checkout_id,
                                                     "lines": [{"lineId": line_id, "quantity": 3}]})
    assert (three["errors"][0]["code"], three["errors"][0]["field"]) == ("INSUFFICIENT_STOCK", "quantity")
    two = checkout_ok("cart/CheckoutLinesUpdate", {"checkoutId": checkout_id,
                                                   "lines": [{"lineId": line_id, "quantity": 2}]})
    assert two["checkout"]["totalPrice"]["gross"]["amount"] == 70.0
    assert checkout_ok("cart/CheckoutDeleteLines", {"checkoutId": checkout_id, "lineIds": [line_id]})["checkout"][
        "lines"] == []
    checkout_ok("cart/CheckoutAddLine", {"id": checkout_id, "productVariantId": variant_id})

    # --- Step 4: the checkout ---------------------------------------------------------------------------
    fr = {"languageCode": "FR"}
    page = data(gql(checkout_document("app/checkout"), {"id": checkout_id, **fr}))["checkout"]
    assert DUMMY in [gateway["id"] for gateway in page["availablePaymentGateways"]]
    line_id = page["lines"][0]["id"]
    # The shopper takes both lamps, which is all the shop has.
    checkout_ok("app/checkoutLinesUpdate", {"checkoutId": checkout_id, "lines": [{"lineId": line_id, "quantity": 2}],
                                            **fr})
    countries = data(gql(account_document("checkout/channel"), {"slug": CHANNEL}))["channel"]["countries"]
    assert countries == [{"code": "BE"}]
    rules = data(gql(account_document("checkout/addressValidationRules"), {"countryCode": "BE"}))
    assert "postalCode" in rules["addressValidationRules"]["requiredFields"]
    checkout_ok("app/checkoutEmailUpdate", {"checkoutId": checkout_id, "email": EMAIL, **fr})
    checkout_ok("app/checkoutShippingAddressUpdate", {"checkoutId": checkout_id, "shippingAddress": ADDRESS, **fr})
    deliveries = checkout_ok("app/deliveryOptionsCalculate", {"id": checkout_id})["deliveries"]
    assert len(deliveries) >= 1
    chosen = checkout_ok(
        "app/checkoutDeliveryMethodUpdate", {"checkoutId": checkout_id, "deliveryMethodId": deliveries[0]["id"], **fr}
    )["checkout"]
    assert chosen["totalPrice"]["gross"]["amount"] == 74.95
    checkout_ok("app/checkoutBillingAddressUpdate", {"checkoutId": checkout_id, "billingAddress": ADDRESS, **fr})
    # Meanwhile another shopper puts one of the lamps in a cart of their own and gets as far as paying.
    other = checkout_ok("app/checkoutCreate", {"channel": CHANNEL, **fr})["checkout"]["id"]
    checkout_ok("app/checkoutLinesAdd", {"checkoutId": other, "lines": [{"variantId": variant_id, "quantity": 1}],
                                         **fr})
    checkout_ok("app/checkoutEmailUpdate", {"checkoutId": other, "email": "late@example.be", **fr})
    checkout_ok("app/checkoutShippingAddressUpdate", {"checkoutId": other, "shippingAddress": ADDRESS, **fr})
    checkout_ok("app/checkoutBillingAddressUpdate", {"checkoutId": other, "billingAddress": ADDRESS, **fr})
    other_offer = checkout_ok("app/deliveryOptionsCalculate", {"id": other})["deliveries"][0]
    checkout_ok("app/checkoutDeliveryMethodUpdate", {"checkoutId": other, "deliveryMethodId": other_offer["id"], **fr})

    configs = checkout_ok("app/paymentGatewaysInitialize", {"checkoutId": checkout_id,
                                                            "paymentGateways": [{"id": DUMMY}]})["gatewayConfigs"]
    assert [config["id"] for config in configs] == [DUMMY]
    gateway = {"id": DUMMY, "data": {"event": {"includePspReference": True, "type": "CHARGE_SUCCESS"}}}
    charged = checkout_ok("app/transactionInitialize", {"checkoutId": checkout_id, "paymentGateway": gateway})
    assert charged["transactionEvent"]["type"] == "CHARGE_SUCCESS"
    paid = data(gql(checkout_document("app/checkout"), {"id": checkout_id, **fr}))["checkout"]
    assert paid["chargeStatus"] == "FULL"
    order_id = checkout_ok("app/checkoutComplete", {"checkoutId": checkout_id})["order"]["id"]
    assert checkout_ok("app/checkoutComplete", {"checkoutId": checkout_id})["order"]["id"] == order_id
    order = data(gql(ORDER_37, {"id": order_id, **fr}))["order"]
    assert order["isPaid"] is True and order["chargeStatus"] == "FULL"
    assert order["total"]["gross"] == {"currency": "EUR", "amount": 74.95}
    assert [(line["productName"], line["quantity"]) for line in order["lines"]] == [("Lampe de bureau Anglepoise", 2)]
    status = data(gql("query($id: ID!) { order(id: $id) { status } }", {"id": order_id}))["order"]["status"]
    assert status in {"UNFULFILLED", "UNCONFIRMED"}

    # Both lamps are sold (stock 2, allocated 2): the other shopper's checkout cannot become an order.
    late = checkout_op("app/checkoutComplete", {"checkoutId": other})
    assert late["order"] is None
    assert late["errors"][0]["code"] == "INSUFFICIENT_STOCK"

    # --- Step 5: the shopper's account ------------------------------------------------------------------
    register = {"email": EMAIL, "password": PASSWORD, "firstName": "Camille", "lastName": "Dubois",
                "channel": CHANNEL, "redirectUrl": "https://shop.reemploi.example/account/confirm"}
    body = graphql_committed(django_capture_on_commit_callbacks, account_document("AccountRegister"),
                             {"input": register})
    assert body["data"]["accountRegister"]["errors"] == []
    _url, params = sent_link(mail.outbox[-1])
    assert account_ok("ConfirmAccount", params)["user"]["isConfirmed"] is True
    tokens = account_ok("tokenCreate", {"email": EMAIL, "password": PASSWORD})
    assert jwt.decode(tokens["token"], options={"verify_signature": False})["iss"] == API_URL
    auth = bearer(tokens["token"])
    assert data(gql(account_document("CurrentUser"), **auth))["me"]["email"] == EMAIL
    assert data(gql(account_document("CurrentUserProfile"), **auth))["me"]["addresses"] == []
    orders_document = (
        "query CurrentUserOrdersPaginated($first: Int, $after: String, $languageCode: LanguageCodeEnum!) "
        "{ me { orders(first: $first, after: $after) { edges { node { ...OrderDetails } cursor } "
        "pageInfo { hasNextPage endCursor } totalCount } } }" + ORDER_DETAILS
    )
    # The order of step 4 was placed as a guest with this e-mail: confirming the account (#54)
    # proved the mailbox, so the order now shows in the account's history.
    assert data(gql(orders_document, {"first": 10, **fr}, **auth))["me"]["orders"]["totalCount"] == 1
    assert account_ok("AccountUpdate", {"input": {"firstName": "Cam"}}, **auth)["user"]["firstName"] == "Cam"
    home = account_ok("AccountAddressCreate", {"input": ADDRESS}, **auth)["address"]
    account_ok("AccountSetDefaultAddress", {"id": home["id"], "type": "SHIPPING"}, **auth)
    assert data(gql(account_document("CurrentUserProfile"), **auth))["me"]["defaultShippingAddress"] == {
        "id": home["id"]
    }
    account_ok("PasswordChange", {"newPassword": "Lampes-et-abat-jour-2027", "oldPassword": PASSWORD}, **auth)
    refreshed = account_ok("refreshToken", {"refreshToken": tokens["refreshToken"]})
    assert data(gql(account_document("CurrentUser"), **bearer(refreshed["token"])))["me"]["email"] == EMAIL


def test_a_logged_in_shoppers_order_appears_in_their_account(seeded):
    """Step 4 with #27: the checkout attached to the signed-in shopper lists its order in #43."""
    from tests.account.helpers import make_shopper

    make_shopper(EMAIL)
    auth = bearer(login(EMAIL)["token"])
    fr = {"languageCode": "FR"}
    variant_id = to_global_id("ProductVariant", seeded.default_variant_id)
    checkout_id = checkout_ok("app/checkoutCreate", {"channel": CHANNEL, **fr}, **auth)["checkout"]["id"]
    attached = checkout_ok("app/checkoutCustomerAttach", {"checkoutId": checkout_id, **fr}, **auth)
    assert attached["checkout"]["email"] == EMAIL
    checkout_ok("app/checkoutLinesAdd", {"checkoutId": checkout_id, "lines": [{"variantId": variant_id, "quantity": 1}],
                                         **fr}, **auth)
    checkout_ok("app/checkoutShippingAddressUpdate", {"checkoutId": checkout_id, "shippingAddress": ADDRESS, **fr},
                **auth)
    checkout_ok("app/checkoutBillingAddressUpdate", {"checkoutId": checkout_id, "billingAddress": ADDRESS, **fr},
                **auth)
    offer = checkout_ok("app/deliveryOptionsCalculate", {"id": checkout_id}, **auth)["deliveries"][0]
    checkout_ok("app/checkoutDeliveryMethodUpdate", {"checkoutId": checkout_id, "deliveryMethodId": offer["id"], **fr},
                **auth)
    checkout_ok("app/transactionInitialize", {"checkoutId": checkout_id, "paymentGateway": {"id": DUMMY}}, **auth)
    order_id = checkout_ok("app/checkoutComplete", {"checkoutId": checkout_id}, **auth)["order"]["id"]

    orders_document = (
        "query CurrentUserOrdersPaginated($first: Int, $after: String, $languageCode: LanguageCodeEnum!) "
        "{ me { orders(first: $first, after: $after) { edges { node { ...OrderDetails } cursor } "
        "pageInfo { hasNextPage endCursor } totalCount } } }" + ORDER_DETAILS
    )
    orders = data(gql(orders_document, {"first": 10, **fr}, **auth))["me"]["orders"]
    assert orders["totalCount"] == 1
    assert orders["edges"][0]["node"]["id"] == order_id
    assert orders["edges"][0]["node"]["total"]["gross"] == {"amount": 39.95, "currency": "EUR"}
