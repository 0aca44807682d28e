"""Who is asking about an order: the viewer's scope, computed once per request."""

from __future__ import annotations

from saleor_ext.order import models
from saleor_ext.order.selectors import OrderViewer
from saleor_ext.order.selectors import order_viewer as build_viewer

from ...core.context import get_loader
from ...core.errors import PermissionDenied
from ...core.futures import then
from ...core.permissions import get_user
from ..dataloaders import VendorOrdersByOrderIdLoader

MANAGE_ORDERS = ["MANAGE_ORDERS"]


def order_viewer(info) -> OrderViewer:
    """The request's viewer (its shops and rights), computed once per request."""
    cache = info.context.__dict__
    if "_order_viewer" not in cache:
        cache["_order_viewer"] = build_viewer(get_user(info))
    return cache["_order_viewer"]


def vendor_orders_of(info, order: models.Order):
    return get_loader(info, VendorOrdersByOrderIdLoader).load(order.pk)


def with_visible_part(info, order: models.Order, fn):
    """``fn(scope, visible vendor orders)`` once the order's vendor orders are loaded; ``scope`` is
    ``None`` when the viewer sees the whole order."""

    def apply(vendor_orders):
        scope = order_viewer(info).scope(order, [vo.vendor_id for vo in vendor_orders])
        visible = [vo for vo in vendor_orders if scope is None or vo.vendor_id in scope]
        return fn(scope, visible)

    return then(vendor_orders_of(info, order), apply)


def require_order_staff(info) -> OrderViewer:
    viewer = order_viewer(info)
    if not viewer.is_order_staff:
        raise PermissionDenied(permissions=MANAGE_ORDERS)
    return viewer
