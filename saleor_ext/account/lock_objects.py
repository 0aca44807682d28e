"""The account's row lock: a user row, held while their address book changes.

Never held with the locks of ``saleor_ext.core.locks``'s order (a checkout, an order, stock):
adding an address takes it alone. FOR NO KEY UPDATE, as the user row's own UPDATE would: a
checkout completed meanwhile still inserts its order pointing to the user without waiting.
"""

from __future__ import annotations

from .models import User


def lock_user(user_id) -> User | None:
    """The user, locked until the transaction ends (two additions to one address book queue up)."""
    return User.objects.select_for_update(no_key=True).filter(pk=user_id).first()
