"""Staff second factor (ASVS 2.7/2.8): an authenticator app (TOTP) and one-time recovery codes.

Built on django-otp's TOTPDevice and StaticDevice. After the password, a
staff member with a device is asked for a code (``mfa_verify``); one without
is sent to set one up (``mfa_setup``: a QR code, then a code from the app to
confirm it), and is shown ten recovery codes once. ``StaffMFAMiddleware``
(clinic_site/middleware.py) sends every unverified staff request here when
settings.REQUIRE_STAFF_MFA is on (production). A lost phone: an administrator
deletes the person's devices in the admin (docs/operations.md).
"""

from __future__ import annotations

import base64
import io
from base64 import b32encode

import django_otp
import qrcode
import qrcode.image.svg
from django import forms
from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

RECOVERY_CODE_COUNT = 10
APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"
# The codes just made, shown once on the next page and then gone from the session.
NEW_CODES_SESSION_KEY = "mfa_new_recovery_codes"


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=32,
        help_text="The 6-digit code your authenticator app shows now, or one of your recovery codes.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True, "inputmode": "text"}),
    )

    def clean_code(self) -> str:
        return "".join(self.cleaned_data["code"].split()).lower()


def staff_device_verify(*, user, code: str, devices: list[Device] | None = None) -> Device | None:
    """The device that accepts ``code`` (a recovery code is used up), or None.

    Each wrong code counts against every device's throttle (django-otp doubles
    the wait after each failure), so codes cannot be guessed quickly.
    """
    with transaction.atomic():
        candidates = devices if devices is not None else list(django_otp.devices_for_user(user, for_verify=True))
        for device in candidates:
            if device.verify_token(code):
                return device
    return None


def recovery_codes_create(*, user) -> list[str]:
    """A fresh set of recovery codes for ``user``, replacing any left from before."""
    device, _ = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def _next_url(request: HttpRequest) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return reverse("admin:index")


def _page(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    return render(request, template, {**admin.site.each_context(request), "next": _next_url(request), **context})


@never_cache
@staff_member_required
@require_http_methods(["GET", "POST"])
def mfa_verify(request: HttpRequest) -> HttpResponse:
    """After the password: a code from the authenticator app, or a recovery code."""
    if not django_otp.user_has_device(request.user):
        return redirect(f"{reverse('mfa_setup')}?{urlencode({'next': _next_url(request)})}")
    form = CodeForm(request.POST or None)
    if form.is_valid():
        device = staff_device_verify(user=request.user, code=form.cleaned_data["code"])
        if device is not None:
            django_otp.login(request, device)
            return redirect(_next_url(request))
        form.add_error(
            "code", forms.ValidationError("That code is not right, or has already been used.", code="invalid")
        )
    return _page(request, "registration/mfa_verify.html", {"form": form, "title": "Enter your sign-in code"})


@never_cache
@staff_member_required
@require_http_methods(["GET", "POST"])
def mfa_setup(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: scan the QR code, then type a code from the app to confirm it.

    Only for an account with no device yet: changing a device goes through an
    administrator, so a stolen password alone cannot replace someone's app.
    """
    if django_otp.user_has_device(request.user):
        return redirect(f"{reverse('mfa_verify')}?{urlencode({'next': _next_url(request)})}")
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name=APP_DEVICE_NAME, confirmed=False)
    form = CodeForm(request.POST or None)
    if form.is_valid():
        if staff_device_verify(user=request.user, code=form.cleaned_data["code"], devices=[device]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            request.session[NEW_CODES_SESSION_KEY] = recovery_codes_create(user=request.user)
            django_otp.login(request, device)
            return redirect(f"{reverse('mfa_recovery_codes')}?{urlencode({'next': _next_url(request)})}")
        form.add_error(
            "code", forms.ValidationError("That code is not right: check the app and try again.", code="invalid")
        )
    secret = b32encode(device.bin_key).decode()
    return _page(
        request,
        "registration/mfa_setup.html",
        {
            "form": form,
            "title": "Set up your sign-in code",
            "qr_data_uri": _qr_data_uri(device.config_url),
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        },
    )


@never_cache
@staff_member_required
@require_http_methods(["GET", "POST"])
def mfa_recovery_codes(request: HttpRequest) -> HttpResponse:
    """The recovery codes just made (shown once), or a new set for a verified staff member."""
    if request.method == "POST":
        if not request.user.is_verified():
            return redirect(f"{reverse('mfa_verify')}?{urlencode({'next': reverse('mfa_recovery_codes')})}")
        request.session[NEW_CODES_SESSION_KEY] = recovery_codes_create(user=request.user)
        return redirect("mfa_recovery_codes")
    codes = request.session.pop(NEW_CODES_SESSION_KEY, None)
    left = StaticToken.objects.filter(device__user=request.user, device__name=RECOVERY_DEVICE_NAME).count()
    return _page(
        request,
        "registration/mfa_recovery_codes.html",
        {"codes": codes, "codes_left": left, "title": "Your recovery codes"},
    )


def _qr_data_uri(text: str) -> str:
    # An <img> with a data: URI: the strict CSP allows it, where inline SVG's style attributes would not.
    buffer = io.BytesIO()
    qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8).save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()
