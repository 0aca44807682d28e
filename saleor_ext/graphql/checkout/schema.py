"""Checkout queries and mutations (Saleor's names)."""

from __future__ import annotations

import graphene
from django.core.exceptions import ValidationError

from saleor_ext.checkout.models import Checkout as CheckoutModel

from ..core.scalars import UUID
from . import mutations
from .mutations import checkout_token
from .types import Checkout


class CheckoutQueries(graphene.ObjectType):
    checkout = graphene.Field(
        Checkout,
        id=graphene.ID(description="The checkout's ID; knowing it is the permission (it is the cart's secret)."),
        token=UUID(deprecation_reason="Use `id` instead."),
    )

    @staticmethod
    def resolve_checkout(_root, _info, id=None, token=None):
        try:
            pk = checkout_token(id=id, token=token)
        except ValidationError:
            return None
        checkouts = CheckoutModel.objects.select_related("channel", "shipping_address", "billing_address")
        return checkouts.filter(pk=pk).first()


class CheckoutMutations(graphene.ObjectType):
    checkout_create = mutations.CheckoutCreate.Field()
    checkout_lines_add = mutations.CheckoutLinesAdd.Field()
    checkout_lines_update = mutations.CheckoutLinesUpdate.Field()
    checkout_lines_delete = mutations.CheckoutLinesDelete.Field()
    checkout_email_update = mutations.CheckoutEmailUpdate.Field()
    checkout_customer_note_update = mutations.CheckoutCustomerNoteUpdate.Field()
    checkout_customer_attach = mutations.CheckoutCustomerAttach.Field()
    checkout_customer_detach = mutations.CheckoutCustomerDetach.Field()
    checkout_shipping_address_update = mutations.CheckoutShippingAddressUpdate.Field()
    checkout_billing_address_update = mutations.CheckoutBillingAddressUpdate.Field()
    checkout_delivery_method_update = mutations.CheckoutDeliveryMethodUpdate.Field()
    delivery_options_calculate = mutations.DeliveryOptionsCalculate.Field()
    checkout_complete = mutations.CheckoutComplete.Field()
    checkout_add_promo_code = mutations.CheckoutAddPromoCode.Field()
    checkout_remove_promo_code = mutations.CheckoutRemovePromoCode.Field()
