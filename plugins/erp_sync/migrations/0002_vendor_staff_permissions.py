"""A member's staff set up and follow their shop's sync in the back-office (the admin scopes every
row to their shop): their connection and category mapping, and its runs, pushes and conflicts read-only."""

from django.db import migrations

GROUP = "Vendor staff"
PERMISSIONS = {
    "erpconnection": ("view", "add", "change"),
    "categorymapping": ("view", "add", "change", "delete"),
    "syncrun": ("view",),
    "syncrunissue": ("view",),
    "itemlink": ("view",),
    "salepushjob": ("view",),
    "erpconflict": ("view",),
}


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after the whole migrate run; this migration needs them now.
    app_config = apps.get_app_config("erp_sync")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    for model, actions in PERMISSIONS.items():
        group.permissions.add(*Permission.objects.filter(
            content_type__app_label="erp_sync", content_type__model=model,
            codename__in=[f"{action}_{model}" for action in actions],
        ))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=GROUP).first()
    if group is not None:
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="erp_sync"))


class Migration(migrations.Migration):
    dependencies = [
        ("erp_sync", "0001_initial"),
        ("vendor", "0002_vendor_staff_group"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
