"""Enums of the order API: Saleor's names and values, plus the marketplace's vendor-order ones."""

from __future__ import annotations

import graphene

from saleor_ext.order.error_codes import OrderErrorCode as Codes

OrderErrorCode = graphene.Enum.from_enum(Codes)


class OrderStatus(graphene.Enum):
    DRAFT = "draft"
    UNCONFIRMED = "unconfirmed"
    UNFULFILLED = "unfulfilled"
    PARTIALLY_FULFILLED = "partially fulfilled"
    PARTIALLY_RETURNED = "partially_returned"
    RETURNED = "returned"
    FULFILLED = "fulfilled"
    CANCELED = "canceled"
    EXPIRED = "expired"


class OrderStatusFilter(graphene.Enum):
    READY_TO_FULFILL = "ready_to_fulfill"
    READY_TO_CAPTURE = "ready_to_capture"
    UNFULFILLED = "unfulfilled"
    UNCONFIRMED = "unconfirmed"
    PARTIALLY_FULFILLED = "partially fulfilled"
    FULFILLED = "fulfilled"
    CANCELED = "canceled"


class OrderChargeStatusEnum(graphene.Enum):
    NONE = "none"
    PARTIAL = "partial"
    FULL = "full"
    OVERCHARGED = "overcharged"


class OrderAuthorizeStatusEnum(graphene.Enum):
    NONE = "none"
    PARTIAL = "partial"
    FULL = "full"


class PaymentChargeStatusEnum(graphene.Enum):
    NOT_CHARGED = "not-charged"
    PENDING = "pending"
    PARTIALLY_CHARGED = "partially-charged"
    FULLY_CHARGED = "fully-charged"
    PARTIALLY_REFUNDED = "partially-refunded"
    FULLY_REFUNDED = "fully-refunded"
    REFUSED = "refused"
    CANCELLED = "cancelled"


PAYMENT_STATUS_DISPLAY = {
    "not-charged": "Not charged",
    "pending": "Pending",
    "partially-charged": "Partially charged",
    "fully-charged": "Fully charged",
    "partially-refunded": "Partially refunded",
    "fully-refunded": "Fully refunded",
    "refused": "Refused",
    "cancelled": "Cancelled",
}


class FulfillmentStatus(graphene.Enum):
    FULFILLED = "fulfilled"
    REFUNDED = "refunded"
    RETURNED = "returned"
    REPLACED = "replaced"
    REFUNDED_AND_RETURNED = "refunded_and_returned"
    CANCELED = "canceled"
    WAITING_FOR_APPROVAL = "waiting_for_approval"


class OrderOriginEnum(graphene.Enum):
    CHECKOUT = "checkout"
    DRAFT = "draft"
    REISSUE = "reissue"
    BULK_CREATE = "bulk_create"


class OrderAction(graphene.Enum):
    CAPTURE = "capture"
    MARK_AS_PAID = "mark_as_paid"
    REFUND = "refund"
    VOID = "void"


class OrderDiscountType(graphene.Enum):
    SALE = "sale"
    VOUCHER = "voucher"
    MANUAL = "manual"
    PROMOTION = "promotion"
    ORDER_PROMOTION = "order_promotion"


class DiscountValueTypeEnum(graphene.Enum):
    FIXED = "fixed"
    PERCENTAGE = "percentage"


_SALEOR_EVENTS = (
    "DRAFT_CREATED DRAFT_CREATED_FROM_REPLACE ADDED_PRODUCTS REMOVED_PRODUCTS PLACED PLACED_FROM_DRAFT "
    "PLACED_AUTOMATICALLY_FROM_PAID_CHECKOUT OVERSOLD_ITEMS CANCELED EXPIRED ORDER_MARKED_AS_PAID ORDER_FULLY_PAID "
    "ORDER_REPLACEMENT_CREATED ORDER_DISCOUNT_ADDED ORDER_DISCOUNT_AUTOMATICALLY_UPDATED ORDER_DISCOUNT_UPDATED "
    "ORDER_DISCOUNT_DELETED ORDER_LINE_DISCOUNT_UPDATED ORDER_LINE_DISCOUNT_REMOVED ORDER_LINE_PRODUCT_DELETED "
    "ORDER_LINE_VARIANT_DELETED UPDATED_ADDRESS EMAIL_SENT CONFIRMED PAYMENT_AUTHORIZED PAYMENT_CAPTURED "
    "EXTERNAL_SERVICE_NOTIFICATION PAYMENT_REFUNDED PAYMENT_VOIDED PAYMENT_FAILED TRANSACTION_EVENT "
    "TRANSACTION_CHARGE_REQUESTED TRANSACTION_REFUND_REQUESTED TRANSACTION_CANCEL_REQUESTED "
    "TRANSACTION_MARK_AS_PAID_FAILED INVOICE_REQUESTED INVOICE_GENERATED INVOICE_UPDATED INVOICE_SENT "
    "FULFILLMENT_CANCELED FULFILLMENT_RESTOCKED_ITEMS FULFILLMENT_FULFILLED_ITEMS FULFILLMENT_REFUNDED "
    "FULFILLMENT_RETURNED FULFILLMENT_REPLACED FULFILLMENT_AWAITS_APPROVAL TRACKING_UPDATED NOTE_ADDED NOTE_UPDATED "
    "OTHER"
).split()
# Marketplace additions: a shop's own steps on its vendor order, and its payouts.
_MARKETPLACE_EVENTS = (
    "VENDOR_ORDER_ACCEPTED VENDOR_ORDER_READY_FOR_PICKUP VENDOR_ORDER_COLLECTED LINES_CANCELED PAYOUT_SENT "
    "PAYOUT_REVERSED"
).split()

# The stored event type is the enum name in lower case.
OrderEventsEnum = graphene.Enum(
    "OrderEventsEnum", [(name, name.lower()) for name in _SALEOR_EVENTS + _MARKETPLACE_EVENTS]
)

OrderEventsEmailsEnum = graphene.Enum(
    "OrderEventsEmailsEnum",
    [
        (name, name.lower())
        for name in (
            "PAYMENT_CONFIRMATION CONFIRMED SHIPPING_CONFIRMATION TRACKING_UPDATED ORDER_CONFIRMATION ORDER_CANCEL "
            "ORDER_REFUND FULFILLMENT_CONFIRMATION VENDOR_NEW_ORDER READY_FOR_PICKUP"
        ).split()
    ],
)


class VendorOrderStatusEnum(graphene.Enum):
    """A member shop's progress on its part of an order (marketplace addition)."""

    NEW = "new"
    ACCEPTED = "accepted"
    READY_FOR_PICKUP = "ready_for_pickup"
    SHIPPED = "shipped"
    COLLECTED = "collected"
    CANCELLED = "cancelled"


class OrderSortField(graphene.Enum):
    NUMBER = "number"
    CREATION_DATE = "creation_date"
    CREATED_AT = "created_at"
    LAST_MODIFIED_AT = "last_modified_at"
    CUSTOMER = "customer"
    PAYMENT = "payment"
    FULFILLMENT_STATUS = "fulfillment_status"
    STATUS = "status"
