"""Clinicians may read the notification log (superusers can anyway); nobody edits it."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CLINICIAN = "Clinician"


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations have run.
    app_config = apps.get_app_config("notifications")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=CLINICIAN)
    group.permissions.add(Permission.objects.get(content_type__app_label="notifications", codename="view_notification"))


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name=CLINICIAN):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="notifications", codename="view_notification")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
        # The group is made there; made here too if this runs first.
        ("review", "0002_clinician_and_content_editor_groups"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
