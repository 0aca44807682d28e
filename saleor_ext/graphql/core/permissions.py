"""Permission checks for resolvers (Saleor's PermissionEnum names map to Django codenames)."""

from __future__ import annotations

from collections.abc import Iterable

from .errors import PermissionDenied

# GraphQL enum value -> Django permission "<app_label>.<codename>".
PERMISSIONS = {
    "MANAGE_USERS": "account.manage_users",
    "MANAGE_STAFF": "account.manage_staff",
    "IMPERSONATE_USER": "account.impersonate_user",
    "MANAGE_CHANNELS": "channel.manage_channels",
    "MANAGE_PRODUCTS": "product.manage_products",
    "MANAGE_PRODUCT_TYPES_AND_ATTRIBUTES": "attribute.manage_product_types_and_attributes",
    "MANAGE_SETTINGS": "site.manage_settings",
    "MANAGE_TRANSLATIONS": "site.manage_translations",
    "MANAGE_PLUGINS": "plugins.manage_plugins",
    "MANAGE_VENDORS": "vendor.manage_vendors",
    "MANAGE_ORDERS": "order.manage_orders",
    "MANAGE_CHECKOUTS": "checkout.manage_checkouts",
}


def get_user(info):
    user = getattr(info.context, "user", None)
    return user if user is not None and user.is_authenticated and user.is_active else None


def require_login(info):
    """The logged-in user; anyone else gets PermissionDenied."""
    user = get_user(info)
    if user is None:
        raise PermissionDenied("To access this path, you need to be an authenticated user.")
    return user


def has_one_of_permissions(user, permissions: Iterable[str]) -> bool:
    if user is None:
        return False
    return any(user.has_perm(PERMISSIONS[p]) for p in permissions)


def is_staff_user(user) -> bool:
    return bool(user and user.is_staff)


def require_staff(info) -> None:
    if not is_staff_user(get_user(info)):
        raise PermissionDenied("To access this path, you need to be an authenticated staff user.")


def require_permissions(info, permissions: Iterable[str]) -> None:
    if not has_one_of_permissions(get_user(info), permissions):
        raise PermissionDenied(permissions=permissions)
