"""paymentGatewayInitialize, transactionInitialize and transactionProcess (Saleor's transaction flow)."""

from __future__ import annotations

import graphene

from saleor_ext.checkout.models import Checkout as CheckoutModel
from saleor_ext.order.models import Order as OrderModel
from saleor_ext.payment import error_codes, services
from saleor_ext.payment.models import TransactionItem as TransactionItemModel

from ..core.enums import enum_value
from ..core.errors import Error, validation_error_to_list
from ..core.ids import input_pk, input_type_and_pk
from ..core.mutations import BaseMutation
from ..core.permissions import get_user, has_one_of_permissions
from ..core.scalars import JSON, UUID, PositiveDecimal
from .types import PaymentGatewayToInitialize, TransactionEvent, TransactionFlowStrategyEnum, TransactionItem

# Codes of the payment flows; those every payment enum shares (GRAPHQL_ERROR, NOT_FOUND, ...) are taken from here.
Codes = error_codes.TransactionInitializeErrorCode


class PaymentGatewayInitializeError(Error):
    code = graphene.Field(graphene.Enum.from_enum(error_codes.PaymentGatewayInitializeErrorCode), required=True)


class PaymentGatewayConfigError(Error):
    code = graphene.Field(graphene.Enum.from_enum(error_codes.PaymentGatewayConfigErrorCode), required=True)


class TransactionInitializeError(Error):
    code = graphene.Field(graphene.Enum.from_enum(error_codes.TransactionInitializeErrorCode), required=True)


class TransactionProcessError(Error):
    code = graphene.Field(graphene.Enum.from_enum(error_codes.TransactionProcessErrorCode), required=True)


def _source(global_id: str, user=None):
    """The checkout or order a payment is for. A cart is reached by its secret id; paying an
    existing order is for its owner or order staff only."""
    kind, pk = input_type_and_pk(global_id, ("Checkout", "Order"), field="id", codes=Codes)
    if kind == "Checkout":
        checkout = CheckoutModel.objects.select_related("channel").filter(pk=pk).first()
        if checkout is None:
            raise services.error("id", "Checkout not found.", Codes.NOT_FOUND)
        if checkout.completing_started_at is not None:
            raise services.error("id", "The checkout is being completed.", Codes.CHECKOUT_COMPLETION_IN_PROGRESS)
        return checkout
    order = OrderModel.objects.select_related("channel").filter(pk=pk).first()
    allowed = order is not None and user is not None and (
        order.user_id == user.pk or has_one_of_permissions(user, ["MANAGE_ORDERS"])
    )
    if not allowed:
        # The same answer as a missing order: an order id alone says nothing.
        raise services.error("id", "Order not found.", Codes.NOT_FOUND)
    return order


class PaymentMutation(BaseMutation):
    class Meta:
        abstract = True

    # Codes of other domains (e.g. a cart's insufficient stock) are INVALID with their message.
    unknown_error_code = Codes.INVALID


class PaymentGatewayConfig(graphene.ObjectType):
    id = graphene.String(required=True)
    data = JSON()
    errors = graphene.List(graphene.NonNull(PaymentGatewayConfigError))


class PaymentGatewayInitialize(PaymentMutation):
    """What each payment gateway needs before the shopper pays (Stripe: its publishable key)."""

    gateway_configs = graphene.List(graphene.NonNull(PaymentGatewayConfig))

    class Arguments:
        id = graphene.ID(required=True)
        amount = PositiveDecimal()
        payment_gateways = graphene.List(graphene.NonNull(PaymentGatewayToInitialize))

    class Meta:
        error_type_class = PaymentGatewayInitializeError
        error_code_enum = error_codes.PaymentGatewayInitializeErrorCode

    @staticmethod
    def resolve_gateway_configs(root, _info) -> list:
        return root.gateway_configs or []  # none when refused

    @classmethod
    def clean_input(cls, info, id, amount=None, payment_gateways=None):
        return {"source": _source(id, get_user(info)), "amount": amount, "payment_gateways": payment_gateways}

    @classmethod
    def perform_mutation(cls, info, source, amount, payment_gateways):
        channel_slug = source.channel.slug
        if payment_gateways:
            requests = [(gateway.id, gateway.get("data")) for gateway in payment_gateways]
        else:
            checkout = source if isinstance(source, CheckoutModel) else None
            gateways = services.list_gateways(channel_slug, source.currency, checkout)
            requests = [(gateway.id, None) for gateway in gateways]
        if amount is None:
            total, _charged, covered = services.source_totals(source)
            amount = max(total - covered, 0)
        configs = [
            PaymentGatewayConfig(id=gateway_id, data=data, errors=_config_errors(failure) if failure else [])
            for gateway_id, data, failure in services.initialize_gateways(source, channel_slug, requests, amount)
        ]
        return cls(gateway_configs=configs)


def _config_errors(failure) -> list:
    codes = error_codes.PaymentGatewayConfigErrorCode
    return validation_error_to_list(failure, PaymentGatewayConfigError, codes, unknown_code=codes.INVALID)


class TransactionInitialize(PaymentMutation):
    """Start paying the checkout (or order) with a gateway; the checkout's items are reserved."""

    transaction = graphene.Field(TransactionItem)
    transaction_event = graphene.Field(TransactionEvent)
    data = JSON()

    class Arguments:
        id = graphene.ID(required=True)
        action = graphene.Argument(TransactionFlowStrategyEnum)
        amount = PositiveDecimal()
        customer_ip_address = graphene.String()
        idempotency_key = graphene.String()
        payment_gateway = graphene.Argument(PaymentGatewayToInitialize, required=True)

    class Meta:
        error_type_class = TransactionInitializeError
        error_code_enum = error_codes.TransactionInitializeErrorCode

    @classmethod
    def perform_mutation(
        cls, info, id, payment_gateway, action=None, amount=None, customer_ip_address=None, idempotency_key=None
    ):
        item, event, data = services.transaction_initialize(
            source=_source(id, get_user(info)),
            gateway_id=payment_gateway.id,
            data=payment_gateway.get("data"),
            amount=amount,
            action=enum_value(action) or "charge",
            user=get_user(info),
            idempotency_key=idempotency_key,
            customer_ip_address=customer_ip_address,
        )
        return cls(transaction=item, transaction_event=event, data=data)


class TransactionProcess(PaymentMutation):
    """Continue a payment after the shopper's extra step (a bank redirect, 3-D Secure)."""

    transaction = graphene.Field(TransactionItem)
    transaction_event = graphene.Field(TransactionEvent)
    data = JSON()

    class Arguments:
        id = graphene.ID()
        token = UUID()
        data = JSON()
        customer_ip_address = graphene.String()

    class Meta:
        error_type_class = TransactionProcessError
        error_code_enum = error_codes.TransactionProcessErrorCode

    @classmethod
    def perform_mutation(cls, info, id=None, token=None, data=None, customer_ip_address=None):
        if id:
            token = input_pk(id, "TransactionItem", field="id", codes=error_codes.TransactionProcessErrorCode)
        item = TransactionItemModel.objects.filter(token=token).first() if token else None
        if item is None:
            raise services.error("id", "Transaction not found.", Codes.NOT_FOUND)
        item, event, result_data = services.transaction_process(
            item=item, data=data, customer_ip_address=customer_ip_address
        )
        return cls(transaction=item, transaction_event=event, data=result_data)


class PaymentMutations(graphene.ObjectType):
    payment_gateway_initialize = PaymentGatewayInitialize.Field()
    transaction_initialize = TransactionInitialize.Field()
    transaction_process = TransactionProcess.Field()
