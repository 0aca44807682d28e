"""Checkout mutations with Saleor's names, arguments and payloads (``errors: [CheckoutError!]!``)."""

from __future__ import annotations

from types import MappingProxyType

import graphene

from saleor_ext.checkout import addresses, services
from saleor_ext.checkout.complete import complete_checkout
from saleor_ext.checkout.error_codes import CheckoutErrorCode as Codes
from saleor_ext.checkout.fetch import fetch_checkout_info
from saleor_ext.checkout.models import Checkout as CheckoutModel
from saleor_ext.core.errors import validation_error
from saleor_ext.product.selectors import get_channel

from ..account.enums import AddressTypeEnum
from ..account.types import AddressInput, MetadataInput
from ..core.errors import Error
from ..core.ids import input_pk, input_type_and_pk
from ..core.mutations import BaseMutation, error_list_field
from ..core.permissions import get_user
from ..core.scalars import UUID, JSONString, PositiveDecimal
from ..core.types import LanguageCodeEnum
from .types import Checkout, forget_checkout_info

CheckoutErrorCode = graphene.Enum.from_enum(Codes)


class CheckoutError(Error):
    code = graphene.Field(CheckoutErrorCode, required=True)
    variants = graphene.List(graphene.NonNull(graphene.ID))
    lines = graphene.List(graphene.NonNull(graphene.ID))
    address_type = graphene.Field(AddressTypeEnum)


class CheckoutLineInput(graphene.InputObjectType):
    quantity = graphene.Int(required=True)
    variant_id = graphene.ID(required=True)
    price = PositiveDecimal()
    price_override_reason = graphene.String()
    force_new_line = graphene.Boolean(default_value=False)
    metadata = graphene.List(graphene.NonNull(MetadataInput))


class CheckoutLineUpdateInput(graphene.InputObjectType):
    variant_id = graphene.ID(deprecation_reason="Use `lineId` instead.")
    quantity = graphene.Int()
    price = PositiveDecimal()
    price_override_reason = graphene.String()
    line_id = graphene.ID()
    metadata = graphene.List(graphene.NonNull(MetadataInput))


class CheckoutAddressValidationRules(graphene.InputObjectType):
    check_required_fields = graphene.Boolean(default_value=True)
    check_fields_format = graphene.Boolean(default_value=True)
    enable_fields_normalization = graphene.Boolean(default_value=True)


class CheckoutValidationRules(graphene.InputObjectType):
    shipping_address = graphene.Field(CheckoutAddressValidationRules)
    billing_address = graphene.Field(CheckoutAddressValidationRules)


class CheckoutCreateInput(graphene.InputObjectType):
    channel = graphene.String()
    lines = graphene.List(graphene.NonNull(CheckoutLineInput))
    email = graphene.String()
    save_shipping_address = graphene.Boolean()
    shipping_address = graphene.Field(AddressInput)
    save_billing_address = graphene.Boolean()
    billing_address = graphene.Field(AddressInput)
    language_code = graphene.Field(LanguageCodeEnum)
    validation_rules = graphene.Field(CheckoutValidationRules)
    metadata = graphene.List(graphene.NonNull(MetadataInput))
    private_metadata = graphene.List(graphene.NonNull(MetadataInput))


# --- helpers ---------------------------------------------------------------------------------------


def checkout_token(id=None, token=None, checkout_id=None):
    """The checkout's UUID from ``id`` (or the deprecated ``token`` / ``checkoutId``)."""
    return token or input_pk(id or checkout_id, "Checkout", field="id", codes=Codes)


def _variant_pk(global_id: str) -> int:
    return input_pk(global_id, "ProductVariant", field="variantId", codes=Codes)


def _line_pk(global_id: str):
    return input_pk(global_id, "CheckoutLine", field="lineId", codes=Codes)


def _line_inputs(lines) -> list[services.LineInput]:
    return [
        services.LineInput(_variant_pk(line.variant_id), line.quantity, bool(line.get("force_new_line")))
        for line in lines or []
    ]


def _language(value) -> str | None:
    if value is None:
        return None
    code = value.value if hasattr(value, "value") else value
    return str(code).lower().replace("_", "-")


def _require_user(info):
    user = get_user(info)
    if user is None:
        raise services.error(None, "Log in to attach a checkout to your account.", Codes.INVALID)
    return user


class CheckoutMutation(BaseMutation):
    """What every checkout mutation answers: ``errors`` (and the deprecated ``checkoutErrors``)."""

    class Meta:
        abstract = True

    error_type_class = CheckoutError
    error_code_enum = Codes
    error_type_field = "checkout_errors"
    error_id_params = MappingProxyType({"variants": "ProductVariant", "lines": "CheckoutLine"})


class _CheckoutChange(CheckoutMutation):
    """A change of the cart, answered with the cart. One transaction: a failing step (an invalid
    address of checkoutCreate) leaves nothing behind."""

    class Meta:
        abstract = True

    atomic = True
    checkout = graphene.Field(Checkout)
    errors = error_list_field(CheckoutError)
    checkout_errors = error_list_field(CheckoutError, "Use `errors`.")

    @classmethod
    def payload(cls, info, checkout: CheckoutModel) -> _CheckoutChange:
        # The cart changed: what this request computed of it is stale.
        forget_checkout_info(info, checkout)
        return cls(checkout=checkout)


class _CheckoutIdArguments:
    id = graphene.ID()
    token = UUID(deprecation_reason="Use `id` instead.")
    checkout_id = graphene.ID(deprecation_reason="Use `id` instead.")


# --- mutations -------------------------------------------------------------------------------------


class CheckoutCreate(_CheckoutChange):
    """Create a cart in a channel; a logged-in caller becomes its customer."""

    created = graphene.Boolean(deprecation_reason="deprecated")

    class Arguments:
        input = CheckoutCreateInput(required=True)

    @staticmethod
    def resolve_created(root, _info) -> bool:
        return root.checkout is not None

    @classmethod
    def clean_input(cls, info, input):
        slug = input.get("channel")
        if not slug:
            raise services.error("channel", "Give the channel's slug.", Codes.MISSING_CHANNEL_SLUG)
        channel = get_channel(slug)
        if channel is None:
            raise services.error("channel", f"Channel with '{slug}' slug does not exist.", Codes.NOT_FOUND)
        return {"input": input, "channel": channel, "lines": _line_inputs(input.get("lines"))}

    @classmethod
    def perform_mutation(cls, info, input, channel, lines):
        checkout = services.create_checkout(
            channel=channel,
            user=get_user(info),
            email=input.get("email"),
            lines=lines,
            language_code=_language(input.get("language_code")),
        )
        addresses.apply_create_addresses(checkout, input)
        return cls.payload(info, checkout)


class CheckoutLinesAdd(_CheckoutChange):
    class Arguments(_CheckoutIdArguments):
        lines = graphene.List(graphene.NonNull(CheckoutLineInput), required=True)

    @classmethod
    def perform_mutation(cls, info, lines, **ids):
        return cls.payload(info, services.add_lines(checkout_token(**ids), _line_inputs(lines)))


class CheckoutLinesUpdate(_CheckoutChange):
    class Arguments(_CheckoutIdArguments):
        lines = graphene.List(graphene.NonNull(CheckoutLineUpdateInput), required=True)

    @classmethod
    def clean_input(cls, info, lines, **ids):
        updates = []
        for line in lines:
            if line.get("quantity") is None:
                raise services.error("quantity", "Give the new quantity.", Codes.REQUIRED)
            line_id = _line_pk(line.line_id) if line.get("line_id") else None
            variant_id = _variant_pk(line.variant_id) if line.get("variant_id") else None
            updates.append(services.LineUpdate(line_id, variant_id, line.quantity))
        return {"token": checkout_token(**ids), "updates": updates}

    @classmethod
    def perform_mutation(cls, info, token, updates):
        return cls.payload(info, services.update_lines(token, updates))


class CheckoutLinesDelete(_CheckoutChange):
    class Arguments:
        id = graphene.ID()
        token = UUID(deprecation_reason="Use `id` instead.")
        lines_ids = graphene.List(graphene.NonNull(graphene.ID), required=True)

    @classmethod
    def clean_input(cls, info, lines_ids, **ids):
        line_pks = [_line_pk(line_id) for line_id in lines_ids]
        return {"token": checkout_token(**ids), "line_pks": line_pks}

    @classmethod
    def perform_mutation(cls, info, token, line_pks):
        return cls.payload(info, services.delete_lines(token, line_pks))


class CheckoutEmailUpdate(_CheckoutChange):
    class Arguments(_CheckoutIdArguments):
        email = graphene.String(required=True)

    @classmethod
    def perform_mutation(cls, info, email, **ids):
        return cls.payload(info, services.update_email(checkout_token(**ids), email))


class CheckoutCustomerNoteUpdate(_CheckoutChange):
    """The shopper's note to the shops (e.g. "ring twice"); it is copied onto the order."""

    class Arguments:
        id = graphene.ID(required=True)
        customer_note = graphene.String(required=True)

    @classmethod
    def perform_mutation(cls, info, id, customer_note):
        return cls.payload(info, services.update_customer_note(checkout_token(id=id), customer_note))


class CheckoutCustomerAttach(_CheckoutChange):
    class Arguments(_CheckoutIdArguments):
        customer_id = graphene.ID(description="Apps only; ignored for customers.")

    @classmethod
    def perform_mutation(cls, info, customer_id=None, **ids):
        return cls.payload(info, services.attach_customer(checkout_token(**ids), _require_user(info)))


class CheckoutCustomerDetach(_CheckoutChange):
    class Arguments(_CheckoutIdArguments):
        pass

    @classmethod
    def perform_mutation(cls, info, **ids):
        return cls.payload(info, services.detach_customer(checkout_token(**ids), _require_user(info)))


class _AddressArguments(_CheckoutIdArguments):
    save_address = graphene.Boolean(default_value=True)
    validation_rules = graphene.Argument(CheckoutAddressValidationRules)


class _AddressUpdate(_CheckoutChange):
    """Shared body of the shipping and billing address mutations; ``KIND`` names the address."""

    class Meta:
        abstract = True

    KIND = ""

    @classmethod
    def perform_mutation(cls, info, save_address=True, validation_rules=None, **kwargs):
        data = dict(kwargs.pop(f"{cls.KIND}_address"))
        token = checkout_token(**kwargs)
        return cls.payload(info, addresses.update_address(token, cls.KIND, data, save_address, validation_rules or {}))


class CheckoutShippingAddressUpdate(_AddressUpdate):
    KIND = "shipping"

    class Arguments(_AddressArguments):
        shipping_address = graphene.Argument(AddressInput, required=True)


class CheckoutBillingAddressUpdate(_AddressUpdate):
    KIND = "billing"

    class Arguments(_AddressArguments):
        billing_address = graphene.Argument(AddressInput, required=True)


class CheckoutDeliveryMethodUpdate(_CheckoutChange):
    """Choose a delivery for the shop the given method belongs to: a `Delivery` id from
    `deliveryOptionsCalculate` or `shippingMethods`, or a pickup `Warehouse` id."""

    class Arguments:
        id = graphene.ID()
        token = UUID(deprecation_reason="Use `id` instead.")
        delivery_method_id = graphene.ID()

    @classmethod
    def clean_input(cls, info, delivery_method_id=None, **ids):
        token = checkout_token(**ids)
        kind, pk = input_type_and_pk(
            delivery_method_id,
            ("Delivery", "Warehouse"),
            field="deliveryMethodId",
            codes=Codes,
            wrong_type_code=Codes.DELIVERY_METHOD_NOT_APPLICABLE,
        )
        return {"token": token, "delivery_id" if kind == "Delivery" else "warehouse_id": pk}

    @classmethod
    def perform_mutation(cls, info, token, **method):
        return cls.payload(info, services.set_delivery_method(token, **method))


class DeliveryOptionsCalculateErrorCode(graphene.Enum):
    GRAPHQL_ERROR = "graphql_error"
    INVALID = "invalid"
    NOT_FOUND = "not_found"


class DeliveryOptionsCalculateError(Error):
    code = graphene.Field(DeliveryOptionsCalculateErrorCode, required=True)


class DeliveryOptionsCalculate(BaseMutation):
    """Compute the home-delivery offers of every shop of the cart for its shipping address."""

    deliveries = graphene.List(graphene.NonNull("saleor_ext.graphql.checkout.delivery.Delivery"), required=True)

    class Arguments:
        id = graphene.ID(required=True)

    class Meta:
        error_type_class = DeliveryOptionsCalculateError
        error_code_enum = DeliveryOptionsCalculateErrorCode

    @staticmethod
    def resolve_deliveries(root, _info) -> list:
        return root.deliveries or []  # none when refused

    @classmethod
    def clean_input(cls, info, id):
        token = input_pk(id, "Checkout", field="id", codes=DeliveryOptionsCalculateErrorCode)
        checkout = CheckoutModel.objects.filter(pk=token).first()
        if checkout is None:
            raise validation_error("id", "Checkout not found.", DeliveryOptionsCalculateErrorCode.NOT_FOUND)
        return {"checkout": checkout}

    @classmethod
    def perform_mutation(cls, info, checkout):
        offers = services.refresh_deliveries(fetch_checkout_info(checkout))
        return cls(deliveries=[offer for rows in offers.values() for offer in rows])


class CheckoutAddPromoCode(_CheckoutChange):
    """Vouchers and gift cards are not sold on the marketplace: every code is refused."""

    class Arguments(_CheckoutIdArguments):
        promo_code = graphene.String(required=True)

    @classmethod
    def perform_mutation(cls, info, promo_code, **ids):
        checkout_token(**ids)
        raise services.error("promoCode", "Promo code is invalid.", Codes.INVALID)


class CheckoutRemovePromoCode(_CheckoutChange):
    class Arguments(_CheckoutIdArguments):
        promo_code = graphene.String()
        promo_code_id = graphene.ID()

    @classmethod
    def perform_mutation(cls, info, promo_code=None, promo_code_id=None, **ids):
        checkout = CheckoutModel.objects.filter(pk=checkout_token(**ids)).first()
        if checkout is None:
            raise services.error("id", "Couldn't resolve to a node.", Codes.NOT_FOUND)
        return cls.payload(info, checkout)


class CheckoutComplete(CheckoutMutation):
    """Turn the paid cart into an order (one vendor order per shop); retrying returns the same order."""

    order = graphene.Field("saleor_ext.graphql.order.types.Order")
    confirmation_needed = graphene.Boolean(required=True)
    confirmation_data = JSONString()
    errors = error_list_field(CheckoutError)
    checkout_errors = error_list_field(CheckoutError, "Use `errors`.")

    class Arguments(_CheckoutIdArguments):
        metadata = graphene.List(graphene.NonNull(MetadataInput))
        payment_data = JSONString(description="Unused: payments go through transactions.")
        redirect_url = graphene.String()
        store_source = graphene.Boolean(deprecation_reason="deprecated")

    @staticmethod
    def resolve_confirmation_needed(_root, _info) -> bool:
        return False  # the payment is confirmed before completion

    @classmethod
    def perform_mutation(cls, info, metadata=None, payment_data=None, redirect_url=None, store_source=None, **ids):
        return cls(order=complete_checkout(checkout_token(**ids), user=get_user(info)))
