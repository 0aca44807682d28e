"""Checkout mutations with Saleor's names, arguments and payloads (``errors: [CheckoutError!]!``)."""

from __future__ import annotations

import uuid

import graphene
from django.core.exceptions import ValidationError
from django.db import transaction

from saleor_ext.checkout import services
from saleor_ext.checkout.error_codes import CheckoutErrorCode as Codes
from saleor_ext.checkout.models import Checkout as CheckoutModel
from saleor_ext.product.selectors import get_channel

from ..account.types import MetadataInput
from ..core.errors import validation_error_to_list
from ..core.ids import decode_global_id
from ..core.permissions import get_user
from ..core.scalars import UUID, JSONString, PositiveDecimal
from ..core.types import LanguageCodeEnum
from .types import Checkout, forget_checkout_info

CheckoutErrorCode = graphene.Enum.from_enum(Codes)


class AddressTypeEnumForErrors(graphene.Enum):
    class Meta:
        name = "AddressTypeEnum"

    BILLING = "billing"
    SHIPPING = "shipping"


def _address_type_enum():
    try:
        from ..account.enums import AddressTypeEnum

        return AddressTypeEnum
    except ImportError:  # pragma: no cover - the account API defines it
        return AddressTypeEnumForErrors


class CheckoutError(graphene.ObjectType):
    field = graphene.String()
    message = graphene.String()
    code = graphene.Field(CheckoutErrorCode, required=True)
    variants = graphene.List(graphene.NonNull(graphene.ID))
    lines = graphene.List(graphene.NonNull(graphene.ID))
    address_type = graphene.Field(lambda: _address_type_enum())


def checkout_errors(error: ValidationError) -> list[CheckoutError]:
    return validation_error_to_list(error, CheckoutError, Codes)


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


def _address_input():
    from ..account.types import AddressInput

    return AddressInput


class CheckoutCreateInput(graphene.InputObjectType):
    channel = graphene.String()
    lines = graphene.List(graphene.NonNull(CheckoutLineInput))
    email = graphene.String()
    save_shipping_address = graphene.Boolean()
    shipping_address = graphene.Field(lambda: _address_input())
    save_billing_address = graphene.Boolean()
    billing_address = graphene.Field(lambda: _address_input())
    language_code = graphene.Field(LanguageCodeEnum)
    validation_rules = graphene.Field(CheckoutValidationRules)
    metadata = graphene.List(graphene.NonNull(MetadataInput))
    private_metadata = graphene.List(graphene.NonNull(MetadataInput))


# --- helpers ---------------------------------------------------------------------------------------


def _pk(global_id: str, type_name: str, field: str):
    try:
        kind, pk = decode_global_id(global_id)
    except Exception:  # noqa: BLE001 - any undecodable id is the caller's mistake
        raise services.error(field, f"Couldn't resolve id: {global_id}.", Codes.GRAPHQL_ERROR) from None
    if kind != type_name:
        raise services.error(field, f"Must receive a {type_name} id.", Codes.GRAPHQL_ERROR)
    return pk


def checkout_token(id=None, token=None, checkout_id=None):
    """The checkout's UUID from ``id`` (or the deprecated ``token`` / ``checkoutId``)."""
    if token:
        return token
    value = id or checkout_id
    if not value:
        raise services.error("id", "Give the checkout's id.", Codes.REQUIRED)
    pk = _pk(value, "Checkout", "id")
    try:
        return uuid.UUID(str(pk))
    except ValueError:
        raise services.error("id", f"Couldn't resolve id: {value}.", Codes.GRAPHQL_ERROR) from None


def _variant_pk(global_id: str) -> int:
    pk = _pk(global_id, "ProductVariant", "variantId")
    try:
        return int(pk)
    except ValueError:
        raise services.error("variantId", f"Couldn't resolve id: {global_id}.", Codes.GRAPHQL_ERROR) from None


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


class CheckoutPayload:
    """Shared payload shape: ``checkout`` plus ``errors`` (and the deprecated ``checkoutErrors``)."""

    checkout = graphene.Field(Checkout)
    errors = graphene.List(graphene.NonNull(CheckoutError), required=True)
    checkout_errors = graphene.List(
        graphene.NonNull(CheckoutError), required=True, deprecation_reason="Use `errors`."
    )

    @classmethod
    def run(cls, info, action):
        try:
            # One transaction: a failing step (an invalid address of checkoutCreate) leaves nothing behind.
            with transaction.atomic():
                checkout = action()
        except ValidationError as error:
            errors = checkout_errors(error)
            return cls(errors=errors, checkout_errors=errors)
        forget_checkout_info(info, checkout)
        return cls(checkout=checkout, errors=[], checkout_errors=[])


# --- mutations -------------------------------------------------------------------------------------


class CheckoutCreate(CheckoutPayload, graphene.Mutation):
    """Create a cart in a channel; a logged-in caller becomes its customer."""

    created = graphene.Boolean(deprecation_reason="deprecated")

    class Arguments:
        input = CheckoutCreateInput(required=True)

    @classmethod
    def mutate(cls, _root, info, input):
        def action():
            slug = input.get("channel")
            if not slug:
                raise services.error("channel", "Give the channel's slug.", Codes.MISSING_CHANNEL_SLUG)
            channel = get_channel(slug)
            if channel is None:
                raise services.error("channel", f"Channel with '{slug}' slug does not exist.", Codes.NOT_FOUND)
            checkout = services.create_checkout(
                channel=channel,
                user=get_user(info),
                email=input.get("email"),
                lines=_line_inputs(input.get("lines")),
                language_code=_language(input.get("language_code")),
            )
            from saleor_ext.checkout import addresses

            addresses.apply_create_addresses(checkout, input)
            return checkout

        payload = cls.run(info, action)
        payload.created = payload.checkout is not None
        return payload


class _CheckoutIdArguments:
    id = graphene.ID()
    token = UUID(deprecation_reason="Use `id` instead.")
    checkout_id = graphene.ID(deprecation_reason="Use `id` instead.")


class CheckoutLinesAdd(CheckoutPayload, graphene.Mutation):
    class Arguments(_CheckoutIdArguments):
        lines = graphene.List(graphene.NonNull(CheckoutLineInput), required=True)

    @classmethod
    def mutate(cls, _root, info, lines, **ids):
        return cls.run(info, lambda: services.add_lines(checkout_token(**ids), _line_inputs(lines)))


class CheckoutLinesUpdate(CheckoutPayload, graphene.Mutation):
    class Arguments(_CheckoutIdArguments):
        lines = graphene.List(graphene.NonNull(CheckoutLineUpdateInput), required=True)

    @classmethod
    def mutate(cls, _root, info, lines, **ids):
        def action():
            updates = []
            for line in lines:
                if line.get("quantity") is None:
                    raise services.error("quantity", "Give the new quantity.", Codes.REQUIRED)
                line_id = _pk(line.line_id, "CheckoutLine", "lineId") if line.get("line_id") else None
                variant_id = _variant_pk(line.variant_id) if line.get("variant_id") else None
                updates.append(services.LineUpdate(line_id, variant_id, line.quantity))
            return services.update_lines(checkout_token(**ids), updates)

        return cls.run(info, action)


class CheckoutLinesDelete(CheckoutPayload, graphene.Mutation):
    class Arguments:
        id = graphene.ID()
        token = UUID(deprecation_reason="Use `id` instead.")
        lines_ids = graphene.List(graphene.NonNull(graphene.ID), required=True)

    @classmethod
    def mutate(cls, _root, info, lines_ids, **ids):
        def action():
            line_pks = [_pk(line_id, "CheckoutLine", "lineId") for line_id in lines_ids]
            return services.delete_lines(checkout_token(**ids), line_pks)

        return cls.run(info, action)


class CheckoutEmailUpdate(CheckoutPayload, graphene.Mutation):
    class Arguments(_CheckoutIdArguments):
        email = graphene.String(required=True)

    @classmethod
    def mutate(cls, _root, info, email, **ids):
        return cls.run(info, lambda: services.update_email(checkout_token(**ids), email))


class CheckoutCustomerNoteUpdate(CheckoutPayload, graphene.Mutation):
    """The shopper's note to the shops (e.g. "ring twice"); it is copied onto the order."""

    class Arguments:
        id = graphene.ID(required=True)
        customer_note = graphene.String(required=True)

    @classmethod
    def mutate(cls, _root, info, id, customer_note):
        return cls.run(info, lambda: services.update_customer_note(checkout_token(id=id), customer_note))


def _require_user(info):
    user = get_user(info)
    if user is None:
        raise services.error(None, "Log in to attach a checkout to your account.", Codes.INVALID)
    return user


class CheckoutCustomerAttach(CheckoutPayload, graphene.Mutation):
    class Arguments(_CheckoutIdArguments):
        customer_id = graphene.ID(description="Apps only; ignored for customers.")

    @classmethod
    def mutate(cls, _root, info, customer_id=None, **ids):
        return cls.run(info, lambda: services.attach_customer(checkout_token(**ids), _require_user(info)))


class CheckoutCustomerDetach(CheckoutPayload, graphene.Mutation):
    class Arguments(_CheckoutIdArguments):
        pass

    @classmethod
    def mutate(cls, _root, info, **ids):
        return cls.run(info, lambda: services.detach_customer(checkout_token(**ids), _require_user(info)))


class _AddressUpdate(CheckoutPayload):
    """Shared body of the shipping and billing address mutations; ``KIND`` names the address."""

    KIND = ""

    @classmethod
    def mutate(cls, _root, info, save_address=True, validation_rules=None, **kwargs):
        from saleor_ext.checkout import addresses

        data = dict(kwargs.pop(f"{cls.KIND}_address"))
        return cls.run(
            info,
            lambda: addresses.update_address(
                checkout_token(**kwargs), cls.KIND, data, save_address, validation_rules or {}
            ),
        )


class _AddressArguments:
    id = graphene.ID()
    token = UUID(deprecation_reason="Use `id` instead.")
    checkout_id = graphene.ID(deprecation_reason="Use `id` instead.")
    save_address = graphene.Boolean(default_value=True)
    validation_rules = graphene.Argument(CheckoutAddressValidationRules)


class CheckoutShippingAddressUpdate(_AddressUpdate, graphene.Mutation):
    KIND = "shipping"

    class Arguments(_AddressArguments):
        shipping_address = graphene.Argument(lambda: _address_input(), required=True)


class CheckoutBillingAddressUpdate(_AddressUpdate, graphene.Mutation):
    KIND = "billing"

    class Arguments(_AddressArguments):
        billing_address = graphene.Argument(lambda: _address_input(), required=True)


class CheckoutDeliveryMethodUpdate(CheckoutPayload, graphene.Mutation):
    """Choose a delivery for the shop the given method belongs to: a `Delivery` id from
    `deliveryOptionsCalculate` or `shippingMethods`, or a pickup `Warehouse` id."""

    class Arguments:
        id = graphene.ID()
        token = UUID(deprecation_reason="Use `id` instead.")
        delivery_method_id = graphene.ID()

    @classmethod
    def mutate(cls, _root, info, delivery_method_id=None, **ids):
        def action():
            token = checkout_token(**ids)
            if not delivery_method_id:
                raise services.error("deliveryMethodId", "Give a delivery method.", Codes.REQUIRED)
            try:
                kind, pk = decode_global_id(delivery_method_id)
            except Exception:  # noqa: BLE001
                raise services.error(
                    "deliveryMethodId", f"Couldn't resolve id: {delivery_method_id}.", Codes.GRAPHQL_ERROR
                ) from None
            if kind == "Delivery":
                return services.set_delivery_method(token, delivery_id=pk)
            if kind == "Warehouse":
                return services.set_delivery_method(token, warehouse_id=pk)
            raise services.error(
                "deliveryMethodId", "Must receive a Delivery or Warehouse id.", Codes.DELIVERY_METHOD_NOT_APPLICABLE
            )

        return cls.run(info, action)


class DeliveryOptionsCalculateErrorCode(graphene.Enum):
    GRAPHQL_ERROR = "graphql_error"
    INVALID = "invalid"
    NOT_FOUND = "not_found"


class DeliveryOptionsCalculateError(graphene.ObjectType):
    field = graphene.String()
    message = graphene.String()
    code = graphene.Field(DeliveryOptionsCalculateErrorCode, required=True)


class DeliveryOptionsCalculate(graphene.Mutation):
    """Compute the home-delivery offers of every shop of the cart for its shipping address."""

    deliveries = graphene.List(graphene.NonNull("saleor_ext.graphql.checkout.delivery.Delivery"), required=True)
    errors = graphene.List(graphene.NonNull(DeliveryOptionsCalculateError), required=True)

    class Arguments:
        id = graphene.ID(required=True)

    @classmethod
    def mutate(cls, _root, info, id):
        from saleor_ext.checkout.fetch import fetch_checkout_info

        try:
            token = checkout_token(id=id)
        except ValidationError:
            error = DeliveryOptionsCalculateError(field="id", message="Invalid id.", code="graphql_error")
            return cls(deliveries=[], errors=[error])
        checkout = CheckoutModel.objects.filter(pk=token).first()
        if checkout is None:
            return cls(
                deliveries=[],
                errors=[DeliveryOptionsCalculateError(field="id", message="Checkout not found.", code="not_found")],
            )
        offers = services.refresh_deliveries(fetch_checkout_info(checkout))
        return cls(deliveries=[offer for rows in offers.values() for offer in rows], errors=[])


class CheckoutAddPromoCode(CheckoutPayload, graphene.Mutation):
    """Vouchers and gift cards are not sold on the marketplace: every code is refused."""

    class Arguments(_CheckoutIdArguments):
        promo_code = graphene.String(required=True)

    @classmethod
    def mutate(cls, _root, info, promo_code, **ids):
        def action():
            checkout_token(**ids)
            raise services.error("promoCode", "Promo code is invalid.", Codes.INVALID)

        return cls.run(info, action)


class CheckoutRemovePromoCode(CheckoutPayload, graphene.Mutation):
    class Arguments(_CheckoutIdArguments):
        promo_code = graphene.String()
        promo_code_id = graphene.ID()

    @classmethod
    def mutate(cls, _root, info, promo_code=None, promo_code_id=None, **ids):
        def action():
            token = checkout_token(**ids)
            checkout = CheckoutModel.objects.filter(pk=token).first()
            if checkout is None:
                raise services.error("id", "Couldn't resolve to a node.", Codes.NOT_FOUND)
            return checkout

        return cls.run(info, action)


def _order_type():
    from ..order.types import Order

    return Order


class CheckoutComplete(graphene.Mutation):
    """Turn the paid cart into an order (one vendor order per shop); retrying returns the same order."""

    order = graphene.Field(lambda: _order_type())
    confirmation_needed = graphene.Boolean(required=True)
    confirmation_data = JSONString()
    errors = graphene.List(graphene.NonNull(CheckoutError), required=True)
    checkout_errors = graphene.List(
        graphene.NonNull(CheckoutError), required=True, deprecation_reason="Use `errors`."
    )

    class Arguments(_CheckoutIdArguments):
        metadata = graphene.List(graphene.NonNull(MetadataInput))
        payment_data = JSONString(description="Unused: payments go through transactions.")
        redirect_url = graphene.String()
        store_source = graphene.Boolean(deprecation_reason="deprecated")

    @classmethod
    def mutate(cls, _root, info, metadata=None, payment_data=None, redirect_url=None, store_source=None, **ids):
        from saleor_ext.checkout.complete import complete_checkout

        try:
            order = complete_checkout(checkout_token(**ids), user=get_user(info))
        except ValidationError as error:
            errors = checkout_errors(error)
            return cls(errors=errors, checkout_errors=errors, confirmation_needed=False)
        return cls(order=order, errors=[], checkout_errors=[], confirmation_needed=False)
