"""Orders: one per completed checkout, its lines grouped into one vendor order per member shop.

The ``Order`` keeps Saleor's shape (statuses, money fields, address copies, events). A
``VendorOrder`` is the part one shop prepares and hands over on its own: its own status, delivery
(shipping method or pickup warehouse), totals, commission and payout.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone

from saleor_ext.core.db import DEFAULT_DECIMAL_PLACES, DEFAULT_MAX_DIGITS
from saleor_ext.core.models import ModelWithMetadata


def _money(**kwargs) -> models.DecimalField:
    return models.DecimalField(
        max_digits=DEFAULT_MAX_DIGITS, decimal_places=DEFAULT_DECIMAL_PLACES, default=Decimal(0), **kwargs
    )


# Order numbers come from a PostgreSQL sequence: unique without locking under concurrent checkouts.
ORDER_NUMBER_SEQUENCE = "order_order_number_seq"


class NextOrderNumber(models.Func):
    function = "nextval"
    output_field = models.IntegerField()

    def __init__(self):
        super().__init__(models.Value(ORDER_NUMBER_SEQUENCE))


class OrderStatus:
    DRAFT = "draft"
    UNCONFIRMED = "unconfirmed"
    UNFULFILLED = "unfulfilled"
    PARTIALLY_FULFILLED = "partially fulfilled"
    FULFILLED = "fulfilled"
    PARTIALLY_RETURNED = "partially_returned"
    RETURNED = "returned"
    CANCELED = "canceled"
    EXPIRED = "expired"
    CHOICES = [
        (DRAFT, "Draft"),
        (UNCONFIRMED, "Unconfirmed"),
        (UNFULFILLED, "Unfulfilled"),
        (PARTIALLY_FULFILLED, "Partially fulfilled"),
        (FULFILLED, "Fulfilled"),
        (PARTIALLY_RETURNED, "Partially returned"),
        (RETURNED, "Returned"),
        (CANCELED, "Canceled"),
        (EXPIRED, "Expired"),
    ]


class VendorOrderStatus:
    """The member shop's own progress on its part of an order."""

    NEW = "new"
    ACCEPTED = "accepted"
    READY_FOR_PICKUP = "ready_for_pickup"
    SHIPPED = "shipped"
    COLLECTED = "collected"
    CANCELLED = "cancelled"
    CHOICES = [
        (NEW, "New"),
        (ACCEPTED, "Accepted"),
        (READY_FOR_PICKUP, "Ready for pickup"),
        (SHIPPED, "Shipped"),
        (COLLECTED, "Collected"),
        (CANCELLED, "Cancelled"),
    ]
    # Which statuses may follow which: a vendor cannot skip back or past the hand-over.
    TRANSITIONS = {
        NEW: {ACCEPTED, CANCELLED},
        ACCEPTED: {READY_FOR_PICKUP, SHIPPED, CANCELLED},
        READY_FOR_PICKUP: {COLLECTED, CANCELLED},
        SHIPPED: set(),
        COLLECTED: set(),
        CANCELLED: set(),
    }
    DONE = {SHIPPED, COLLECTED}


class OrderChargeStatus:
    NONE = "none"
    PARTIAL = "partial"
    FULL = "full"
    OVERCHARGED = "overcharged"
    CHOICES = [(NONE, "None"), (PARTIAL, "Partial"), (FULL, "Full"), (OVERCHARGED, "Overcharged")]


class OrderOrigin:
    CHECKOUT = "checkout"
    DRAFT = "draft"
    CHOICES = [(CHECKOUT, "Checkout"), (DRAFT, "Draft")]


class Order(ModelWithMetadata):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    number = models.IntegerField(unique=True, editable=False, db_default=NextOrderNumber())
    created_at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    status = models.CharField(max_length=32, choices=OrderStatus.CHOICES, default=OrderStatus.UNFULFILLED)
    charge_status = models.CharField(max_length=32, choices=OrderChargeStatus.CHOICES, default=OrderChargeStatus.NONE)
    authorize_status = models.CharField(
        max_length=32, choices=OrderChargeStatus.CHOICES[:3], default=OrderChargeStatus.NONE
    )
    origin = models.CharField(max_length=32, choices=OrderOrigin.CHOICES, default=OrderOrigin.CHECKOUT)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="orders", null=True, blank=True, on_delete=models.SET_NULL
    )
    user_email = models.EmailField(blank=True, default="")
    language_code = models.CharField(max_length=35, default=settings.LANGUAGE_CODE)
    channel = models.ForeignKey("channel.Channel", related_name="orders", on_delete=models.PROTECT)
    billing_address = models.ForeignKey(
        "account.Address", related_name="+", null=True, blank=True, on_delete=models.SET_NULL
    )
    shipping_address = models.ForeignKey(
        "account.Address", related_name="+", null=True, blank=True, on_delete=models.SET_NULL
    )
    currency = models.CharField(max_length=3)
    subtotal_net_amount = _money()
    subtotal_gross_amount = _money()
    shipping_price_net_amount = _money()
    shipping_price_gross_amount = _money()
    total_net_amount = _money()
    total_gross_amount = _money()
    total_charged_amount = _money()
    total_refunded_amount = _money()
    customer_note = models.TextField(blank=True, default="")
    # The checkout this order came from: a retried checkoutComplete finds the order again.
    checkout_token = models.CharField(max_length=36, blank=True, default="", db_index=True)
    redirect_url = models.URLField(blank=True, null=True)
    lines_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ("-number",)
        permissions = (("manage_orders", "Manage orders"),)

    def __str__(self) -> str:
        return f"#{self.number}"


class VendorOrder(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    order = models.ForeignKey(Order, related_name="vendor_orders", on_delete=models.CASCADE)
    vendor = models.ForeignKey("vendor.Vendor", related_name="vendor_orders", on_delete=models.PROTECT)
    status = models.CharField(max_length=32, choices=VendorOrderStatus.CHOICES, default=VendorOrderStatus.NEW)
    # Delivery: a shipping method (name and price copied) or a pickup warehouse.
    shipping_method_id = models.IntegerField(null=True, blank=True)
    shipping_method_name = models.CharField(max_length=255, blank=True, default="")
    collection_point = models.ForeignKey(
        "warehouse.Warehouse", null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )
    collection_point_name = models.CharField(max_length=255, blank=True, default="")
    currency = models.CharField(max_length=3)
    subtotal_net_amount = _money()
    subtotal_gross_amount = _money()
    shipping_price_net_amount = _money()
    shipping_price_gross_amount = _money()
    shipping_tax_rate = models.DecimalField(max_digits=5, decimal_places=4, default=Decimal(0))
    total_net_amount = _money()
    total_gross_amount = _money()
    # The vendor's commission when the order was placed, in percent (as Vendor.commission_rate).
    commission_rate = models.DecimalField(max_digits=5, decimal_places=2, default=Decimal(0))
    tracking_number = models.CharField(max_length=255, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("order__number", "vendor_id")
        constraints = [models.UniqueConstraint(fields=["order", "vendor"], name="one_vendor_order_per_vendor")]

    def __str__(self) -> str:
        return f"{self.order} / {self.vendor_id}"


class OrderLine(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    order = models.ForeignKey(Order, related_name="lines", on_delete=models.CASCADE)
    vendor_order = models.ForeignKey(VendorOrder, related_name="lines", on_delete=models.CASCADE)
    vendor = models.ForeignKey("vendor.Vendor", related_name="order_lines", on_delete=models.PROTECT)
    variant = models.ForeignKey(
        "product.ProductVariant", related_name="order_lines", null=True, blank=True, on_delete=models.SET_NULL
    )
    # Snapshots: the order reads the same after the item is edited or deleted.
    product_name = models.CharField(max_length=386)
    variant_name = models.CharField(max_length=255, blank=True, default="")
    product_sku = models.CharField(max_length=255, blank=True, null=True)
    product_variant_id = models.CharField(max_length=255, blank=True, null=True)
    is_shipping_required = models.BooleanField(default=True)
    quantity = models.PositiveIntegerField()
    quantity_fulfilled = models.PositiveIntegerField(default=0)
    quantity_cancelled = models.PositiveIntegerField(default=0)
    currency = models.CharField(max_length=3)
    unit_price_net_amount = _money()
    unit_price_gross_amount = _money()
    total_price_net_amount = _money()
    total_price_gross_amount = _money()
    tax_rate = models.DecimalField(max_digits=5, decimal_places=4, default=Decimal(0))
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ("created_at", "id")

    def __str__(self) -> str:
        return f"{self.quantity} × {self.product_name}"

    @property
    def quantity_unfulfilled(self) -> int:
        return self.quantity - self.quantity_fulfilled - self.quantity_cancelled


class FulfillmentStatus:
    FULFILLED = "fulfilled"
    REFUNDED = "refunded"
    CANCELED = "canceled"
    CHOICES = [(FULFILLED, "Fulfilled"), (REFUNDED, "Refunded"), (CANCELED, "Canceled")]


class Fulfillment(models.Model):
    order = models.ForeignKey(Order, related_name="fulfillments", on_delete=models.CASCADE)
    vendor_order = models.ForeignKey(VendorOrder, related_name="fulfillments", on_delete=models.CASCADE)
    fulfillment_order = models.PositiveIntegerField(editable=False)
    status = models.CharField(max_length=32, choices=FulfillmentStatus.CHOICES, default=FulfillmentStatus.FULFILLED)
    tracking_number = models.CharField(max_length=255, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ("pk",)
        constraints = [
            models.UniqueConstraint(fields=["order", "fulfillment_order"], name="fulfillment_number_per_order")
        ]

    def composed_id(self) -> str:
        return f"{self.order.number}-{self.fulfillment_order}"


class FulfillmentLine(models.Model):
    fulfillment = models.ForeignKey(Fulfillment, related_name="lines", on_delete=models.CASCADE)
    order_line = models.ForeignKey(OrderLine, related_name="fulfillment_lines", on_delete=models.CASCADE)
    quantity = models.PositiveIntegerField()
    stock = models.ForeignKey("warehouse.Stock", null=True, blank=True, on_delete=models.SET_NULL)


class OrderEvents:
    PLACED = "placed"
    CONFIRMED = "confirmed"
    EMAIL_SENT = "email_sent"
    PAYMENT_CAPTURED = "payment_captured"
    PAYMENT_FAILED = "payment_failed"
    PAYMENT_REFUNDED = "payment_refunded"
    ORDER_FULLY_PAID = "order_fully_paid"
    VENDOR_ORDER_ACCEPTED = "vendor_order_accepted"
    VENDOR_ORDER_READY_FOR_PICKUP = "vendor_order_ready_for_pickup"
    VENDOR_ORDER_COLLECTED = "vendor_order_collected"
    FULFILLMENT_FULFILLED_ITEMS = "fulfillment_fulfilled_items"
    TRACKING_UPDATED = "tracking_updated"
    LINES_CANCELED = "lines_canceled"
    CANCELED = "canceled"
    PAYOUT_SENT = "payout_sent"
    PAYOUT_REVERSED = "payout_reversed"
    NOTE_ADDED = "note_added"


OrderEvents.CHOICES = [
    (value, value.replace("_", " ").capitalize())
    for name, value in vars(OrderEvents).items()
    if name.isupper() and isinstance(value, str)
]


class OrderEvent(models.Model):
    """An entry of the order's history: who did what, when, with the details in ``parameters``."""

    date = models.DateTimeField(default=timezone.now, editable=False, db_index=True)
    type = models.CharField(max_length=255, choices=OrderEvents.CHOICES)
    order = models.ForeignKey(Order, related_name="events", on_delete=models.CASCADE)
    vendor_order = models.ForeignKey(
        VendorOrder, related_name="events", null=True, blank=True, on_delete=models.CASCADE
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", null=True, blank=True, on_delete=models.SET_NULL
    )
    parameters = models.JSONField(blank=True, default=dict)

    class Meta:
        ordering = ("date", "pk")



