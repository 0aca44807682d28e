"""The "Vendor staff" back-office group and its permissions (scoping to one shop is the admin's job)."""

from django.db import migrations

GROUP = "Vendor staff"
FULL = ("view", "add", "change", "delete")
# Frozen copy of saleor_ext.vendor.services.VENDOR_STAFF_PERMISSIONS at the time of this migration.
PERMISSIONS = {
    ("product", "product"): FULL,
    ("product", "productvariant"): FULL,
    ("product", "productmedia"): FULL,
    ("product", "productchannellisting"): FULL,
    ("product", "productvariantchannellisting"): FULL,
    ("product", "producttranslation"): FULL,
    ("product", "productvarianttranslation"): FULL,
    ("product", "variantmedia"): FULL,
    ("warehouse", "warehouse"): FULL,
    ("warehouse", "stock"): FULL,
    ("warehouse", "channelwarehouse"): FULL,
    ("grading", "variantgrade"): FULL,
    ("attribute", "assignedproductattributevalue"): FULL,
    ("attribute", "assignedvariantattribute"): FULL,
    ("attribute", "assignedvariantattributevalue"): FULL,
    ("vendor", "vendor"): ("view", "change"),
    ("product", "category"): ("view",),
    ("product", "producttype"): ("view",),
    ("attribute", "attribute"): ("view",),
    ("attribute", "attributevalue"): ("view",),
    ("grading", "gradingscheme"): ("view",),
    ("grading", "grade"): ("view",),
}


def create_group(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after the whole migrate run; this migration needs them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    for (app_label, model), actions in PERMISSIONS.items():
        codenames = [f"{action}_{model}" for action in actions]
        found = Permission.objects.filter(
            content_type__app_label=app_label, content_type__model=model, codename__in=codenames
        )
        group.permissions.add(*found)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("vendor", "0001_initial"),
        ("product", "0001_initial"),
        ("warehouse", "0001_initial"),
        ("attribute", "0001_initial"),
        ("grading", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
