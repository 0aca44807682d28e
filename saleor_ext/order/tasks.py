"""Celery tasks of the order domain: thin wrappers around emails.py.

They run in-process unless ``CELERY_BROKER_URL`` is set; a mail server that does not answer is
retried with back-off (the confirmation and the shop's notice are never sent twice).
"""

from __future__ import annotations

import smtplib

from celery import shared_task

from . import emails
from .models import VendorOrder

RETRY = {"autoretry_for": (smtplib.SMTPException, ConnectionError), "retry_backoff": True, "max_retries": 5}


@shared_task(name="saleor_ext.order.tasks.send_order_confirmation_task", **RETRY)
def send_order_confirmation_task(order_id: str) -> bool:
    return emails.send_order_confirmation(order_id)


@shared_task(name="saleor_ext.order.tasks.send_vendor_new_order_task", **RETRY)
def send_vendor_new_order_task(vendor_order_id: str) -> bool:
    return emails.send_vendor_new_order(vendor_order_id)


@shared_task(name="saleor_ext.order.tasks.send_order_placed_emails_task", **RETRY)
def send_order_placed_emails_task(order_id: str) -> int:
    """A new order's e-mails: the shopper's confirmation, then each shop's notice. A mail server
    failing for one does not stop the others; the task is then retried, and the retry sends only
    what is missing (each of these e-mails goes out once per order)."""
    vendor_order_ids = VendorOrder.objects.filter(order_id=order_id).order_by("vendor_id").values_list("pk", flat=True)
    sends = [(emails.send_order_confirmation, order_id)]
    sends += [(emails.send_vendor_new_order, str(pk)) for pk in vendor_order_ids]
    sent, failures = 0, []
    for send, key in sends:
        try:
            sent += bool(send(key))
        except RETRY["autoretry_for"] as failure:
            failures.append(failure)
    if failures:
        raise failures[0]
    return sent


@shared_task(name="saleor_ext.order.tasks.send_ready_for_pickup_task", **RETRY)
def send_ready_for_pickup_task(vendor_order_id: str) -> bool:
    return emails.send_ready_for_pickup(vendor_order_id)


@shared_task(name="saleor_ext.order.tasks.send_fulfillment_shipped_task", **RETRY)
def send_fulfillment_shipped_task(fulfillment_id: int) -> bool:
    return emails.send_fulfillment_shipped(fulfillment_id)


@shared_task(name="saleor_ext.order.tasks.send_tracking_updated_task", **RETRY)
def send_tracking_updated_task(fulfillment_id: int) -> bool:
    return emails.send_tracking_updated(fulfillment_id)


@shared_task(name="saleor_ext.order.tasks.send_refund_notice_task", **RETRY)
def send_refund_notice_task(order_id: str, quantities: dict[str, int], amount: str) -> bool:
    return emails.send_refund_notice(order_id, quantities, amount)
