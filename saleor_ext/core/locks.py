"""The project's lock order: the one place that says which row locks come before which.

Two transactions deadlock when each holds a lock the other waits for. They cannot when every
transaction takes its locks in one global order, and several rows of one table by primary key.
So every row lock is taken by a named function of the domain's ``lock_objects`` module (none
elsewhere: tests/test_lock_order.py checks it), and a transaction that needs several takes them
in this order:

1. checkout                ``checkout.lock_objects`` (a cart change, or checkoutComplete)
2. ERP conflict            ``plugins.erp_sync.lock_objects.lock_conflict`` (before the order it cancels)
3. order                   ``order.lock_objects.lock_order``
4. vendor orders, by id    ``order.lock_objects.lock_vendor_orders`` / ``lock_vendor_order_with_order``
5. order lines, by id      ``order.lock_objects.lock_order_lines``
6. fulfilment              ``order.lock_objects.lock_fulfillment``
7. stock, by id            ``warehouse.lock_objects``: ``lock_stocks_of_variants`` (checkout),
                           ``lock_stocks`` (the ERP sync's quantities), ``lock_allocations`` (an
                           order's allocations, each with its stock row, by stock id)
8. transaction items       ``payment.lock_objects.lock_transaction_item`` (after their checkout
                           or order, which it locks first)
9. ERP connection          written by the sync after its stock rows; ``plugins.erp_sync.lock_objects
                           .lock_push_job`` locks it with a push job, and nothing after them

Reservations are written under their stock rows' locks (expired ones are deleted with no other
lock held). The user row (``account.lock_objects.lock_user``, adding an address) is never held
with any of the above.

A transaction may skip levels, never go back up: checkoutComplete takes 1, 7, then 8 as it moves
the cart's transactions to the order (the order rows it writes are new); reserving a cart's
items before a payment 7; a fulfilment or a cancellation 3, 4, 5 then 7; a payout 3 then 4; the
ERP sync 7 then 9; a payment webhook 1 or 3, then 8, then updates the checkout or order it holds.

Lock modes. Orders, vendor orders, lines, fulfilments, the user and a checkout being changed are
locked FOR NO KEY UPDATE (what an UPDATE of them takes anyway): changes of one order wait for
each other, but inserting a row that only points to them (an event, a fulfilment, an ERP conflict
flagged while the sync holds stock rows) does not wait. Stock rows, and a checkout being completed
(it is about to be deleted), are locked FOR UPDATE.
"""
