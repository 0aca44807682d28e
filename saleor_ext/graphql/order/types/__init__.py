"""Order, OrderLine, Fulfillment, OrderEvent and the marketplace's VendorOrder.

Roots are model instances. What a viewer sees of an order is decided once per order from its
vendor orders (``viewer.py``): the shopper, the guest holding the id and federation staff
see all of it; a shop's staff see their own lines, vendor order, fulfilments, events and amounts.
Payment fields describe the shopper's one payment for the whole order. Every relation goes
through the batch loaders of ``../dataloaders.py``, so a page of orders costs a fixed number of queries.
"""

from .errors import OrderError
from .events import OrderEvent, OrderEventOrderLineObject
from .fulfillment import Fulfillment, FulfillmentLine
from .lines import Allocation, OrderLine
from .money import OrderVatLine
from .order import Order, OrderDiscount, Voucher
from .vendor_order import VendorOrder
from .viewer import MANAGE_ORDERS, order_viewer

__all__ = [
    "MANAGE_ORDERS",
    "Allocation",
    "Fulfillment",
    "FulfillmentLine",
    "Order",
    "OrderDiscount",
    "OrderError",
    "OrderEvent",
    "OrderEventOrderLineObject",
    "OrderLine",
    "OrderVatLine",
    "VendorOrder",
    "Voucher",
    "order_viewer",
]
