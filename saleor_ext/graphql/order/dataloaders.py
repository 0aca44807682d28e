"""Batch loaders of the order API: one query per relation for a whole page of orders."""

from __future__ import annotations

from collections import defaultdict

from saleor_ext.account.models import Address, User
from saleor_ext.channel.models import Channel
from saleor_ext.order.models import Fulfillment, FulfillmentLine, Order, OrderEvent, OrderLine, VendorOrder
from saleor_ext.payment.models import TransactionItem
from saleor_ext.warehouse.models import Allocation, Stock, Warehouse

from ..core.context import BaseLoader


class _ByIdLoader(BaseLoader):
    model = None
    related: tuple[str, ...] = ()

    def batch_load(self, keys):
        found = self.model.objects.select_related(*self.related).in_bulk(set(keys))
        return [found.get(key) for key in keys]


class OrderByIdLoader(_ByIdLoader):
    model = Order
    related = ("channel",)


class VendorOrderByIdLoader(_ByIdLoader):
    model = VendorOrder


class OrderLineByIdLoader(_ByIdLoader):
    model = OrderLine


class FulfillmentLineByIdLoader(_ByIdLoader):
    model = FulfillmentLine


class AddressByIdLoader(_ByIdLoader):
    model = Address


class UserByIdLoader(_ByIdLoader):
    model = User


class ChannelByIdLoader(_ByIdLoader):
    model = Channel

    def batch_load(self, keys):
        # Channels are a handful of rows, read from the process's reference cache.
        from saleor_ext.product import selectors

        known = {channel.pk: channel for channel in selectors.channels_by_slug().values()}
        if all(key in known for key in keys):
            return [known[key] for key in keys]
        return super().batch_load(keys)


class WarehouseByIdLoader(_ByIdLoader):
    model = Warehouse
    related = ("address",)


class StockByIdLoader(_ByIdLoader):
    model = Stock
    related = ("warehouse",)


class _ListByOwnerLoader(BaseLoader):
    """Key: the owner's id; value: its rows in the model's order."""

    model = None
    owner_field = ""
    related: tuple[str, ...] = ()
    ordering: tuple[str, ...] = ()

    def batch_load(self, keys):
        found = defaultdict(list)
        rows = self.model.objects.select_related(*self.related).filter(**{f"{self.owner_field}__in": set(keys)})
        for row in rows.order_by(*self.ordering) if self.ordering else rows:
            found[getattr(row, self.owner_field)].append(row)
        return [found.get(key, []) for key in keys]


class VendorOrdersByOrderIdLoader(_ListByOwnerLoader):
    model = VendorOrder
    owner_field = "order_id"
    ordering = ("created_at", "pk")


class LinesByOrderIdLoader(_ListByOwnerLoader):
    model = OrderLine
    owner_field = "order_id"
    ordering = ("created_at", "pk")


class FulfillmentsByOrderIdLoader(_ListByOwnerLoader):
    model = Fulfillment
    owner_field = "order_id"
    ordering = ("fulfillment_order", "pk")


class FulfillmentLinesByFulfillmentIdLoader(_ListByOwnerLoader):
    model = FulfillmentLine
    owner_field = "fulfillment_id"
    ordering = ("pk",)


class EventsByOrderIdLoader(_ListByOwnerLoader):
    model = OrderEvent
    owner_field = "order_id"
    ordering = ("date", "pk")


class AllocationsByOrderLineIdLoader(_ListByOwnerLoader):
    model = Allocation
    owner_field = "order_line_id"
    related = ("stock__warehouse",)
    ordering = ("pk",)


class TransactionsByOrderIdLoader(_ListByOwnerLoader):
    model = TransactionItem
    owner_field = "order_id"
    ordering = ("pk",)
