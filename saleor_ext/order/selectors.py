"""Reads that scope orders to what a user may see.

A shopper sees their own orders whole. Federation staff with ``order.manage_orders`` see every
order whole. A member shop's staff see the orders holding their shop's lines, but only their part
of each: their lines, their vendor order, its fulfilments and events. A guest order (no user) is
read by whoever holds its UUID id, as Saleor's order confirmation page does.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Exists, OuterRef, QuerySet

from saleor_ext.vendor.selectors import is_federation_staff

from .models import Order, VendorOrder

MANAGE_ORDERS = "order.manage_orders"


def _active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def sees_all_orders(user) -> bool:
    """Federation staff who manage orders; a shop's staff never do, whatever their groups."""
    return _active(user) and is_federation_staff(user) and user.has_perm(MANAGE_ORDERS)


def handled_vendor_ids(user) -> frozenset[int] | None:
    """Shops whose vendor orders ``user`` handles: ``None`` means all of them."""
    if sees_all_orders(user):
        return None
    if not _active(user):
        return frozenset()
    return frozenset(user.vendor_memberships.values_list("vendor_id", flat=True))


@dataclass(frozen=True)
class OrderViewer:
    """Who reads orders, computed once per request."""

    user: object | None
    sees_all: bool
    vendor_ids: frozenset[int]

    @property
    def is_order_staff(self) -> bool:
        return self.sees_all or bool(self.vendor_ids)

    def owns(self, order: Order) -> bool:
        return self.user is not None and order.user_id is not None and order.user_id == self.user.pk

    def can_view(self, order: Order, order_vendor_ids: Iterable[int]) -> bool:
        if self.sees_all or self.owns(order) or order.user_id is None:
            return True
        return bool(self.vendor_ids & set(order_vendor_ids))

    def scope(self, order: Order, order_vendor_ids: Iterable[int]) -> frozenset[int] | None:
        """The shops whose part of ``order`` the viewer sees, or ``None`` for the whole order."""
        if self.sees_all or self.owns(order):
            return None
        mine = self.vendor_ids & set(order_vendor_ids)
        return frozenset(mine) if mine else None

    def handles(self, vendor_id: int) -> bool:
        """Whether the viewer may act on that shop's vendor orders."""
        return self.sees_all or vendor_id in self.vendor_ids


def order_viewer(user) -> OrderViewer:
    if not _active(user):
        return OrderViewer(user=None, sees_all=False, vendor_ids=frozenset())
    vendor_ids = handled_vendor_ids(user)
    return OrderViewer(user=user, sees_all=vendor_ids is None, vendor_ids=vendor_ids or frozenset())


def _with_vendor_lines(vendor_ids: Iterable[int]) -> Exists:
    return Exists(VendorOrder.objects.filter(order_id=OuterRef("pk"), vendor_id__in=list(vendor_ids)))


def orders_handled_by(user, *, viewer: OrderViewer | None = None) -> QuerySet[Order]:
    """The back-office list: every order for order managers, a shop's orders for its staff."""
    viewer = viewer or order_viewer(user)
    if viewer.sees_all:
        return Order.objects.all()
    if not viewer.vendor_ids:
        return Order.objects.none()
    return Order.objects.filter(_with_vendor_lines(viewer.vendor_ids))


def user_orders(user) -> QuerySet[Order]:
    """A shopper's own orders (``me { orders }``)."""
    if not _active(user):
        return Order.objects.none()
    return Order.objects.filter(user_id=user.pk)


@dataclass(frozen=True)
class VatTotal:
    rate: Decimal  # fraction, e.g. 0.21
    net: Decimal
    tax: Decimal
    gross: Decimal


def vat_totals(vendor_orders, lines) -> list[VatTotal]:
    """Net, VAT and gross per rate, lowest rate first: the lines at their own rate (as stored when
    ordered), each shop's shipping at its rate."""
    sums: dict[Decimal, list[Decimal]] = {}

    def add(rate: Decimal, net: Decimal, gross: Decimal) -> None:
        totals = sums.setdefault(Decimal(rate).normalize(), [Decimal(0), Decimal(0)])
        totals[0] += net
        totals[1] += gross

    for line in lines:
        add(line.tax_rate, line.total_price_net_amount, line.total_price_gross_amount)
    for vendor_order in vendor_orders:
        if vendor_order.shipping_price_gross_amount:
            add(
                vendor_order.shipping_tax_rate,
                vendor_order.shipping_price_net_amount,
                vendor_order.shipping_price_gross_amount,
            )
    return [VatTotal(rate, net, gross - net, gross) for rate, (net, gross) in sorted(sums.items())]
