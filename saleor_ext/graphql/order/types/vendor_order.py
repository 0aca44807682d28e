"""One member shop's part of an order (marketplace)."""

from __future__ import annotations

import graphene

from saleor_ext.order import models
from saleor_ext.shipping.models import ShippingMethod as ShippingMethodModel
from saleor_ext.shipping.services import ShippingMethodOffer

from ...core.context import get_loader
from ...core.futures import then
from ...core.scalars import DateTime
from ...core.types import GlobalId, TaxedMoney
from ...product.dataloaders import VendorByIdLoader
from ...product.types.products import Warehouse
from ...vendor.types import Vendor
from ..dataloaders import (
    FulfillmentsByOrderIdLoader,
    LinesByOrderIdLoader,
    OrderByIdLoader,
    WarehouseByIdLoader,
)
from ..enums import VendorOrderStatusEnum
from .events import OrderEvent, events_of
from .fulfillment import Fulfillment
from .lines import OrderLine
from .money import money, taxed


def delivery_method_of(info, vendor_order: models.VendorOrder):
    """The pickup ``Warehouse``, or the ``ShippingMethod`` at the price the shopper paid for it."""
    if vendor_order.collection_point_id:
        return get_loader(info, WarehouseByIdLoader).load(vendor_order.collection_point_id)
    if not vendor_order.shipping_method_id:
        return None
    cache = info.context.__dict__.setdefault("_order_shipping_methods", {})
    if vendor_order.shipping_method_id not in cache:
        cache[vendor_order.shipping_method_id] = ShippingMethodModel.objects.filter(
            pk=vendor_order.shipping_method_id
        ).first()
    method = cache[vendor_order.shipping_method_id]
    if method is None:
        return None
    return ShippingMethodOffer(
        method=method,
        price=money(vendor_order.shipping_price_gross_amount, vendor_order.currency),
        minimum_delivery_days=method.minimum_delivery_days,
        maximum_delivery_days=method.maximum_delivery_days,
    )


class VendorOrder(GlobalId):
    """One member shop's part of an order, which it prepares and hands over on its own (marketplace)."""

    vendor = graphene.Field(Vendor, required=True)
    status = graphene.Field(VendorOrderStatusEnum, required=True)
    status_display = graphene.String(required=True)
    created = DateTime(required=True)
    updated_at = DateTime(required=True)
    lines = graphene.List(graphene.NonNull(OrderLine), required=True)
    fulfillments = graphene.List(graphene.NonNull(Fulfillment), required=True)
    subtotal = graphene.Field(TaxedMoney, required=True)
    shipping_price = graphene.Field(TaxedMoney, required=True)
    total = graphene.Field(TaxedMoney, required=True)
    is_click_and_collect = graphene.Boolean(required=True)
    delivery_method_name = graphene.String(required=True, description="The shipping method's or pickup point's name.")
    shipping_method_name = graphene.String()
    collection_point_name = graphene.String()
    collection_point = graphene.Field(Warehouse, description="The shop location where the items are collected.")
    tracking_number = graphene.String(required=True)
    events = graphene.List(graphene.NonNull(OrderEvent), required=True, description="This part's history; staff only.")

    @staticmethod
    def resolve_vendor(root, info):
        return get_loader(info, VendorByIdLoader).load(root.vendor_id)

    @staticmethod
    def resolve_status_display(root, _info):
        return root.get_status_display()

    @staticmethod
    def resolve_created(root, _info):
        return root.created_at

    @staticmethod
    def resolve_lines(root, info):
        def mine(lines):
            return [line for line in lines if line.vendor_order_id == root.pk]

        return then(get_loader(info, LinesByOrderIdLoader).load(root.order_id), mine)

    @staticmethod
    def resolve_fulfillments(root, info):
        return then(
            get_loader(info, FulfillmentsByOrderIdLoader).load(root.order_id),
            lambda rows: [row for row in rows if row.vendor_order_id == root.pk],
        )

    @staticmethod
    def resolve_subtotal(root, _info):
        return taxed(root.subtotal_net_amount, root.subtotal_gross_amount, root.currency)

    @staticmethod
    def resolve_shipping_price(root, _info):
        return taxed(root.shipping_price_net_amount, root.shipping_price_gross_amount, root.currency)

    @staticmethod
    def resolve_total(root, _info):
        return taxed(root.total_net_amount, root.total_gross_amount, root.currency)

    @staticmethod
    def resolve_is_click_and_collect(root, _info):
        return bool(root.collection_point_id or root.collection_point_name)

    @staticmethod
    def resolve_delivery_method_name(root, _info):
        return root.collection_point_name or root.shipping_method_name or ""

    @staticmethod
    def resolve_shipping_method_name(root, _info):
        return root.shipping_method_name or None

    @staticmethod
    def resolve_collection_point_name(root, _info):
        return root.collection_point_name or None

    @staticmethod
    def resolve_collection_point(root, info):
        if not root.collection_point_id:
            return None
        return get_loader(info, WarehouseByIdLoader).load(root.collection_point_id)

    @staticmethod
    def resolve_events(root, info):
        order = getattr(root, "_order", None) or get_loader(info, OrderByIdLoader).load(root.order_id)
        return then(order, lambda found: events_of(info, found, {root.pk}))
