"""The "Reception" role, and booking requests for clinicians.

Reception works the call list and the booking requests: it sees each
submission's reference, clinic, disposition, status and consented contact
details, never the answers or scores (those need triage.view_answers, which
clinicians get here). Clinicians see and work booking requests too.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

RECEPTION = "Reception"
CLINICIAN = "Clinician"

RECEPTION_PERMISSIONS = [
    ("triage", "view_submission"),
    ("triage", "view_clinic"),
    ("booking", "view_bookingrequest"),
    ("booking", "change_bookingrequest"),
]
CLINICIAN_EXTRA_PERMISSIONS = [
    ("triage", "view_answers"),
    ("booking", "view_bookingrequest"),
    ("booking", "change_bookingrequest"),
]


def _permissions(apps, wanted):
    Permission = apps.get_model("auth", "Permission")
    return [
        Permission.objects.get(content_type__app_label=app_label, codename=codename) for app_label, codename in wanted
    ]


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations have run; make
    # sure they exist now so the groups can be given them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    reception, _created = Group.objects.get_or_create(name=RECEPTION)
    reception.permissions.add(*_permissions(apps, RECEPTION_PERMISSIONS))
    clinician, _created = Group.objects.get_or_create(name=CLINICIAN)
    clinician.permissions.add(*_permissions(apps, CLINICIAN_EXTRA_PERMISSIONS))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name=RECEPTION).delete()
    clinician = Group.objects.filter(name=CLINICIAN).first()
    if clinician is not None:
        clinician.permissions.remove(*_permissions(apps, CLINICIAN_EXTRA_PERMISSIONS))


class Migration(migrations.Migration):
    dependencies = [
        ("review", "0004_escalation_rule_permissions"),
        ("triage", "0011_call_list_urgency_and_answers_permission"),
        ("booking", "0002_withdrawn_by_the_patient"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
