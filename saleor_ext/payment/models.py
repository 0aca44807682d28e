"""Payments as Saleor's transactions, and the marketplace's payouts to member shops.

A ``TransactionItem`` is one payment attempt with a gateway (a payment plugin, ``app_identifier``
= its ``PLUGIN_ID``) for a checkout, later for the order it became; its amounts move only through
``TransactionEvent`` rows, each idempotent on its key. A ``Payout`` is one vendor order's share
sent to the shop's connected account once the shop handed its items over.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone

from saleor_ext.core.db import DEFAULT_DECIMAL_PLACES, DEFAULT_MAX_DIGITS
from saleor_ext.core.models import ModelWithMetadata


def _amount(**kwargs) -> models.DecimalField:
    return models.DecimalField(
        max_digits=DEFAULT_MAX_DIGITS, decimal_places=DEFAULT_DECIMAL_PLACES, default=Decimal(0), **kwargs
    )


class TransactionAction:
    CHARGE = "charge"
    REFUND = "refund"
    CANCEL = "cancel"
    CHOICES = [(CHARGE, "Charge"), (REFUND, "Refund"), (CANCEL, "Cancel")]


class TransactionEventType:
    """Saleor's TransactionEventTypeEnum values (lower case in the database)."""

    AUTHORIZATION_SUCCESS = "authorization_success"
    AUTHORIZATION_FAILURE = "authorization_failure"
    AUTHORIZATION_REQUEST = "authorization_request"
    AUTHORIZATION_ACTION_REQUIRED = "authorization_action_required"
    CHARGE_SUCCESS = "charge_success"
    CHARGE_FAILURE = "charge_failure"
    CHARGE_REQUEST = "charge_request"
    CHARGE_ACTION_REQUIRED = "charge_action_required"
    CHARGE_BACK = "charge_back"
    REFUND_SUCCESS = "refund_success"
    REFUND_FAILURE = "refund_failure"
    REFUND_REQUEST = "refund_request"
    REFUND_REVERSE = "refund_reverse"
    CANCEL_SUCCESS = "cancel_success"
    CANCEL_FAILURE = "cancel_failure"
    CANCEL_REQUEST = "cancel_request"
    INFO = "info"


TRANSACTION_EVENT_CHOICES = [
    (value, value) for name, value in vars(TransactionEventType).items() if name.isupper()
]


class TransactionItem(ModelWithMetadata):
    token = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    modified_at = models.DateTimeField(auto_now=True)
    name = models.CharField(max_length=512, blank=True, default="")
    message = models.CharField(max_length=512, blank=True, default="")
    psp_reference = models.CharField(max_length=512, blank=True, null=True, db_index=True)
    available_actions = ArrayField(
        models.CharField(max_length=128, choices=TransactionAction.CHOICES), default=list, blank=True
    )
    currency = models.CharField(max_length=3)
    authorized_value = _amount()
    charged_value = _amount()
    refunded_value = _amount()
    canceled_value = _amount()
    authorize_pending_value = _amount()
    charge_pending_value = _amount()
    refund_pending_value = _amount()
    cancel_pending_value = _amount()
    checkout = models.ForeignKey(
        "checkout.Checkout", null=True, blank=True, related_name="payment_transactions", on_delete=models.SET_NULL
    )
    order = models.ForeignKey(
        "order.Order", null=True, blank=True, related_name="payment_transactions", on_delete=models.PROTECT
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    # The payment plugin's PLUGIN_ID (Saleor: the payment app's identifier).
    app_identifier = models.CharField(max_length=256)
    idempotency_key = models.CharField(max_length=512, blank=True, null=True)
    external_url = models.URLField(blank=True, default="")

    class Meta:
        ordering = ("pk",)
        constraints = [
            models.UniqueConstraint(
                fields=["app_identifier", "idempotency_key"], name="transaction_idempotency_per_gateway"
            )
        ]


class TransactionEvent(models.Model):
    transaction = models.ForeignKey(TransactionItem, related_name="events", on_delete=models.CASCADE)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    type = models.CharField(max_length=128, choices=TRANSACTION_EVENT_CHOICES, default=TransactionEventType.INFO)
    amount_value = _amount()
    currency = models.CharField(max_length=3)
    psp_reference = models.CharField(max_length=512, blank=True, null=True)
    message = models.CharField(max_length=512, blank=True, default="")
    external_url = models.URLField(blank=True, default="")
    idempotency_key = models.CharField(max_length=512, blank=True, null=True)
    include_in_calculations = models.BooleanField(default=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ("pk",)
        constraints = [
            models.UniqueConstraint(fields=["transaction", "idempotency_key"], name="transaction_event_idempotency")
        ]


class PayoutStatus:
    PENDING = "pending"
    PAID = "paid"
    FAILED = "failed"
    REVERSED = "reversed"
    PARTIALLY_REVERSED = "partially_reversed"
    CHOICES = [
        (PENDING, "Pending"),
        (PAID, "Paid"),
        (FAILED, "Failed"),
        (REVERSED, "Reversed"),
        (PARTIALLY_REVERSED, "Partially reversed"),
    ]


class Payout(models.Model):
    """A vendor order's share (total less the federation's commission) sent to the shop."""

    vendor_order = models.OneToOneField("order.VendorOrder", related_name="payout", on_delete=models.PROTECT)
    vendor = models.ForeignKey("vendor.Vendor", related_name="payouts", on_delete=models.PROTECT)
    status = models.CharField(max_length=32, choices=PayoutStatus.CHOICES, default=PayoutStatus.PENDING)
    currency = models.CharField(max_length=3)
    gross_amount = _amount()
    commission_amount = _amount()
    amount = _amount()
    reversed_amount = _amount()
    gateway = models.CharField(max_length=256, blank=True, default="")
    transfer_group = models.CharField(max_length=255, blank=True, default="")
    psp_reference = models.CharField(max_length=255, blank=True, default="", help_text="Stripe transfer id")
    error = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-created_at", "pk")


class ProcessedWebhookEvent(models.Model):
    """A gateway's webhook event handled once: a replay or a late duplicate finds its id here."""

    gateway = models.CharField(max_length=256)
    event_id = models.CharField(max_length=255)
    type = models.CharField(max_length=255)
    received_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["gateway", "event_id"], name="webhook_event_once")]
