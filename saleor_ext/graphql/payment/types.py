"""Payment gateways and Saleor's transaction types."""

from __future__ import annotations

import graphene
from prices import Money as PriceMoney

from saleor_ext.payment import models

from ..core.ids import to_global_id
from ..core.scalars import JSON, UUID, DateTime
from ..core.types import GlobalId, MetadataFields, Money


class GatewayConfigLine(graphene.ObjectType):
    field = graphene.String(required=True)
    value = graphene.String()


class PaymentGateway(graphene.ObjectType):
    """Root: a ``PaymentGatewayData``."""

    name = graphene.String(required=True)
    id = graphene.ID(required=True)
    config = graphene.List(graphene.NonNull(GatewayConfigLine), required=True)
    currencies = graphene.List(graphene.NonNull(graphene.String), required=True)

    @staticmethod
    def resolve_config(root, _info):
        return [GatewayConfigLine(field=line["field"], value=line.get("value")) for line in root.config]


class TransactionActionEnum(graphene.Enum):
    CHARGE = "charge"
    REFUND = "refund"
    CANCEL = "cancel"


class TransactionFlowStrategyEnum(graphene.Enum):
    AUTHORIZATION = "authorization"
    CHARGE = "charge"


TransactionEventTypeEnum = graphene.Enum(
    "TransactionEventTypeEnum",
    [
        (value.upper(), value)
        for value in [
            "authorization_success",
            "authorization_failure",
            "authorization_adjustment",
            "authorization_request",
            "authorization_action_required",
            "charge_action_required",
            "charge_success",
            "charge_failure",
            "charge_back",
            "charge_request",
            "refund_success",
            "refund_failure",
            "refund_reverse",
            "refund_request",
            "cancel_success",
            "cancel_failure",
            "cancel_request",
            "info",
        ]
    ],
)


class TransactionEvent(GlobalId):
    created_at = DateTime(required=True)
    psp_reference = graphene.String(required=True)
    message = graphene.String(required=True)
    external_url = graphene.String(required=True)
    amount = graphene.Field(Money, required=True)
    type = graphene.Field(TransactionEventTypeEnum)
    idempotency_key = graphene.String()

    @staticmethod
    def resolve_psp_reference(root: models.TransactionEvent, _info):
        return root.psp_reference or ""

    @staticmethod
    def resolve_amount(root: models.TransactionEvent, _info):
        return PriceMoney(root.amount_value, root.currency)


class TransactionItem(MetadataFields, graphene.ObjectType):
    id = graphene.ID(required=True)
    token = UUID(required=True)
    created_at = DateTime(required=True)
    modified_at = DateTime(required=True)
    actions = graphene.List(graphene.NonNull(TransactionActionEnum), required=True)
    authorized_amount = graphene.Field(Money, required=True)
    authorize_pending_amount = graphene.Field(Money, required=True)
    refunded_amount = graphene.Field(Money, required=True)
    refund_pending_amount = graphene.Field(Money, required=True)
    canceled_amount = graphene.Field(Money, required=True)
    cancel_pending_amount = graphene.Field(Money, required=True)
    charged_amount = graphene.Field(Money, required=True)
    charge_pending_amount = graphene.Field(Money, required=True)
    name = graphene.String(required=True)
    message = graphene.String(required=True)
    psp_reference = graphene.String(required=True)
    events = graphene.List(graphene.NonNull(TransactionEvent), required=True)
    external_url = graphene.String(required=True)

    @staticmethod
    def resolve_id(root: models.TransactionItem, _info):
        return to_global_id("TransactionItem", root.token)

    @staticmethod
    def resolve_actions(root: models.TransactionItem, _info):
        return list(root.available_actions)

    @staticmethod
    def resolve_psp_reference(root: models.TransactionItem, _info):
        return root.psp_reference or ""

    @staticmethod
    def resolve_events(root: models.TransactionItem, _info):
        return list(root.events.all())


def _amount_resolver(attname: str):
    def resolve(root: models.TransactionItem, _info):
        return PriceMoney(getattr(root, attname), root.currency)

    return staticmethod(resolve)


for _field, _column in {
    "authorized_amount": "authorized_value",
    "authorize_pending_amount": "authorize_pending_value",
    "refunded_amount": "refunded_value",
    "refund_pending_amount": "refund_pending_value",
    "canceled_amount": "canceled_value",
    "cancel_pending_amount": "cancel_pending_value",
    "charged_amount": "charged_value",
    "charge_pending_amount": "charge_pending_value",
}.items():
    setattr(TransactionItem, f"resolve_{_field}", _amount_resolver(_column))


class PaymentGatewayToInitialize(graphene.InputObjectType):
    id = graphene.String(required=True)
    data = JSON()
