"""Delivery offers of a cart: ``Delivery`` (a home-delivery offer kept for the checkout) and the
``DeliveryMethod`` union of a shipping method and a pickup warehouse."""

from __future__ import annotations

import graphene
from prices import Money

from saleor_ext.checkout import services
from saleor_ext.checkout.fetch import VendorGroup
from saleor_ext.checkout.models import CheckoutDelivery
from saleor_ext.shipping.models import ShippingMethod as ShippingMethodModel
from saleor_ext.shipping.services import ShippingMethodOffer
from saleor_ext.warehouse.models import Warehouse as WarehouseModel

from ..core.types import GlobalId
from ..product.types.products import Warehouse
from ..shipping.types import ShippingMethod


def _methods(info, ids) -> dict:
    cache = info.context.__dict__.setdefault("_shipping_methods", {})
    missing = {pk for pk in ids if pk not in cache}
    if missing:
        cache.update(ShippingMethodModel.objects.in_bulk(missing))
    return cache


def shipping_method_of(info, delivery: CheckoutDelivery):
    """The ``ShippingMethod`` root (a shipping offer) for a kept delivery, at the price it was offered."""
    method = _methods(info, [delivery.built_in_shipping_method_id]).get(delivery.built_in_shipping_method_id)
    if method is None:
        return None
    return ShippingMethodOffer(
        method=method,
        price=Money(delivery.price_amount, delivery.currency),
        minimum_delivery_days=delivery.minimum_delivery_days,
        maximum_delivery_days=delivery.maximum_delivery_days,
        channel_id=_channel_id(info, delivery),
    )


def _channel_id(info, delivery: CheckoutDelivery) -> int | None:
    # The cart was read already in this request: no query for its channel.
    known = info.context.__dict__.get("_checkout_infos", {}).get(delivery.checkout_id)
    return known.checkout.channel_id if known else None


def delivery_offers(info, group: VendorGroup) -> list[CheckoutDelivery]:
    """The vendor's current offers, computed again (once per request) when the cart changed."""
    checkout_info = group.checkout_info
    if checkout_info is not None and not checkout_info.offers_fresh:
        if any(g.is_shipping_required and not g.offers for g in checkout_info.groups):
            services.refresh_deliveries(checkout_info)
        checkout_info.offers_fresh = True
    return group.offers


def collection_points(info, group: VendorGroup) -> list[WarehouseModel]:
    checkout_info = group.checkout_info
    if checkout_info is None:
        return []
    if checkout_info.collection_points is None:
        checkout_info.collection_points = services.collection_points_for(checkout_info)
    return checkout_info.collection_points.get(group.vendor.pk, [])


class Delivery(GlobalId):
    shipping_method = graphene.Field(ShippingMethod)

    @staticmethod
    def resolve_shipping_method(root: CheckoutDelivery, info):
        return shipping_method_of(info, root)


class DeliveryMethod(graphene.Union):
    class Meta:
        types = (Warehouse, ShippingMethod)

    @classmethod
    def resolve_type(cls, instance, info):
        return Warehouse if isinstance(instance, WarehouseModel) else ShippingMethod
