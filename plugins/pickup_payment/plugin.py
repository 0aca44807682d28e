"""Pay at pickup: the shopper pays in the shop when collecting the items (click & collect only).

Choosing it records a promise for the whole amount (an authorization, as a deferred payment is
in Saleor's model), so the checkout can complete; the shop marks it paid at hand-over. It is
offered only when every shop of the cart hands its items over at a pickup point.
"""

from __future__ import annotations

from saleor_ext.checkout.fetch import fetch_checkout_info
from saleor_ext.checkout.models import Checkout
from saleor_ext.order.calculations import vendor_order_due
from saleor_ext.payment.interface import PaymentGatewayData, TransactionSessionResult
from saleor_ext.payment.models import TransactionItem
from saleor_ext.payment.services import record_event, update_payment_statuses
from saleor_ext.plugins.base_plugin import BasePlugin


def _pickup_only(checkout) -> bool:
    groups = fetch_checkout_info(checkout).groups
    return bool(groups) and all(group.collection_point is not None for group in groups)


class PickupPaymentPlugin(BasePlugin):
    PLUGIN_ID = "marketplace.payments.pickup"
    PLUGIN_NAME = "Pay at pickup"
    PLUGIN_DESCRIPTION = "Pay in the shop when collecting a click & collect order."
    DEFAULT_ACTIVE = True
    CONFIGURATION_PER_CHANNEL = False

    def get_payment_gateways(self, currency, checkout, previous_value=None):
        gateways = list(previous_value or [])
        if checkout is None or _pickup_only(checkout):
            gateways.append(PaymentGatewayData(id=self.PLUGIN_ID, name=self.PLUGIN_NAME, currencies=[currency]))
        return gateways

    def payment_gateway_initialize_session(self, amount, source, data, previous_value=None):
        return {"payAtPickup": True}

    def transaction_initialize_session(self, session, previous_value=None):
        if isinstance(session.source, Checkout) and not _pickup_only(session.source):
            return TransactionSessionResult(
                result="authorization_failure",
                amount=session.amount,
                message="Pay at pickup needs click & collect for every shop of the cart.",
            )
        return TransactionSessionResult(
            result="authorization_success",
            amount=session.amount,
            psp_reference=f"pickup-{session.transaction.token}",
            message="To be paid at pickup.",
        )

    def transaction_process_session(self, session, previous_value=None):
        return self.transaction_initialize_session(session)

    def vendor_order_fulfilled(self, vendor_order, previous_value=None):
        """The shopper collected a shop's part and paid it there: record that payment."""
        item = TransactionItem.objects.filter(
            order_id=vendor_order.order_id, app_identifier=self.PLUGIN_ID, authorized_value__gt=0
        ).first()
        if item is None:
            return previous_value
        amount = min(vendor_order_due(vendor_order, vendor_order.lines.all()), item.authorized_value)
        if amount > 0:
            record_event(
                item,
                type="charge_success",
                amount=amount,
                psp_reference=f"pickup-{vendor_order.pk}",
                message="Paid in the shop at pickup.",
                idempotency_key=f"pickup-paid:{vendor_order.pk}",
            )
            update_payment_statuses(vendor_order.order)
        return previous_value

    def transaction_refund_requested(self, transaction, amount, reason, previous_value=None):
        # Nothing was taken online: the promise shrinks instead.
        return TransactionSessionResult(result="cancel_success", amount=amount, message=reason or "")
