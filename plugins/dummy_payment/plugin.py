"""A test and demo gateway with Saleor's dummy id: it answers whatever outcome the caller asks for.

``transactionInitialize(paymentGateway: {id: "mirumee.payments.dummy", data: {event: {type:
"CHARGE_SUCCESS", includePspReference: true}}})`` charges the amount at once, as Saleor's dummy
payment app does; any other TransactionEventType name gives that outcome. It takes part only
while ``PAYMENTS_DUMMY_ENABLED`` is on (off in production settings).
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings

from saleor_ext.payment.interface import PaymentGatewayData, TransactionSession, TransactionSessionResult
from saleor_ext.plugins.base_plugin import BasePlugin

KNOWN_RESULTS = {
    "CHARGE_SUCCESS",
    "CHARGE_FAILURE",
    "CHARGE_REQUEST",
    "CHARGE_ACTION_REQUIRED",
    "AUTHORIZATION_SUCCESS",
    "AUTHORIZATION_FAILURE",
    "AUTHORIZATION_REQUEST",
    "AUTHORIZATION_ACTION_REQUIRED",
}


class DummyPaymentPlugin(BasePlugin):
    PLUGIN_ID = "mirumee.payments.dummy"
    PLUGIN_NAME = "Dummy payments"
    PLUGIN_DESCRIPTION = "Test gateway: returns the outcome the caller asks for. Never on in production."
    DEFAULT_ACTIVE = True
    CONFIGURATION_PER_CHANNEL = False

    @property
    def enabled(self) -> bool:
        return bool(getattr(settings, "PAYMENTS_DUMMY_ENABLED", False))

    def get_payment_gateways(self, currency, checkout, previous_value=None):
        gateways = list(previous_value or [])
        if self.enabled:
            gateways.append(PaymentGatewayData(id=self.PLUGIN_ID, name=self.PLUGIN_NAME, currencies=[currency]))
        return gateways

    def payment_gateway_initialize_session(self, amount, source, data, previous_value=None):
        return {"dummy": True} if self.enabled else previous_value

    def _result(self, session: TransactionSession) -> TransactionSessionResult:
        if not self.enabled:
            return TransactionSessionResult(result="charge_failure", amount=session.amount, message="Disabled.")
        event = (session.data or {}).get("event") or {}
        wanted = str(event.get("type") or ("CHARGE_SUCCESS" if session.action == "charge" else "AUTHORIZATION_SUCCESS"))
        if wanted.upper() not in KNOWN_RESULTS:
            return TransactionSessionResult(
                result="charge_failure", amount=session.amount, message=f"Unknown event type {wanted}."
            )
        psp = f"dummy-{uuid.uuid4()}" if event.get("includePspReference", True) else None
        amount = Decimal(str(event.get("amount", session.amount)))
        return TransactionSessionResult(
            result=wanted.lower(), amount=amount, psp_reference=psp, actions=("refund",), data={"event": event}
        )

    def transaction_initialize_session(self, session, previous_value=None):
        return self._result(session)

    def transaction_process_session(self, session, previous_value=None):
        return self._result(session)

    def transaction_refund_requested(self, transaction, amount, reason, previous_value=None):
        return TransactionSessionResult(
            result="refund_success", amount=amount, psp_reference=transaction.psp_reference, message=reason or ""
        )
