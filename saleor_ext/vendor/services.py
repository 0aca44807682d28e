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


# The back-office group of vendor staff; migration vendor/0002 creates it with these permissions.
VENDOR_STAFF_GROUP = "Vendor staff"
VENDOR_STAFF_PERMISSIONS = {
    # (app label, model): actions
    **{
        ("product", model): ("view", "add", "change", "delete")
        for model in (
            "product",
            "productvariant",
            "productmedia",
            "productchannellisting",
            "productvariantchannellisting",
            "producttranslation",
            "productvarianttranslation",
            "variantmedia",
        )
    },
    ("warehouse", "warehouse"): ("view", "add", "change", "delete"),
    ("warehouse", "stock"): ("view", "add", "change", "delete"),
    ("warehouse", "channelwarehouse"): ("view", "add", "change", "delete"),
    ("grading", "variantgrade"): ("view", "add", "change", "delete"),
    ("shipping", "shippingzone"): ("view", "add", "change", "delete"),
    ("shipping", "shippingmethod"): ("view", "add", "change", "delete"),
    ("shipping", "shippingmethodchannellisting"): ("view", "add", "change", "delete"),
    # Their part of orders and what they are paid, read-only (changes go through the order API).
    ("order", "vendororder"): ("view",),
    ("order", "orderline"): ("view",),
    ("order", "fulfillment"): ("view",),
    ("order", "fulfillmentline"): ("view",),
    ("payment", "payout"): ("view",),
    ("warehouse", "allocation"): ("view",),
    ("warehouse", "reservation"): ("view",),
    ("attribute", "assignedproductattributevalue"): ("view", "add", "change", "delete"),
    ("attribute", "assignedvariantattribute"): ("view", "add", "change", "delete"),
    ("attribute", "assignedvariantattributevalue"): ("view", "add", "change", "delete"),
    # Their own shop's page (the admin keeps commission, status and payout account read-only).
    ("vendor", "vendor"): ("view", "change"),
    # Shared reference data they pick from, read-only.
    ("product", "category"): ("view",),
    ("product", "producttype"): ("view",),
    ("attribute", "attribute"): ("view",),
    ("attribute", "attributevalue"): ("view",),
    ("grading", "gradingscheme"): ("view",),
    ("grading", "grade"): ("view",),
}
# Plugins add theirs when their app is ready (e.g. plugins/erp_sync/apps.py).


def vendor_staff_group():
    """The "Vendor staff" group; recreated with its permissions if someone deleted it."""
    from django.contrib.auth.models import Group, Permission
    from django.db.models import Q

    group, created = Group.objects.get_or_create(name=VENDOR_STAFF_GROUP)
    if created:
        wanted = Q(pk__in=[])
        for (app_label, model), actions in VENDOR_STAFF_PERMISSIONS.items():
            codenames = [f"{action}_{model}" for action in actions]
            wanted |= Q(content_type__app_label=app_label, content_type__model=model, codename__in=codenames)
        group.permissions.set(Permission.objects.filter(wanted))
    return group


def vendor_staff_add(*, vendor: Vendor, user, role: str = "staff") -> VendorStaff:
    """Make ``user`` a member of ``vendor``'s team, with back-office access scoped to that shop."""
    membership, _ = VendorStaff.objects.update_or_create(vendor=vendor, user=user, defaults={"role": role})
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    user.groups.add(vendor_staff_group())
    return membership
