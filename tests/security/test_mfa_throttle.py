"""Wrong sign-in codes are throttled: ten in a row pause the account's codes for minutes, and the page says so."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.db.models import F
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-staff-passphrase"


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def wrong_code(device: TOTPDevice) -> str:
    return f"{(int(current_code(device)) + 1) % 1_000_000:06d}"


def time_passes(seconds: float) -> None:
    """Move every device's last failure back in time: as if the person waited that long."""
    for model in (TOTPDevice, StaticDevice):
        model.objects.filter(throttling_failure_timestamp__isnull=False).update(
            throttling_failure_timestamp=F("throttling_failure_timestamp") - timedelta(seconds=seconds)
        )


@pytest.fixture
def staff(settings, django_user_model):
    settings.REQUIRE_STAFF_MFA = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return django_user_model.objects.create_superuser("clinician", "c@example.com", PASSWORD)


@pytest.fixture
def devices(staff) -> tuple[TOTPDevice, StaticDevice]:
    app = TOTPDevice.objects.create(user=staff, name="Authenticator app", confirmed=True)
    recovery = StaticDevice.objects.create(user=staff, name="Recovery codes", confirmed=True)
    StaticToken.objects.create(device=recovery, token="abcd2345")
    return app, recovery


@pytest.fixture
def client_with_password(staff) -> Client:
    client = Client()
    response = client.post(reverse("admin:login"), {"username": "clinician", "password": PASSWORD})
    assert response.status_code == 302
    return client


def ten_wrong_codes(client: Client, app: TOTPDevice) -> None:
    for attempt in range(10):
        time_passes(3600)  # each one after the previous pause is over: only the count grows
        response = client.post(reverse("mfa_verify"), {"code": wrong_code(app)})
        assert response.context["form"].has_error("code", "invalid"), attempt


def test_django_otps_throttle_is_on_for_app_codes_and_recovery_codes():
    assert django_settings.OTP_TOTP_THROTTLE_FACTOR >= 1
    assert django_settings.OTP_STATIC_THROTTLE_FACTOR >= 1


def test_ten_wrong_codes_in_a_row_refuse_even_the_right_code_with_a_clear_message(client_with_password, devices):
    app, _ = devices
    ten_wrong_codes(client_with_password, app)
    response = client_with_password.post(reverse("mfa_verify"), {"code": current_code(app)})
    assert response.status_code == 200
    assert response.context["form"].has_error("code", "locked")
    page = response.content.decode()
    assert "Too many wrong codes in a row" in page
    assert "Wait 9 minutes" in page  # 2 ** 9 seconds after the tenth
    assert client_with_password.get("/admin/").status_code == 302


def test_the_pause_also_holds_recovery_codes(client_with_password, devices):
    app, recovery = devices
    ten_wrong_codes(client_with_password, app)
    response = client_with_password.post(reverse("mfa_verify"), {"recovery_code": "abcd2345"})
    assert response.context["recovery_form"].has_error("recovery_code", "locked")
    assert recovery.token_set.filter(token="abcd2345").exists()  # not used up by a refused try


def test_after_the_pause_the_right_code_signs_in_and_the_count_starts_again(client_with_password, devices):
    app, recovery = devices
    ten_wrong_codes(client_with_password, app)
    time_passes(2**9 + 1)
    response = client_with_password.post(reverse("mfa_verify"), {"code": current_code(app), "next": "/admin/"})
    assert response.status_code == 302
    assert client_with_password.get("/admin/").status_code == 200
    app.refresh_from_db()
    recovery.refresh_from_db()
    assert app.throttling_failure_count == recovery.throttling_failure_count == 0


def test_a_second_wrong_code_straight_after_the_first_is_paused(client_with_password, devices, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = settings.OTP_STATIC_THROTTLE_FACTOR = 600  # a pause no slow machine outlasts
    app, _ = devices
    client_with_password.post(reverse("mfa_verify"), {"code": wrong_code(app)})
    response = client_with_password.post(reverse("mfa_verify"), {"code": wrong_code(app)})
    assert response.context["form"].has_error("code", "locked")
    assert "Wait 10 minutes" in response.content.decode()


def test_wrong_codes_while_setting_up_are_throttled_too(client_with_password, staff):
    client_with_password.get(reverse("mfa_setup"))
    device = TOTPDevice.objects.get(user=staff)
    for _ in range(10):
        time_passes(3600)
        client_with_password.post(reverse("mfa_setup"), {"code": wrong_code(device)})
    response = client_with_password.post(reverse("mfa_setup"), {"code": current_code(device)})
    assert response.context["form"].has_error("code", "locked")
    device.refresh_from_db()
    assert not device.confirmed
