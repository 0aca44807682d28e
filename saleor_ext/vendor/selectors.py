"""Reads that scope data to what a user may see."""

from __future__ import annotations


def is_federation_staff(user) -> bool:
    """Federation staff see every member shop; vendor staff only their own."""
    return bool(user and user.is_active and (user.is_superuser or user.has_perm("vendor.manage_vendors")))


def vendor_ids_for_user(user) -> list[int] | None:
    """Ids of the vendors a user works for; ``None`` means every vendor."""
    if is_federation_staff(user):
        return None
    if not user or not user.is_authenticated:
        return []
    return list(user.vendor_memberships.values_list("vendor_id", flat=True))

