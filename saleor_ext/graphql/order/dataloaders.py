"""Batch loaders of the order API: one query per relation for a whole page of orders."""

from __future__ import annotations

from saleor_ext.account.models import Address, User
from saleor_ext.channel.models import Channel
from saleor_ext.order.models import Fulfillment, FulfillmentLine, Order, OrderEvent, OrderLine, VendorOrder
from saleor_ext.payment.models import TransactionItem
from saleor_ext.product import selectors as product_selectors
from saleor_ext.warehouse.models import Allocation, Stock, Warehouse

from ..core.dataloaders import ByIdLoader, ListByForeignKeyLoader


class OrderByIdLoader(ByIdLoader):
    model = Order
    related = ("channel",)


class VendorOrderByIdLoader(ByIdLoader):
    model = VendorOrder


class OrderLineByIdLoader(ByIdLoader):
    model = OrderLine


class FulfillmentLineByIdLoader(ByIdLoader):
    model = FulfillmentLine


class AddressByIdLoader(ByIdLoader):
    model = Address


class UserByIdLoader(ByIdLoader):
    model = User


class ChannelByIdLoader(ByIdLoader):
    model = Channel

    def batch_load(self, keys):
        # Channels are a handful of rows, read from the process's reference cache.
        known = {channel.pk: channel for channel in product_selectors.channels_by_slug().values()}
        if all(key in known for key in keys):
            return [known[key] for key in keys]
        return super().batch_load(keys)


class WarehouseByIdLoader(ByIdLoader):
    model = Warehouse
    related = ("address",)


class StockByIdLoader(ByIdLoader):
    model = Stock
    related = ("warehouse",)


class VendorOrdersByOrderIdLoader(ListByForeignKeyLoader):
    model = VendorOrder
    key_field = "order_id"
    ordering = ("created_at", "pk")


class LinesByOrderIdLoader(ListByForeignKeyLoader):
    model = OrderLine
    key_field = "order_id"
    ordering = ("created_at", "pk")


class FulfillmentsByOrderIdLoader(ListByForeignKeyLoader):
    model = Fulfillment
    key_field = "order_id"
    ordering = ("fulfillment_order", "pk")


class FulfillmentLinesByFulfillmentIdLoader(ListByForeignKeyLoader):
    model = FulfillmentLine
    key_field = "fulfillment_id"
    ordering = ("pk",)


class EventsByOrderIdLoader(ListByForeignKeyLoader):
    model = OrderEvent
    key_field = "order_id"
    ordering = ("date", "pk")


class AllocationsByOrderLineIdLoader(ListByForeignKeyLoader):
    model = Allocation
    key_field = "order_line_id"
    related = ("stock__warehouse",)
    ordering = ("pk",)


class TransactionsByOrderIdLoader(ListByForeignKeyLoader):
    model = TransactionItem
    key_field = "order_id"
    ordering = ("pk",)
