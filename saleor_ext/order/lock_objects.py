"""The order's row locks: the order, then its vendor orders, lines and fulfilments, each by id.

Levels 3 to 6 of the project's lock order (``saleor_ext.core.locks``): after the checkout,
before the stock rows (``warehouse.lock_objects``) and transaction items. Rows are locked FOR NO
KEY UPDATE: two changes of one order wait for each other, while a row that only points to them
(an event, a fulfilment, an ERP conflict flagged by the sync under its stock locks, a payout)
can still be inserted. The locks hold until the caller's transaction ends.
"""

from __future__ import annotations

from collections.abc import Iterable

from .models import Fulfillment, Order, OrderLine, VendorOrder


def lock_order(order_id) -> Order | None:
    """The order, locked, with its channel."""
    locked = Order.objects.select_for_update(of=("self",), no_key=True).select_related("channel")
    return locked.filter(pk=order_id).first()


def lock_vendor_orders(order: Order, ids: Iterable) -> dict:
    """{id: vendor order} of ``order``'s vendor orders among ``ids``, locked by id (the order
    first: the caller holds ``lock_order``), with their vendor."""
    locked = VendorOrder.objects.select_for_update(of=("self",), no_key=True).select_related("vendor")
    found = {vo.pk: vo for vo in locked.filter(order_id=order.pk, pk__in=list(ids)).order_by("pk")}
    for vendor_order in found.values():
        vendor_order.order = order
    return found


def lock_vendor_order_with_order(vendor_order_id) -> VendorOrder:
    """One vendor order, locked after its order (in the lock order, as the order services do),
    with both its order and its vendor loaded. Raises ``VendorOrder.DoesNotExist``."""
    order = lock_order(Order.objects.filter(vendor_orders=vendor_order_id).values("pk")[:1])
    found = lock_vendor_orders(order, [vendor_order_id]) if order is not None else {}
    if not found:
        raise VendorOrder.DoesNotExist(f"No vendor order {vendor_order_id}.")
    return next(iter(found.values()))


def lock_order_lines(vendor_order_ids: Iterable) -> list[OrderLine]:
    """The lines of these vendor orders, locked by id, with their variant."""
    lines = (
        OrderLine.objects.select_for_update(of=("self",), no_key=True)
        .select_related("variant")
        .filter(vendor_order_id__in=list(vendor_order_ids))
        .order_by("pk")
    )
    return list(lines)


def lock_fulfillment(fulfillment_id) -> Fulfillment:
    """One fulfilment, locked (after its order and vendor order). Raises ``Fulfillment.DoesNotExist``."""
    return Fulfillment.objects.select_for_update(of=("self",), no_key=True).get(pk=fulfillment_id)
