"""Staff sign-in with a second factor (ASVS 2.7, 2.8): required in production, with one-time recovery codes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-staff-passphrase"
ROOT = Path(__file__).resolve().parents[2]


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


@pytest.fixture
def mfa_on(settings):
    settings.REQUIRE_STAFF_MFA = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # No back-off between the attempts of one test (the throttle itself is django-otp's).
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


@pytest.fixture
def staff(mfa_on, django_user_model):
    return django_user_model.objects.create_superuser("clinician", "c@example.com", PASSWORD)


@pytest.fixture
def app_device(staff) -> TOTPDevice:
    return TOTPDevice.objects.create(user=staff, name="Authenticator app", confirmed=True)


def sign_in_with_password(client: Client) -> None:
    response = client.post(reverse("admin:login"), {"username": "clinician", "password": PASSWORD, "next": "/admin/"})
    assert response.status_code == 302


def test_with_mfa_required_the_password_alone_does_not_open_the_admin(client, app_device):
    sign_in_with_password(client)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_verify") + "?next=%2Fadmin%2F"
    # Nor the staff data behind it.
    assert client.get(reverse("admin:triage_submission_changelist")).status_code == 302


def test_the_right_app_code_after_the_password_opens_the_admin(client, app_device):
    sign_in_with_password(client)
    response = client.post(reverse("mfa_verify"), {"code": current_code(app_device), "next": "/admin/"})
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_a_wrong_code_is_refused_and_the_admin_stays_closed(client, app_device):
    sign_in_with_password(client)
    wrong = f"{(int(current_code(app_device)) + 1) % 1_000_000:06d}"
    response = client.post(reverse("mfa_verify"), {"code": wrong, "next": "/admin/"})
    assert response.status_code == 200
    assert response.context["form"].has_error("code", "invalid")
    assert client.get("/admin/").status_code == 302


def test_a_recovery_code_works_once(app_device, staff):
    recovery = StaticDevice.objects.create(user=staff, name="Recovery codes", confirmed=True)
    StaticToken.objects.create(device=recovery, token="abcd2345")
    first = Client()
    sign_in_with_password(first)
    assert first.post(reverse("mfa_verify"), {"code": "ABCD 2345"}).status_code == 302
    assert first.get("/admin/").status_code == 200
    again = Client()
    sign_in_with_password(again)
    response = again.post(reverse("mfa_verify"), {"code": "abcd2345"})
    assert response.status_code == 200
    assert response.context["form"].has_error("code", "invalid")
    assert again.get("/admin/").status_code == 302


def test_a_staff_member_without_a_device_is_sent_to_set_one_up_after_the_password(client, staff):
    sign_in_with_password(client)
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("mfa_setup"))
    page = response.content.decode()
    assert 'src="data:image/svg+xml;base64,' in page
    device = TOTPDevice.objects.get(user=staff, confirmed=False)
    assert client.post(reverse("mfa_setup"), {"code": "000000"}).status_code == 200  # a wrong code confirms nothing
    response = client.post(reverse("mfa_setup"), {"code": current_code(device), "next": "/admin/"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_recovery_codes"))
    device.refresh_from_db()
    assert device.confirmed
    codes_page = client.get(response["Location"])
    codes = codes_page.context["codes"]
    assert len(codes) == 10
    assert all(code in codes_page.content.decode() for code in codes)
    # Shown once only.
    assert client.get(reverse("mfa_recovery_codes")).context["codes"] is None
    assert client.get("/admin/").status_code == 200


def test_an_account_with_a_device_cannot_set_up_another_without_an_administrator(client, app_device):
    sign_in_with_password(client)
    response = client.get(reverse("mfa_setup"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_verify"))
    assert TOTPDevice.objects.filter(user=app_device.user).count() == 1


def test_staff_json_endpoints_answer_403_until_the_code_is_entered(client, app_device):
    sign_in_with_password(client)
    response = client.get("/fhir/")
    assert response.status_code == 403
    assert response.json()["code"] == "second_factor_required"


def test_without_the_setting_make_run_signs_in_with_a_password_alone(client, staff, settings):
    settings.REQUIRE_STAFF_MFA = False
    sign_in_with_password(client)
    assert client.get("/admin/").status_code == 200


def test_patients_are_never_asked_for_a_code(client, mfa_on):
    assert client.get(reverse("triage:landing")).status_code == 200


def test_production_settings_require_staff_mfa_and_make_run_does_not():
    unset = {"DJANGO_ENV", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_DEBUG", "DJANGO_TESTING", "REQUIRE_STAFF_MFA"}
    base = {k: v for k, v in os.environ.items() if k not in unset} | {"DJANGO_SETTINGS_MODULE": "clinic_site.settings"}
    show = [
        sys.executable,
        "manage.py",
        "shell",
        "-c",
        "from django.conf import settings; print(settings.REQUIRE_STAFF_MFA)",
    ]
    production = {
        "DJANGO_ENV": "production",
        "SECRET_KEY": "a-long-random-test-key-0b6f1d2c3e4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c",
        "ALLOWED_HOSTS": "selfcheck.example.nz",
        "REQUIRE_STAFF_MFA": "0",  # cannot be turned off in production
    }
    run = subprocess.run(show, cwd=ROOT, env=base | production, capture_output=True, text=True, timeout=60)
    assert run.stdout.strip().splitlines()[-1] == "True", run.stderr
    local = subprocess.run(show, cwd=ROOT, env=base | {"DJANGO_DEBUG": "1"}, capture_output=True, text=True, timeout=60)
    assert local.stdout.strip().splitlines()[-1] == "False", local.stderr
