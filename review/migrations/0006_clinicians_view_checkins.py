"""Clinicians may read follow-up check-ins (followups.view_checkin), read-only.

Nobody gets add, change or delete: a check-in holds the patient's own answers.
Reception does not get it: check-ins are answers and scores (need to know).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CLINICIAN = "Clinician"
PERMISSION = ("followups", "view_checkin")


def _permission(apps):
    Permission = apps.get_model("auth", "Permission")
    app_label, codename = PERMISSION
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations have run; make sure this one exists now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    clinician, _created = Group.objects.get_or_create(name=CLINICIAN)
    clinician.permissions.add(_permission(apps))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    clinician = Group.objects.filter(name=CLINICIAN).first()
    if clinician is not None:
        clinician.permissions.remove(_permission(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("review", "0005_reception_group"),
        ("followups", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
