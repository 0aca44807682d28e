"""The payment's row lock: a transaction item, taken after its checkout's or order's.

Level 8 of the project's lock order (``saleor_ext.core.locks``). A gateway's webhook changes a
transaction and then the payment statuses of its checkout or order (an UPDATE of that row), while
checkoutComplete holds the checkout and then moves its transactions to the order: locking the
item first would deadlock with it. So the item's checkout (or order) is locked first, FOR NO KEY
UPDATE, then the item.

Payment sits below checkout and order: their rows are reached through the item's foreign keys,
without importing those apps.
"""

from __future__ import annotations

from django.db.models import QuerySet

from .models import TransactionItem


def _lock_checkout_of(checkout_id) -> bool:
    """Lock the checkout row; False when it is gone (completed meanwhile: the item moved to its order)."""
    checkouts = TransactionItem._meta.get_field("checkout").related_model.objects
    return checkouts.select_for_update(no_key=True).filter(pk=checkout_id).values_list("pk").first() is not None


def _lock_order_of(item_id) -> None:
    """Lock the order the item belongs to now, if any (read again: it may have just moved there)."""
    orders = TransactionItem._meta.get_field("order").related_model.objects
    owner = TransactionItem.objects.filter(pk=item_id).values("order_id")
    orders.select_for_update(no_key=True).filter(pk=owner).values_list("pk").first()


def lock_transaction_item(items: QuerySet[TransactionItem]) -> TransactionItem | None:
    """The first of ``items``, locked after its checkout or order; None when there is none.

    An item only ever moves from its checkout to the order made of it, by checkoutComplete under
    the checkout's lock: once that lock is ours the item stays; when the checkout is gone, the
    order is read again and locked instead.
    """
    found = items.values_list("pk", "checkout_id").first()
    if found is None:
        return None
    item_id, checkout_id = found
    if checkout_id is None or not _lock_checkout_of(checkout_id):
        _lock_order_of(item_id)
    return TransactionItem.objects.select_for_update(of=("self",)).filter(pk=item_id).first()
