"""The two staff roles: "Clinician" and "Clinical content editor"."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CLINICIAN = "Clinician"
CONTENT_EDITOR = "Clinical content editor"

# (app_label, codename); no delete anywhere, and clinical content read-only.
CLINICIAN_PERMISSIONS = [
    ("triage", "view_submission"),
    ("triage", "change_submission"),
    ("triage", "export_submission"),
    ("triage", "view_suggestion"),
    ("triage", "view_condition"),
    ("triage", "view_question"),
    ("triage", "view_conditionweight"),
    ("triage", "view_clinic"),
    ("triage", "view_rulesetversion"),
    ("review", "add_note"),
    ("review", "view_note"),
    ("review", "add_outcome"),
    ("review", "change_outcome"),
    ("review", "view_outcome"),
    ("review", "view_statuschange"),
]
CONTENT_EDITOR_PERMISSIONS = [
    *[
        ("triage", f"{action}_{model}")
        for model in ("condition", "question", "conditionweight", "clinic")
        for action in ("add", "change", "delete", "view")
    ],
    # Publishing a new version is adding one; published versions are never edited.
    ("triage", "add_rulesetversion"),
    ("triage", "view_rulesetversion"),
]
GROUPS = {CLINICIAN: CLINICIAN_PERMISSIONS, CONTENT_EDITOR: CONTENT_EDITOR_PERMISSIONS}


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations have run; make
    # sure they exist now so the groups can be given them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, wanted in GROUPS.items():
        group, _created = Group.objects.get_or_create(name=name)
        permissions = [
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
            for app_label, codename in wanted
        ]
        group.permissions.add(*permissions)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=list(GROUPS)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("review", "0001_initial"),
        ("triage", "0004_submission_review_fields"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
