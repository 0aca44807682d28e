"""Writes on member shops. Admin, API, sync and demo data all go through these."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from saleor_ext.plugins.manager import PluginsManager, get_plugins_manager

from .models import Vendor, VendorStaff


@transaction.atomic
def vendor_create(*, name: str, slug: str, manager: PluginsManager | None = None, **fields: Any) -> Vendor:
    vendor = Vendor.objects.create(name=name, slug=slug, **fields)
    (manager or get_plugins_manager()).vendor_created(vendor)
    return vendor


@transaction.atomic
def vendor_update(*, vendor: Vendor, manager: PluginsManager | None = None, **fields: Any) -> Vendor:
    for key, value in fields.items():
        setattr(vendor, key, value)
    vendor.save()
    (manager or get_plugins_manager()).vendor_updated(vendor)
    return vendor


def vendor_staff_add(*, vendor: Vendor, user, role: str = "staff") -> VendorStaff:
    membership, _ = VendorStaff.objects.update_or_create(vendor=vendor, user=user, defaults={"role": role})
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    return membership
