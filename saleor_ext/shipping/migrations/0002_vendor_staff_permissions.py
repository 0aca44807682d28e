"""Vendor staff manage their own shop's shipping zones, methods and prices (the admin scopes them)."""

from django.db import migrations

GROUP = "Vendor staff"
FULL = ("view", "add", "change", "delete")
MODELS = ("shippingzone", "shippingmethod", "shippingmethodchannellisting")


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after the whole migrate run; this migration needs them now.
    app_config = apps.get_app_config("shipping")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    codenames = [f"{action}_{model}" for model in MODELS for action in FULL]
    group.permissions.add(*Permission.objects.filter(content_type__app_label="shipping", codename__in=codenames))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=GROUP).first()
    if group is not None:
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="shipping"))


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("vendor", "0002_vendor_staff_group"),
        ("shipping", "0001_initial"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
