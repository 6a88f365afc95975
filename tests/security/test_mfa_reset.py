"""`manage.py staff_mfa_reset <username>`: a lost phone, answered on the server, audited."""

from __future__ import annotations

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def staff(django_user_model):
    user = django_user_model.objects.create_user("reception", "r@example.com", "a-long-staff-passphrase", is_staff=True)
    TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    recovery = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    StaticToken.objects.create(device=recovery, token="abcd2345")
    return user


def test_it_removes_the_persons_app_and_recovery_codes_and_says_so(staff):
    out = StringIO()
    call_command("staff_mfa_reset", "reception", stdout=out)
    assert not TOTPDevice.objects.filter(user=staff).exists()
    assert not StaticDevice.objects.filter(user=staff).exists()
    assert not StaticToken.objects.exists()
    said = out.getvalue()
    assert "Removed reception's sign-in code devices: 1 authenticator app and 1 set of recovery codes." in said


def test_it_is_audited_as_the_system_never_with_a_code(staff):
    call_command("staff_mfa_reset", "reception", stdout=StringIO())
    [event] = AuditEvent.objects.all()
    assert event.action == AuditAction.DELETE
    assert event.actor is None
    assert event.actor_label == "system"
    assert event.target == "sign-in code of reception"
    assert event.detail == {
        "event": "devices_removed",
        "devices": ["authenticator app", "recovery codes"],
        "count": 2,
        "via": "manage.py staff_mfa_reset",
    }
    assert "abcd2345" not in str(event.detail)


def test_other_peoples_devices_are_left_alone(staff, django_user_model):
    other = django_user_model.objects.create_user("physio", "p@example.com", "another-long-passphrase", is_staff=True)
    TOTPDevice.objects.create(user=other, name="Authenticator app", confirmed=True)
    call_command("staff_mfa_reset", "reception", stdout=StringIO())
    assert TOTPDevice.objects.filter(user=other).count() == 1


def test_a_person_with_no_devices_is_told_nothing_was_removed(django_user_model):
    django_user_model.objects.create_user("new", "n@example.com", "a-long-staff-passphrase", is_staff=True)
    out = StringIO()
    call_command("staff_mfa_reset", "new", stdout=out)
    assert "new has no sign-in code devices: nothing to remove." in out.getvalue()
    assert not AuditEvent.objects.exists()


def test_an_unknown_user_name_is_an_error_with_exit_status_2(staff):
    with pytest.raises(CommandError) as raised:
        call_command("staff_mfa_reset", "nobody")
    assert str(raised.value) == "No user named 'nobody': nothing was changed."
    assert raised.value.returncode == 2
    assert TOTPDevice.objects.filter(user=staff).exists()


def test_from_the_shell_an_unknown_user_exits_2_with_one_line(tmp_path):
    # A database of its own (migrated), as an operator's would be.
    env = os.environ | {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "tests.settings",
    }
    subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True, timeout=300)
    run = subprocess.run(
        [sys.executable, "manage.py", "staff_mfa_reset", "nobody"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 2
    assert run.stderr.strip() == "CommandError: No user named 'nobody': nothing was changed."
