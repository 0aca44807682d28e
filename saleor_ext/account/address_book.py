"""A user's address book: add, change, remove addresses and choose the default ones.

A user only ever reaches their own addresses: an address of someone else is "not found", the same
answer as an address that does not exist. Every address is validated by ``address.clean_address``.
"""

from __future__ import annotations

from django.db import transaction

from saleor_ext.core.errors import validation_error as _error

from .address import TEXT_FIELDS, address_data, address_from_input, clean_address, input_to_fields
from .error_codes import AccountErrorCode
from .lock_objects import lock_user
from .models import Address, User

BILLING, SHIPPING = "billing", "shipping"
ADDRESS_TYPES = (BILLING, SHIPPING)
# A cap that no shopper reaches and that keeps a script from filling the table.
MAX_USER_ADDRESSES = 100


def get_user_address(user: User, address_pk: int | str) -> Address:
    """The user's own address with this key; NOT_FOUND on field ``id`` otherwise."""
    address = user.addresses.filter(pk=address_pk).first() if str(address_pk).isdigit() else None
    if address is None:
        raise _error("id", "Address not found.", AccountErrorCode.NOT_FOUND)
    return address


def _set_default(user: User, address: Address, address_type: str) -> None:
    if address_type not in ADDRESS_TYPES:
        raise _error("type", f"Unknown address type: {address_type}.", AccountErrorCode.INVALID)
    setattr(user, f"default_{address_type}_address", address)


def _clean(data: dict, skip_validation: bool) -> dict:
    if skip_validation:
        return clean_address(data, check_required=False, check_fields_format=False)
    return clean_address(data)


def create_address(
    *, user: User, data: dict, address_type: str | None = None, skip_validation: bool = False
) -> Address:
    """Validate ``data`` and add it to the book; it becomes the default of ``address_type``, and of any
    type that has no default yet (a first address is both the shipping and the billing one).

    ``skip_validation`` stores the address unchecked: the API allows it to staff managing users only.
    """
    cleaned = _clean(data, skip_validation)
    with transaction.atomic():
        # The user row is locked so that two concurrent additions cannot both pass the cap.
        lock_user(user.pk)
        if user.addresses.count() >= MAX_USER_ADDRESSES:
            raise _error(None, f"An account keeps at most {MAX_USER_ADDRESSES} addresses.", AccountErrorCode.INVALID)
        address = address_from_input(cleaned)
        address.save()
        user.addresses.add(address)
        if address_type:
            _set_default(user, address, address_type)
        for kind in ADDRESS_TYPES:
            if getattr(user, f"default_{kind}_address_id") is None:
                setattr(user, f"default_{kind}_address", address)
        user.save(update_fields=["default_billing_address", "default_shipping_address", "updated_at"])
    return address


def update_address(*, user: User, address: Address, data: dict, skip_validation: bool = False) -> Address:
    """Change the given fields of one of the user's addresses; the whole result is validated again."""
    given = input_to_fields(data)
    merged = {**address_data(address), **given}
    if "metadata" in given:
        merged["metadata"] = {**(address.metadata or {}), **given["metadata"]}
    cleaned = _clean(merged, skip_validation)
    updated = address_from_input(cleaned)
    for field in (*TEXT_FIELDS, "metadata", "validation_skipped"):
        setattr(address, field, getattr(updated, field))
    address.save()
    return address


def delete_address(*, user: User, address: Address) -> Address:
    """Remove one of the user's addresses (defaults that pointed at it are cleared); returns it with its id."""
    pk = address.pk
    with transaction.atomic():
        user.addresses.remove(address)
        address.delete()
        for kind in ADDRESS_TYPES:
            if getattr(user, f"default_{kind}_address_id") == pk:
                setattr(user, f"default_{kind}_address", None)
    # Kept so that the API can answer with the id of what was deleted.
    address.pk = pk
    return address


def set_default_address(*, user: User, address: Address, address_type: str) -> User:
    """Make one of the user's addresses their default shipping or billing address."""
    _set_default(user, address, address_type)
    user.save(update_fields=[f"default_{address_type}_address", "updated_at"])
    return user
