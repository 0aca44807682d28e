"""Fulfilments: what a shop handed over, line by line."""

from __future__ import annotations

import graphene

from ...core.context import get_loader
from ...core.futures import then
from ...core.scalars import DateTime
from ...core.types import GlobalId, Money, PrivateMetadataFields
from ...product.dataloaders import VendorByIdLoader
from ...product.types.products import Warehouse
from ...vendor.types import Vendor
from ..dataloaders import (
    FulfillmentLinesByFulfillmentIdLoader,
    OrderLineByIdLoader,
    StockByIdLoader,
    VendorOrderByIdLoader,
)
from ..enums import FulfillmentStatus
from .lines import OrderLine


class FulfillmentLine(GlobalId):
    quantity = graphene.Int(required=True)
    order_line = graphene.Field(OrderLine)

    @staticmethod
    def resolve_order_line(root, info):
        return get_loader(info, OrderLineByIdLoader).load(root.order_line_id)


class Fulfillment(GlobalId, PrivateMetadataFields):
    fulfillment_order = graphene.Int(required=True)
    status = graphene.Field(FulfillmentStatus, required=True)
    tracking_number = graphene.String(required=True)
    created = DateTime(required=True)
    lines = graphene.List(graphene.NonNull(FulfillmentLine))
    status_display = graphene.String()
    warehouse = graphene.Field(Warehouse)
    shipping_refunded_amount = graphene.Field(Money)
    total_refunded_amount = graphene.Field(Money)
    vendor = graphene.Field(Vendor, description="The member shop that handed these items over (marketplace).")

    @staticmethod
    def resolve_created(root, _info):
        return root.created_at

    @staticmethod
    def resolve_status_display(root, _info):
        return root.get_status_display()

    @staticmethod
    def resolve_lines(root, info):
        return get_loader(info, FulfillmentLinesByFulfillmentIdLoader).load(root.pk)

    @staticmethod
    def resolve_warehouse(root, info):
        def first_stock(lines):
            stock_id = next((line.stock_id for line in lines if line.stock_id), None)
            if stock_id is None:
                return None
            return then(get_loader(info, StockByIdLoader).load(stock_id), lambda s: s.warehouse if s else None)

        return then(get_loader(info, FulfillmentLinesByFulfillmentIdLoader).load(root.pk), first_stock)

    @staticmethod
    def resolve_vendor(root, info):
        return then(
            get_loader(info, VendorOrderByIdLoader).load(root.vendor_order_id),
            lambda vo: get_loader(info, VendorByIdLoader).load(vo.vendor_id),
        )
