"""Vendor staff read their part of orders, the stock orders hold, and their payouts (read-only)."""

from django.db import migrations

GROUP = "Vendor staff"
VIEWS = {
    "order": ("vendororder", "orderline", "fulfillment", "fulfillmentline"),
    "payment": ("payout",),
    "warehouse": ("allocation", "reservation"),
}


def _ensure_permissions(apps, label: str) -> None:
    from django.contrib.auth.management import create_permissions

    # Permissions are created after a whole migrate run; this one needs them now.
    app_config = apps.get_app_config(label)
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None


def _permissions(apps):
    from django.db.models import Q

    Permission = apps.get_model("auth", "Permission")
    wanted = Q(pk__in=[])
    for label, models in VIEWS.items():
        wanted |= Q(content_type__app_label=label, codename__in=[f"view_{model}" for model in models])
    return Permission.objects.filter(wanted)


def grant(apps, schema_editor):
    for label in VIEWS:
        _ensure_permissions(apps, label)
    Group = apps.get_model("auth", "Group")
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(*_permissions(apps))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    group = Group.objects.filter(name=GROUP).first()
    if group is not None:
        group.permissions.remove(*_permissions(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("vendor", "0002_vendor_staff_group"),
        ("order", "0002_vendor_order_commission_percent"),
        ("warehouse", "0002_allocation_reservation"),
        ("payment", "0001_initial"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
