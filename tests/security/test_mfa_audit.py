"""Every step of a staff member's sign-in codes is in the audit trail, and no key or code ever is."""

from __future__ import annotations

import json
from base64 import b32encode

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-staff-passphrase"


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def wrong_code(device: TOTPDevice) -> str:
    return f"{(int(current_code(device)) + 1) % 1_000_000:06d}"


@pytest.fixture
def mfa_on(settings):
    settings.REQUIRE_STAFF_MFA = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def staff(mfa_on, django_user_model):
    return django_user_model.objects.create_superuser("clinician", "c@example.com", PASSWORD)


def signed_in(username: str = "clinician") -> Client:
    client = Client(REMOTE_ADDR="192.0.2.10")
    response = client.post(reverse("admin:login"), {"username": username, "password": PASSWORD, "next": "/admin/"})
    assert response.status_code == 302
    return client


def events(event: str) -> list[AuditEvent]:
    return [e for e in AuditEvent.objects.order_by("pk") if e.detail.get("event") == event]


def assert_no_secret_in_audit(*secrets: str) -> None:
    dump = json.dumps([[e.target, e.detail, e.actor_label] for e in AuditEvent.objects.all()]).lower()
    for secret in secrets:
        assert secret.lower().replace(" ", "") not in dump.replace(" ", "")


def enrolled(client: Client, staff) -> tuple[TOTPDevice, list[str]]:
    client.get(reverse("mfa_setup"))
    device = TOTPDevice.objects.get(user=staff)
    response = client.post(reverse("mfa_setup"), {"code": current_code(device), "next": "/admin/"})
    assert response.status_code == 302
    codes = client.get(response["Location"]).context["codes"]
    device.refresh_from_db()
    return device, codes


def test_setting_up_and_confirming_the_app_and_the_first_codes_are_audited_without_the_key_or_codes(staff):
    client = signed_in()
    device, codes = enrolled(client, staff)
    started, confirmed, made = events("app_setup_started"), events("app_confirmed"), events("recovery_codes_made")
    assert len(started) == len(confirmed) == len(made) == 1
    for event in (*started, *confirmed, *made):
        assert event.actor == staff
        assert event.target == "sign-in code of clinician"
        assert event.action == AuditAction.CHANGE
        assert event.ip_address == "192.0.2.10"
    assert made[0].detail == {"event": "recovery_codes_made", "count": 10, "unused_codes_replaced": 0}
    assert_no_secret_in_audit(device.key, b32encode(device.bin_key).decode(), *codes)


def test_a_wrong_code_is_audited_as_a_count_never_the_code(staff):
    device = TOTPDevice.objects.create(user=staff, name="Authenticator app", confirmed=True)
    client = signed_in()
    typed = wrong_code(device)
    client.post(reverse("mfa_verify"), {"code": typed})
    [failed] = events("code_failed")
    assert failed.detail == {"event": "code_failed", "failures_in_a_row": 1}
    assert failed.actor == staff
    assert_no_secret_in_audit(typed, device.key)


def test_a_used_recovery_code_is_audited_with_how_many_are_left(staff):
    TOTPDevice.objects.create(user=staff, name="Authenticator app", confirmed=True)
    recovery = StaticDevice.objects.create(user=staff, name="Recovery codes", confirmed=True)
    StaticToken.objects.bulk_create([StaticToken(device=recovery, token=t) for t in ("abcd2345", "efgh6789")])
    client = signed_in()
    assert client.post(reverse("mfa_verify"), {"recovery_code": "abcd 2345"}).status_code == 302
    [used] = events("recovery_code_used")
    assert used.detail == {"event": "recovery_code_used", "recovery_codes_left": 1}
    assert_no_secret_in_audit("abcd2345", "efgh6789")


def test_making_a_new_set_of_recovery_codes_is_audited_with_the_count_replaced(staff):
    client = signed_in()
    enrolled(client, staff)
    response = client.post(reverse("mfa_recovery_codes"))
    new_codes = client.get(response["Location"]).context["codes"]
    latest = events("recovery_codes_made")[-1]
    assert latest.detail == {"event": "recovery_codes_made", "count": 10, "unused_codes_replaced": 10}
    assert_no_secret_in_audit(*new_codes)


def test_an_administrator_deleting_someones_device_in_the_admin_is_audited(staff, django_user_model):
    person = django_user_model.objects.create_user("reception", "r@example.com", PASSWORD, is_staff=True)
    app = TOTPDevice.objects.create(user=person, name="Authenticator app", confirmed=True)
    admin_client = signed_in()
    TOTPDevice.objects.create(user=staff, name="Authenticator app", confirmed=True)
    admin_client.post(reverse("mfa_verify"), {"code": current_code(TOTPDevice.objects.get(user=staff))})
    url = reverse("admin:otp_totp_totpdevice_delete", args=[app.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 302
    assert not TOTPDevice.objects.filter(user=person).exists()
    [removed] = events("devices_removed")
    assert removed.action == AuditAction.DELETE
    assert removed.actor == staff
    assert removed.target == "sign-in code of reception"
    assert removed.detail == {
        "event": "devices_removed",
        "devices": ["authenticator app"],
        "count": 1,
        "via": "admin",
    }


def test_the_admins_bulk_delete_action_is_audited_per_person(staff, django_user_model):
    people = [
        django_user_model.objects.create_user(name, f"{name}@example.com", PASSWORD, is_staff=True)
        for name in ("reception", "physio")
    ]
    for person in people:
        recovery = StaticDevice.objects.create(user=person, name="Recovery codes", confirmed=True)
        StaticToken.objects.create(device=recovery, token="zzzz9999")
    admin_client = signed_in()
    own = TOTPDevice.objects.create(user=staff, name="Authenticator app", confirmed=True)
    admin_client.post(reverse("mfa_verify"), {"code": current_code(own)})
    response = admin_client.post(
        reverse("admin:otp_static_staticdevice_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [d.pk for d in StaticDevice.objects.all()],
            "post": "yes",
        },
    )
    assert response.status_code == 302
    assert not StaticDevice.objects.exists()
    assert sorted(e.target for e in events("devices_removed")) == [
        "sign-in code of physio",
        "sign-in code of reception",
    ]


def test_an_administrator_without_delete_permission_removes_nothing(staff, django_user_model):
    limited = django_user_model.objects.create_user("limited", "l@example.com", PASSWORD, is_staff=True)
    limited.user_permissions.add(Permission.objects.get(codename="view_totpdevice"))
    own = TOTPDevice.objects.create(user=limited, name="Authenticator app", confirmed=True)
    other = TOTPDevice.objects.create(user=staff, name="Authenticator app", confirmed=True)
    client = signed_in("limited")
    client.post(reverse("mfa_verify"), {"code": current_code(own)})
    response = client.post(reverse("admin:otp_totp_totpdevice_delete", args=[other.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert TOTPDevice.objects.filter(pk=other.pk).exists()
    assert events("devices_removed") == []
