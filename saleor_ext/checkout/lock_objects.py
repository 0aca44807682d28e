"""The checkout's row lock, first in the project's lock order (``saleor_ext.core.locks``).

Two functions take it, each in one statement that also does what its caller needs next. They
lock the SAME row and wait for each other: a cart change and a completion of one checkout never
overlap.

- ``lock_checkout_for_change``: every cart change (lines, e-mail, customer, addresses,
  deliveries). An ``UPDATE`` of ``last_change`` takes the lock (FOR NO KEY UPDATE) and returns the
  row; with ``for_lines`` it also marks the delivery offers stale and returns the lines.
- ``lock_checkout_for_completion``: checkoutComplete only. ``SELECT … FOR UPDATE OF c`` with the
  channel, addresses and customer joined. The stronger mode (FOR UPDATE) because the row is about
  to be deleted: new rows pointing to it (a line, a payment) wait until the order is made.

Both must run inside ``transaction.atomic()``: the lock holds until the transaction ends.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone

from saleor_ext.account.models import Address
from saleor_ext.channel.models import Channel
from saleor_ext.core import sql

from .models import Checkout, CheckoutDelivery, CheckoutLine


def lock_checkout_for_change(token, *, for_lines: bool = False) -> Checkout | None:
    """The checkout row, locked by an UPDATE of its ``last_change`` (the change about to happen),
    or None when there is no such checkout.

    ``for_lines``: the caller is about to change the lines, so the same statement also marks the
    delivery offers stale (they depend on the cart's weight and value) and returns the current
    lines, kept for ``locked_lines`` (the checkout's lock covers its lines: every change of a
    line takes it first).
    """
    stale, returned_lines = "", ""
    params: list = []
    if for_lines:
        stale = (
            f"WITH stale AS (UPDATE {sql.table(CheckoutDelivery)} SET is_valid = false"
            " WHERE checkout_id = %s AND is_valid) "
        )
        params.append(token)
        returned_lines = (
            ", (SELECT COALESCE(json_agg(json_build_array(l.id, l.variant_id, l.quantity, l.created_at)"
            f" ORDER BY l.created_at, l.id), '[]') FROM {sql.table(CheckoutLine)} l WHERE l.checkout_id = c.token)"
        )
    rows = sql.fetch(
        f"{stale}UPDATE {sql.table(Checkout)} AS c SET last_change = %s WHERE c.token = %s"
        f" RETURNING {sql.columns(Checkout, 'c')}{returned_lines}",
        [*params, timezone.now(), token],
    )
    if not rows:
        return None
    checkout = sql.instance(Checkout, rows[0][: sql.width(Checkout)])
    if for_lines:
        _keep_lines(checkout, rows[0][-1])
    return checkout


def locked_lines(checkout: Checkout) -> list[CheckoutLine]:
    """The lines ``lock_checkout_for_change(for_lines=True)`` returned (a fresh cart has none)."""
    return list(getattr(checkout, "_locked_lines", ()))


def _keep_lines(checkout: Checkout, rows: list) -> None:
    """Keep the locked cart's lines, from rows of (id, variant_id, quantity, created_at)."""
    lines = []
    for line_id, variant_id, quantity, created_at in rows:
        line = CheckoutLine.from_db(
            connection.alias,
            ["id", "checkout_id", "variant_id", "quantity", "created_at"],
            [uuid.UUID(line_id), checkout.pk, variant_id, quantity, datetime.fromisoformat(created_at)],
        )
        CheckoutLine.checkout.field.set_cached_value(line, checkout)
        lines.append(line)
    checkout._locked_lines = lines


def lock_checkout_for_completion(token) -> Checkout | None:
    """The checkout, locked, with its channel, addresses and customer: one fixed statement.
    None when there is no such checkout (already completed, or never made)."""
    user_model = get_user_model()
    rows = sql.fetch(
        f"SELECT {sql.columns(Checkout, 'c')}, {sql.columns(Channel, 'ch')}, {sql.columns(Address, 'ba')},"
        f" {sql.columns(Address, 'sa')}, {sql.columns(user_model, 'u')}"
        f" FROM {sql.table(Checkout)} c JOIN {sql.table(Channel)} ch ON ch.id = c.channel_id"
        f" LEFT JOIN {sql.table(Address)} ba ON ba.id = c.billing_address_id"
        f" LEFT JOIN {sql.table(Address)} sa ON sa.id = c.shipping_address_id"
        f" LEFT JOIN {sql.table(user_model)} u ON u.id = c.user_id"
        " WHERE c.token = %s FOR UPDATE OF c",
        [token],
    )
    if not rows:
        return None
    values, offset = rows[0], 0
    parts = []
    for model in (Checkout, Channel, Address, Address, user_model):
        width = sql.width(model)
        parts.append(values[offset : offset + width])
        offset += width
    checkout = sql.instance(Checkout, parts[0])
    related = {
        Checkout.channel: (checkout.channel_id, Channel, parts[1]),
        Checkout.billing_address: (checkout.billing_address_id, Address, parts[2]),
        Checkout.shipping_address: (checkout.shipping_address_id, Address, parts[3]),
        Checkout.user: (checkout.user_id, user_model, parts[4]),
    }
    for descriptor, (pk, model, part) in related.items():
        descriptor.field.set_cached_value(checkout, sql.instance(model, part) if pk is not None else None)
    return checkout
