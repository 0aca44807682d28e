"""What the order app does when other apps report a fact (connected in ``OrderConfig.ready``)."""

from __future__ import annotations

from saleor_ext.account.models import User

from .models import Order


def attach_guest_orders(user: User) -> int:
    """Orders placed as a guest with this e-mail become the user's, once the mailbox is proven theirs
    (a confirmation or reset link was opened): their history shows what they bought before."""
    return Order.objects.filter(user__isnull=True, user_email__iexact=user.email).update(user=user)


def on_email_proven(sender, *, user: User, **kwargs) -> None:
    attach_guest_orders(user)
