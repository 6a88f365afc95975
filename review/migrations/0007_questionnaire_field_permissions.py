"""The questionnaire fields' words are clinical content: the content editor changes them, a clinician reads them.

No add or delete: the fields themselves are part of the code (one row each, seeded by triage 0013).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "Clinical content editor": ["change_questionnairefield", "view_questionnairefield"],
    "Clinician": ["view_questionnairefield"],
}


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations have run: make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.add(*Permission.objects.filter(content_type__app_label="triage", codename__in=codenames))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.remove(
                *Permission.objects.filter(content_type__app_label="triage", codename__in=codenames)
            )


class Migration(migrations.Migration):
    dependencies = [
        ("review", "0006_clinicians_view_checkins"),
        ("triage", "0013_questionnaire_field_texts"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
