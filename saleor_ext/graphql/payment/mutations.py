"""paymentGatewayInitialize, transactionInitialize and transactionProcess (Saleor's transaction flow)."""

from __future__ import annotations

import graphene
from django.core.exceptions import ValidationError

from saleor_ext.checkout.models import Checkout as CheckoutModel
from saleor_ext.payment import services
from saleor_ext.payment.models import TransactionItem as TransactionItemModel

from ..core.errors import snake_to_camel
from ..core.ids import decode_global_id
from ..core.permissions import get_user, has_one_of_permissions
from ..core.scalars import JSON, UUID, PositiveDecimal
from .types import PaymentGatewayToInitialize, TransactionEvent, TransactionFlowStrategyEnum, TransactionItem


def _error_type(name: str, codes: list[str]):
    enum = graphene.Enum(f"{name}Code", [(code, code.lower()) for code in codes])
    error_type = type(
        name,
        (graphene.ObjectType,),
        {"field": graphene.String(), "message": graphene.String(), "code": graphene.Field(enum, required=True)},
    )
    return error_type, {code.lower() for code in codes}


PaymentGatewayInitializeError, _INIT_CODES = _error_type(
    "PaymentGatewayInitializeError", ["GRAPHQL_ERROR", "INVALID", "NOT_FOUND"]
)
PaymentGatewayConfigError, _CONFIG_CODES = _error_type(
    "PaymentGatewayConfigError", ["GRAPHQL_ERROR", "INVALID", "NOT_FOUND"]
)
TransactionInitializeError, _TI_CODES = _error_type(
    "TransactionInitializeError", ["GRAPHQL_ERROR", "INVALID", "NOT_FOUND", "UNIQUE", "CHECKOUT_COMPLETION_IN_PROGRESS"]
)
TransactionProcessError, _TP_CODES = _error_type(
    "TransactionProcessError",
    [
        "GRAPHQL_ERROR",
        "INVALID",
        "NOT_FOUND",
        "TRANSACTION_ALREADY_PROCESSED",
        "MISSING_PAYMENT_APP_RELATION",
        "MISSING_PAYMENT_APP",
        "CHECKOUT_COMPLETION_IN_PROGRESS",
    ],
)


def _errors(error: ValidationError, error_type, codes: set[str]) -> list:
    found = []
    for field, items in error.error_dict.items():
        for item in items:
            # Codes the API's enum lacks (e.g. insufficient stock) are INVALID with their message.
            code = item.code if item.code in codes else "invalid"
            found.append(
                error_type(
                    field=snake_to_camel(field) if field != "__all__" else None, message=item.messages[0], code=code
                )
            )
    return found


def _source(global_id: str, user=None):
    """The checkout (or, later, the order) a payment is for. A cart is reached by its secret id;
    paying an existing order is for its owner or order staff only."""
    try:
        kind, pk = decode_global_id(global_id)
    except Exception:  # noqa: BLE001
        raise services.error("id", f"Couldn't resolve id: {global_id}.", "graphql_error") from None
    if kind == "Checkout":
        checkout = CheckoutModel.objects.select_related("channel").filter(pk=pk).first()
        if checkout is None:
            raise services.error("id", "Checkout not found.", "not_found")
        if checkout.completing_started_at is not None:
            raise services.error("id", "The checkout is being completed.", "checkout_completion_in_progress")
        return checkout
    if kind == "Order":
        from saleor_ext.order.models import Order

        order = Order.objects.select_related("channel").filter(pk=pk).first()
        allowed = order is not None and user is not None and (
            order.user_id == user.pk or has_one_of_permissions(user, ["MANAGE_ORDERS"])
        )
        if not allowed:
            # The same answer as a missing order: an order id alone says nothing.
            raise services.error("id", "Order not found.", "not_found")
        return order
    raise services.error("id", "Must receive a Checkout or Order id.", "graphql_error")


class PaymentGatewayConfig(graphene.ObjectType):
    id = graphene.String(required=True)
    data = JSON()
    errors = graphene.List(graphene.NonNull(PaymentGatewayConfigError))


class PaymentGatewayInitialize(graphene.Mutation):
    """What each payment gateway needs before the shopper pays (Stripe: its publishable key)."""

    gateway_configs = graphene.List(graphene.NonNull(PaymentGatewayConfig))
    errors = graphene.List(graphene.NonNull(PaymentGatewayInitializeError), required=True)

    class Arguments:
        id = graphene.ID(required=True)
        amount = PositiveDecimal()
        payment_gateways = graphene.List(graphene.NonNull(PaymentGatewayToInitialize))

    @classmethod
    def mutate(cls, _root, info, id, amount=None, payment_gateways=None):
        try:
            source = _source(id, get_user(info))
        except ValidationError as error:
            return cls(gateway_configs=[], errors=_errors(error, PaymentGatewayInitializeError, _INIT_CODES))
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
        configs = []
        for gateway_id, data, failure in services.initialize_gateways(source, channel_slug, requests, amount):
            errors = _errors(failure, PaymentGatewayConfigError, _CONFIG_CODES) if failure else []
            configs.append(PaymentGatewayConfig(id=gateway_id, data=data, errors=errors))
        return cls(gateway_configs=configs, errors=[])


class TransactionInitialize(graphene.Mutation):
    """Start paying the checkout (or order) with a gateway; the checkout's items are reserved."""

    transaction = graphene.Field(TransactionItem)
    transaction_event = graphene.Field(TransactionEvent)
    data = JSON()
    errors = graphene.List(graphene.NonNull(TransactionInitializeError), required=True)

    class Arguments:
        id = graphene.ID(required=True)
        action = graphene.Argument(TransactionFlowStrategyEnum)
        amount = PositiveDecimal()
        customer_ip_address = graphene.String()
        idempotency_key = graphene.String()
        payment_gateway = graphene.Argument(PaymentGatewayToInitialize, required=True)

    @classmethod
    def mutate(cls, _root, info, id, payment_gateway, action=None, amount=None, customer_ip_address=None,
               idempotency_key=None):
        try:
            source = _source(id, get_user(info))
            action_value = getattr(action, "value", action) or "charge"
            item, event, data = services.transaction_initialize(
                source=source,
                gateway_id=payment_gateway.id,
                data=payment_gateway.get("data"),
                amount=amount,
                action=action_value,
                user=get_user(info),
                idempotency_key=idempotency_key,
                customer_ip_address=customer_ip_address,
            )
        except ValidationError as error:
            return cls(errors=_errors(error, TransactionInitializeError, _TI_CODES))
        return cls(transaction=item, transaction_event=event, data=data, errors=[])


class TransactionProcess(graphene.Mutation):
    """Continue a payment after the shopper's extra step (a bank redirect, 3-D Secure)."""

    transaction = graphene.Field(TransactionItem)
    transaction_event = graphene.Field(TransactionEvent)
    data = JSON()
    errors = graphene.List(graphene.NonNull(TransactionProcessError), required=True)

    class Arguments:
        id = graphene.ID()
        token = UUID()
        data = JSON()
        customer_ip_address = graphene.String()

    @classmethod
    def mutate(cls, _root, info, id=None, token=None, data=None, customer_ip_address=None):
        try:
            if id:
                try:
                    kind, token = decode_global_id(id)
                except Exception:  # noqa: BLE001
                    raise services.error("id", f"Couldn't resolve id: {id}.", "graphql_error") from None
                if kind != "TransactionItem":
                    raise services.error("id", "Must receive a TransactionItem id.", "graphql_error")
            item = TransactionItemModel.objects.filter(token=token).first() if token else None
            if item is None:
                raise services.error("id", "Transaction not found.", "not_found")
            item, event, result_data = services.transaction_process(
                item=item, data=data, customer_ip_address=customer_ip_address
            )
        except ValidationError as error:
            return cls(errors=_errors(error, TransactionProcessError, _TP_CODES))
        return cls(transaction=item, transaction_event=event, data=result_data, errors=[])


class PaymentMutations(graphene.ObjectType):
    payment_gateway_initialize = PaymentGatewayInitialize.Field()
    transaction_initialize = TransactionInitialize.Field()
    transaction_process = TransactionProcess.Field()
