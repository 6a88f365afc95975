"""Staff second factor (ASVS 2.7/2.8): an authenticator app (TOTP) and one-time recovery codes.

Built on django-otp's TOTPDevice and StaticDevice. After the password, a
staff member with a device is asked for a code (``mfa_verify``); one without
is sent to set one up (``mfa_setup``: a QR code, then a code from the app to
confirm it), and is shown ten recovery codes once. ``StaffMFAMiddleware``
(clinic_site/middleware.py) sends every unverified staff request here when
settings.REQUIRE_STAFF_MFA is on (production). A lost phone: an administrator
deletes the person's devices in the admin, or runs ``manage.py
staff_mfa_reset <username>`` (docs/operations.md).

Wrong codes are throttled by django-otp (OTP_*_THROTTLE_FACTOR): after each
one, the next is refused for 1, 2, 4, 8... seconds. Every step is audited
(``staff_mfa_audit``): what happened and how many failures, never a key, a
code or a recovery code.
"""

from __future__ import annotations

import base64
import io
import math
from base64 import b32encode
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

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
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.actor import Actor
from audit.models import AuditAction
from audit.services import audit_record

RECOVERY_CODE_COUNT = 10
APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"
# The codes just made, shown once on the next page and then gone from the session.
NEW_CODES_SESSION_KEY = "mfa_new_recovery_codes"

WRONG_CODE = "That code is not right, or has already been used. Check the app and try again."
WRONG_RECOVERY_CODE = (
    "That recovery code is not right, or has already been used (each works once). Check it, or try another one."
)


def _code_input(*, numeric: bool, autofocus: bool = False) -> forms.TextInput:
    attrs = {
        "autocomplete": "one-time-code",
        "inputmode": "numeric" if numeric else "text",
        "autocapitalize": "off",
        "spellcheck": "false",
        "class": "mfa-code-input",
    }
    if autofocus:
        attrs["autofocus"] = True
    return forms.TextInput(attrs=attrs)


def _normalised(code: str) -> str:
    return "".join(code.split()).lower()


class CodeForm(forms.Form):
    """The code from the authenticator app (setting it up, and signing in)."""

    code = forms.CharField(
        label="6-digit code from your app",
        max_length=32,
        help_text="Open the authenticator app and type the 6 numbers it shows for the self-check.",
        widget=_code_input(numeric=True, autofocus=True),
        error_messages={"required": "Type the 6-digit code your app shows."},
    )

    def clean_code(self) -> str:
        return _normalised(self.cleaned_data["code"])


class RecoveryCodeForm(forms.Form):
    """One of the ten recovery codes, for a sign-in without the phone."""

    recovery_code = forms.CharField(
        label="Recovery code",
        max_length=32,
        help_text="One of the ten codes you saved when you set up your app. Each code works once.",
        widget=_code_input(numeric=False),
        error_messages={"required": "Type one of your recovery codes."},
    )

    def clean_recovery_code(self) -> str:
        return _normalised(self.cleaned_data["recovery_code"])


@dataclass(frozen=True)
class CodeCheck:
    """What came of a code: the device that accepted it, or why not."""

    device: Device | None = None
    locked_until: datetime | None = None

    @property
    def wait_text(self) -> str:
        """How long until codes are taken again, in plain words ("9 minutes")."""
        if self.locked_until is None:
            return ""
        seconds = max(1, math.ceil((self.locked_until - timezone.now()).total_seconds()))
        if seconds < 60:
            return f"{seconds} second{'s' if seconds != 1 else ''}"
        minutes = math.ceil(seconds / 60)
        if minutes < 120:
            return f"{minutes} minute{'s' if minutes != 1 else ''}"
        return f"{math.ceil(minutes / 60)} hours"

    @property
    def locked_message(self) -> str:
        return (
            f"Too many wrong codes in a row, so this account\u2019s codes are paused. Wait {self.wait_text}, "
            "then try again with the code your app shows at that time. "
            "If it still fails, ask an administrator to reset your sign-in code."
        )


def staff_mfa_audit(*, actor: Actor, user, event: str, action: str = AuditAction.CHANGE, **detail) -> None:
    """One audit event about ``user``'s sign-in codes: what happened and counts, never a key or a code."""
    audit_record(
        action=action,
        target=f"sign-in code of {user.get_username()}",
        actor=actor,
        detail={"event": event, **detail},
    )


def staff_code_check(*, user, code: str, actor: Actor, devices: list[Device] | None = None) -> CodeCheck:
    """Try ``code`` on ``user``'s devices (a recovery code is used up), counting a failure against each.

    While django-otp's throttle holds any of the devices (after a wrong code
    the next is refused for 1, 2, 4, 8... seconds), no code is tried at all
    and the check says until when. A success clears every device's count.
    """
    with transaction.atomic():
        candidates = devices if devices is not None else list(django_otp.devices_for_user(user, for_verify=True))
        locks = [data for allowed, data in (device.verify_is_allowed() for device in candidates) if not allowed]
        if locks:
            until = max((data or {}).get("locked_until") or timezone.now() for data in locks)
            failures = max(device.throttling_failure_count for device in candidates)
            staff_mfa_audit(actor=actor, user=user, event="code_refused_while_paused", failures_in_a_row=failures)
            return CodeCheck(locked_until=until)
        for device in candidates:
            if device.verify_token(code):
                for other in candidates:
                    if other is not device and other.throttling_failure_count:
                        other.throttle_reset()
                if isinstance(device, StaticDevice):
                    staff_mfa_audit(
                        actor=actor, user=user, event="recovery_code_used", recovery_codes_left=device.token_set.count()
                    )
                return CodeCheck(device=device)
        failures = max((device.throttling_failure_count for device in candidates), default=0)
        staff_mfa_audit(actor=actor, user=user, event="code_failed", failures_in_a_row=failures)
    return CodeCheck()


def staff_app_device_get_or_start(*, user, actor: Actor) -> TOTPDevice:
    """The app ``user`` is setting up (a new, unconfirmed TOTP device the first time)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
        staff_mfa_audit(actor=actor, user=user, event="app_setup_started")
    return device


def staff_app_device_confirm(*, device: TOTPDevice, actor: Actor) -> list[str]:
    """Confirm the app after a right code from it, and make the first recovery codes (returned, to show once)."""
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        staff_mfa_audit(actor=actor, user=device.user, event="app_confirmed")
        return recovery_codes_create(user=device.user, actor=actor)


def recovery_codes_create(*, user, actor: Actor) -> list[str]:
    """A fresh set of recovery codes for ``user``, replacing any left from before."""
    with transaction.atomic():
        device, _ = StaticDevice.objects.get_or_create(
            user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
        )
        replaced = device.token_set.count()
        device.token_set.all().delete()
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
        staff_mfa_audit(
            actor=actor, user=user, event="recovery_codes_made", count=len(codes), unused_codes_replaced=replaced
        )
    return codes


def staff_devices_remove(*, devices: Iterable[Device], actor: Actor, via: str) -> int:
    """Delete these sign-in devices (a lost phone), one audit event per person; how many went.

    At their next sign-in each person sets up a new app and gets new recovery codes.
    """
    by_user: dict[int, list[Device]] = {}
    for device in devices:
        by_user.setdefault(device.user_id, []).append(device)
    removed = 0
    with transaction.atomic():
        for user_devices in by_user.values():
            user = user_devices[0].user
            kinds = sorted({_device_kind(device) for device in user_devices})
            for device in user_devices:
                device.delete()
            removed += len(user_devices)
            staff_mfa_audit(
                actor=actor,
                user=user,
                event="devices_removed",
                action=AuditAction.DELETE,
                devices=kinds,
                count=len(user_devices),
                via=via,
            )
    return removed


def staff_devices_for(*, user) -> list[Device]:
    """Every sign-in device of ``user``, confirmed or not: authenticator apps, then recovery codes."""
    return [*TOTPDevice.objects.filter(user=user), *StaticDevice.objects.filter(user=user)]


def _device_kind(device: Device) -> str:
    if isinstance(device, TOTPDevice):
        return "authenticator app"
    if isinstance(device, StaticDevice):
        return "recovery codes"
    return type(device).__name__


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
    """After the password: a code from the authenticator app, or (in a second form) a recovery code."""
    if not django_otp.user_has_device(request.user):
        return redirect(f"{reverse('mfa_setup')}?{urlencode({'next': _next_url(request)})}")
    # Which of the two forms was sent: the app code ("code"), or a recovery code.
    recovery_sent = request.method == "POST" and "recovery_code" in request.POST
    form = CodeForm(request.POST if request.method == "POST" and not recovery_sent else None)
    recovery_form = RecoveryCodeForm(request.POST if recovery_sent else None)
    sent, field = (recovery_form, "recovery_code") if recovery_sent else (form, "code")
    if sent.is_valid():
        check = staff_code_check(user=request.user, code=sent.cleaned_data[field], actor=Actor.from_request(request))
        if check.device is not None:
            django_otp.login(request, check.device)
            return redirect(_next_url(request))
        if check.locked_until is not None:
            sent.add_error(field, forms.ValidationError(check.locked_message, code="locked"))
        else:
            message = WRONG_RECOVERY_CODE if recovery_sent else WRONG_CODE
            sent.add_error(field, forms.ValidationError(message, code="invalid"))
    return _page(
        request,
        "registration/mfa_verify.html",
        {"form": form, "recovery_form": recovery_form, "title": "Enter your sign-in code"},
    )


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
    actor = Actor.from_request(request)
    device = staff_app_device_get_or_start(user=request.user, actor=actor)
    form = CodeForm(request.POST or None)
    if form.is_valid():
        check = staff_code_check(user=request.user, code=form.cleaned_data["code"], actor=actor, devices=[device])
        if check.device is not None:
            request.session[NEW_CODES_SESSION_KEY] = staff_app_device_confirm(device=device, actor=actor)
            django_otp.login(request, device)
            return redirect(f"{reverse('mfa_recovery_codes')}?{urlencode({'next': _next_url(request)})}")
        if check.locked_until is not None:
            form.add_error("code", forms.ValidationError(check.locked_message, code="locked"))
        else:
            form.add_error(
                "code",
                forms.ValidationError(
                    "That code is not right. Type the code the app shows now (it changes every 30 seconds); "
                    "if it still fails, check the phone's clock is set automatically.",
                    code="invalid",
                ),
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
        request.session[NEW_CODES_SESSION_KEY] = recovery_codes_create(
            user=request.user, actor=Actor.from_request(request)
        )
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
