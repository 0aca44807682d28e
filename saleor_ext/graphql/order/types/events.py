"""The order's history as a staff viewer sees it."""

from __future__ import annotations

import graphene

from saleor_ext.order import models

from ...core.context import get_loader
from ...core.futures import gather, then
from ...core.scalars import DateTime
from ...core.types import GlobalId
from ...product.dataloaders import VendorByIdLoader
from ...product.types.products import Warehouse
from ...vendor.types import Vendor
from ..dataloaders import (
    EventsByOrderIdLoader,
    FulfillmentLineByIdLoader,
    OrderLineByIdLoader,
    UserByIdLoader,
    VendorOrderByIdLoader,
)
from ..enums import (
    OrderEventsEmailsEnum,
    OrderEventsEnum,
)
from .fulfillment import FulfillmentLine
from .lines import OrderLine
from .viewer import require_order_staff, vendor_orders_of


class OrderEventOrderLineObject(graphene.ObjectType):
    quantity = graphene.Int()
    order_line = graphene.Field(OrderLine)
    item_name = graphene.String()


class OrderEvent(GlobalId):
    date = DateTime()
    type = graphene.Field(OrderEventsEnum)
    user = graphene.Field("saleor_ext.graphql.account.types.User")
    message = graphene.String()
    email = graphene.String()
    email_type = graphene.Field(OrderEventsEmailsEnum)
    amount = graphene.Float()
    payment_id = graphene.String()
    payment_gateway = graphene.String()
    quantity = graphene.Int()
    composed_id = graphene.String()
    order_number = graphene.String()
    invoice_number = graphene.String()
    oversold_items = graphene.List(graphene.NonNull(graphene.String))
    lines = graphene.List(graphene.NonNull(OrderEventOrderLineObject))
    fulfilled_items = graphene.List(graphene.NonNull(FulfillmentLine))
    warehouse = graphene.Field(Warehouse)
    transaction_reference = graphene.String()
    shipping_costs_included = graphene.Boolean()
    reference = graphene.String()
    vendor = graphene.Field(Vendor, description="The shop whose vendor order the entry is about (marketplace).")
    tracking_number = graphene.String(description="The parcel number the entry set (marketplace).")

    @staticmethod
    def resolve_user(root, info):
        return get_loader(info, UserByIdLoader).load(root.user_id) if root.user_id else None

    @staticmethod
    def resolve_message(root, _info):
        return root.parameters.get("message") or root.parameters.get("reason") or None

    @staticmethod
    def resolve_email(root, _info):
        return root.parameters.get("email")

    @staticmethod
    def resolve_email_type(root, _info):
        return root.parameters.get("email_type")

    @staticmethod
    def resolve_amount(root, _info):
        amount = root.parameters.get("amount")
        return float(amount) if amount is not None else None

    @staticmethod
    def resolve_quantity(root, _info):
        return root.parameters.get("quantity")

    @staticmethod
    def resolve_composed_id(root, _info):
        return root.parameters.get("composed_id")

    @staticmethod
    def resolve_lines(root, info):
        entries = root.parameters.get("lines")
        if not entries:
            return None
        loader = get_loader(info, OrderLineByIdLoader)
        return [
            OrderEventOrderLineObject(
                quantity=entry.get("quantity"), order_line=loader.load(entry["line_pk"]), item_name=entry.get("item")
            )
            for entry in entries
        ]

    @staticmethod
    def resolve_fulfilled_items(root, info):
        ids = root.parameters.get("fulfilled_items")
        if not ids:
            return None
        return then(
            gather(*[get_loader(info, FulfillmentLineByIdLoader).load(pk) for pk in ids]),
            lambda rows: [row for row in rows if row is not None],
        )

    @staticmethod
    def resolve_shipping_costs_included(root, _info):
        return root.parameters.get("shipping_costs_included")

    @staticmethod
    def resolve_vendor(root, info):
        if root.vendor_order_id is None:
            return None
        return then(
            get_loader(info, VendorOrderByIdLoader).load(root.vendor_order_id),
            lambda vo: get_loader(info, VendorByIdLoader).load(vo.vendor_id),
        )

    @staticmethod
    def resolve_tracking_number(root, _info):
        return root.parameters.get("tracking_number")


def events_of(info, order: models.Order, vendor_order_ids=None):
    """The order's events a staff viewer sees (optionally those of some vendor orders only)."""
    viewer = require_order_staff(info)

    def pick(values):
        vendor_orders, events = values
        own = {vo.pk for vo in vendor_orders if viewer.handles(vo.vendor_id)}
        chosen = [e for e in events if viewer.sees_all or e.vendor_order_id is None or e.vendor_order_id in own]
        if vendor_order_ids is not None:
            chosen = [e for e in chosen if e.vendor_order_id in vendor_order_ids]
        return chosen

    return then(gather(vendor_orders_of(info, order), get_loader(info, EventsByOrderIdLoader).load(order.pk)), pick)
