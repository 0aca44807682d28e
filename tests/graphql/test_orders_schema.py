"""The order API keeps Saleor's names and types for what Saleor's clients read and send."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from graphql import parse
from graphql.language import TypeDefinitionNode

from saleor_ext.graphql.compat import compare
from tests.order.api import order_schema

# Saleor's shapes of the order fields its storefront and dashboard use (names and types only).
SALEOR_ORDER_SHAPES = """
type Query {
  order(id: ID, externalReference: String): Order
  orders(sortBy: OrderSortingInput, filter: OrderFilterInput, channel: String, search: String,
         before: String, after: String, first: Int, last: Int): OrderCountableConnection
}
type Mutation {
  orderFulfill(input: OrderFulfillInput!, order: ID): OrderFulfill
  orderCancel(id: ID!): OrderCancel
  orderFulfillmentUpdateTracking(id: ID!, input: FulfillmentUpdateTrackingInput!): FulfillmentUpdateTracking
}
type Order {
  id: ID! number: String! created: DateTime! updatedAt: DateTime! status: OrderStatus! statusDisplay: String!
  user: User userEmail: String channel: Channel! billingAddress: Address shippingAddress: Address
  isPaid: Boolean! paymentStatus: PaymentChargeStatusEnum! paymentStatusDisplay: String!
  chargeStatus: OrderChargeStatusEnum! authorizeStatus: OrderAuthorizeStatusEnum!
  total: TaxedMoney! subtotal: TaxedMoney! shippingPrice: TaxedMoney! undiscountedTotal: TaxedMoney!
  totalBalance: Money! totalCaptured: Money! totalCharged: Money! totalRefunded: Money!
  lines: [OrderLine!]! fulfillments: [Fulfillment!]! events: [OrderEvent!]! discounts: [OrderDiscount!]!
  deliveryMethod: DeliveryMethod voucher: Voucher isShippingRequired: Boolean! shippingMethodName: String
  collectionPointName: String customerNote: String! languageCodeEnum: LanguageCodeEnum! origin: OrderOriginEnum!
  checkoutId: ID displayGrossPrices: Boolean! metadata: [MetadataItem!]! transactions: [TransactionItem!]!
}
type OrderLine {
  id: ID! productName: String! variantName: String! productSku: String quantity: Int! quantityFulfilled: Int!
  quantityToFulfill: Int! taxRate: Float! unitPrice: TaxedMoney! undiscountedUnitPrice: TaxedMoney!
  totalPrice: TaxedMoney! undiscountedTotalPrice: TaxedMoney! variant: ProductVariant
  thumbnail(size: Int, format: ThumbnailFormatEnum = ORIGINAL): Image
}
type Fulfillment {
  id: ID! fulfillmentOrder: Int! status: FulfillmentStatus! trackingNumber: String! created: DateTime!
  lines: [FulfillmentLine!] warehouse: Warehouse
}
type FulfillmentLine { id: ID! quantity: Int! orderLine: OrderLine }
type OrderEvent {
  id: ID! date: DateTime type: OrderEventsEnum user: User message: String emailType: OrderEventsEmailsEnum
}
type OrderError { field: String message: String code: OrderErrorCode! warehouse: ID orderLines: [ID!] variants: [ID!] }
type OrderFulfill { fulfillments: [Fulfillment!] order: Order orderErrors: [OrderError!]! errors: [OrderError!]! }
type OrderCancel { order: Order orderErrors: [OrderError!]! errors: [OrderError!]! }
input OrderFulfillInput {
  lines: [OrderFulfillLineInput!]! notifyCustomer: Boolean allowStockToBeExceeded: Boolean = false
  trackingNumber: String
}
input OrderFulfillLineInput { orderLineId: ID stocks: [OrderFulfillStockInput!]! }
input OrderFulfillStockInput { quantity: Int! warehouse: ID! }
union DeliveryMethod = Warehouse | ShippingMethod
"""


def _fields(sdl: str) -> dict[str, set[str]]:
    return {
        node.name.value: {field.name.value for field in getattr(node, "fields", None) or ()}
        for node in parse(sdl).definitions
        if isinstance(node, TypeDefinitionNode)
    }


def test_order_types_have_saleors_shapes():
    ours = str(order_schema())
    report = compare(ours, SALEOR_ORDER_SHAPES)
    assert report.mismatches == []
    served = _fields(ours)
    missing = {
        f"{type_name}.{field}"
        for type_name, fields in _fields(SALEOR_ORDER_SHAPES).items()
        for field in fields
        if field not in served.get(type_name, set())
    }
    assert missing == set()


def test_order_types_agree_with_the_committed_saleor_baseline():
    baseline = (Path(settings.BASE_DIR) / "saleor_ext" / "graphql" / "saleor_baseline.graphql").read_text()
    assert compare(str(order_schema()), baseline).mismatches == []


def test_marketplace_additions_are_new_names():
    report = compare(str(order_schema()), SALEOR_ORDER_SHAPES)
    assert "field Order.vendorOrders" in report.additions
    assert "field OrderLine.quantityCancelled" in report.additions
