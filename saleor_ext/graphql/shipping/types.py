"""Saleor's ``ShippingMethod`` as a shopper sees it: a home-delivery method offered for a cart.

The root of a ``ShippingMethod`` is a ``saleor_ext.shipping.services.ShippingMethodOffer`` (the
method, its gross price in the cart's channel and its delivery time), never a bare model: the
price depends on the channel, and the checkout keeps the price it showed. Resolvers that build a
``ShippingMethod`` field return offers, e.g. from ``applicable_shipping_methods``.
"""

from __future__ import annotations

import graphene
import prices

from saleor_ext.shipping.models import ShippingMethodChannelListing
from saleor_ext.shipping.services import ShippingMethodOffer

from ..core.context import BaseLoader, get_loader
from ..core.futures import then
from ..core.ids import to_global_id
from ..core.scalars import JSONString
from ..core.types import MetadataFields, Money
from ..product.types.products import Weight, weight_or_none


class ShippingMethodTypeEnum(graphene.Enum):
    PRICE = "price"
    WEIGHT = "weight"


class ShippingListingByChannelLoader(BaseLoader):
    """Channel listings by ``(shipping method id, channel id)``."""

    def batch_load(self, keys):
        method_ids = {method_id for method_id, _ in keys}
        channel_ids = {channel_id for _, channel_id in keys}
        listings = {
            (listing.shipping_method_id, listing.channel_id): listing
            for listing in ShippingMethodChannelListing.objects.filter(
                shipping_method_id__in=method_ids, channel_id__in=channel_ids
            )
        }
        return [listings.get(key) for key in keys]


def _order_price(info, root: ShippingMethodOffer, amount_field: str):
    if root.channel_id is None:
        return None

    def money(listing: ShippingMethodChannelListing | None):
        amount = getattr(listing, amount_field) if listing is not None else None
        return prices.Money(amount, listing.currency) if amount is not None else None

    return then(get_loader(info, ShippingListingByChannelLoader).load((root.method.pk, root.channel_id)), money)


class ShippingMethod(MetadataFields, graphene.ObjectType):
    id = graphene.ID(required=True)
    type = graphene.Field(ShippingMethodTypeEnum, deprecation_reason="deprecated")
    name = graphene.String(required=True)
    description = JSONString()
    maximum_delivery_days = graphene.Int()
    minimum_delivery_days = graphene.Int()
    maximum_order_weight = graphene.Field(Weight, deprecation_reason="deprecated")
    minimum_order_weight = graphene.Field(Weight, deprecation_reason="deprecated")
    price = graphene.Field(Money, required=True, description="Gross price of the delivery in the cart's channel.")
    maximum_order_price = graphene.Field(Money, deprecation_reason="deprecated")
    minimum_order_price = graphene.Field(Money, deprecation_reason="deprecated")
    active = graphene.Boolean(required=True, description="Offers are only made for methods that apply: always true.")
    message = graphene.String()

    @staticmethod
    def resolve_id(root: ShippingMethodOffer, _info):
        return to_global_id("ShippingMethod", root.method.pk)

    @staticmethod
    def metadata_owner(root: ShippingMethodOffer):
        return root.method

    @staticmethod
    def resolve_type(root: ShippingMethodOffer, _info):
        return root.method.type

    @staticmethod
    def resolve_name(root: ShippingMethodOffer, _info):
        return root.method.name

    @staticmethod
    def resolve_description(root: ShippingMethodOffer, _info):
        return root.method.description

    @staticmethod
    def resolve_maximum_order_weight(root: ShippingMethodOffer, _info):
        weight = root.method.maximum_order_weight
        return weight_or_none(float(weight) if weight is not None else None)

    @staticmethod
    def resolve_minimum_order_weight(root: ShippingMethodOffer, _info):
        weight = root.method.minimum_order_weight
        return weight_or_none(float(weight) if weight is not None else None)

    @staticmethod
    def resolve_maximum_order_price(root: ShippingMethodOffer, info):
        return _order_price(info, root, "maximum_order_price_amount")

    @staticmethod
    def resolve_minimum_order_price(root: ShippingMethodOffer, info):
        return _order_price(info, root, "minimum_order_price_amount")

    @staticmethod
    def resolve_active(_root: ShippingMethodOffer, _info):
        return True

    @staticmethod
    def resolve_message(_root: ShippingMethodOffer, _info):
        return None
