"""django-otp's device admin, with every removal and change by an administrator audited.

django-otp registers its own TOTP and static device admins; these replace
them (clinic_site is listed after django-otp in INSTALLED_APPS, so this runs
later). Deleting a person's devices is how an administrator answers a lost
phone (docs/operations.md), so it goes through ``staff_devices_remove``.
"""

from __future__ import annotations

from django.contrib import admin
from django_otp.plugins.otp_static.admin import StaticDeviceAdmin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.actor import Actor

from .mfa import staff_devices_remove, staff_mfa_audit


class AuditedDeviceAdminMixin:
    def delete_model(self, request, obj) -> None:
        staff_devices_remove(devices=[obj], actor=Actor.from_request(request), via="admin")

    def delete_queryset(self, request, queryset) -> None:
        staff_devices_remove(
            devices=list(queryset.select_related("user")), actor=Actor.from_request(request), via="admin"
        )

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        # Which fields, never their values (the key is a secret).
        staff_mfa_audit(
            actor=Actor.from_request(request),
            user=obj.user,
            event="device_changed_by_admin" if change else "device_added_by_admin",
            device=obj.name,
            fields=sorted(form.changed_data),
        )


class AuditedTOTPDeviceAdmin(AuditedDeviceAdminMixin, TOTPDeviceAdmin):
    pass


class AuditedStaticDeviceAdmin(AuditedDeviceAdminMixin, StaticDeviceAdmin):
    pass


for model, model_admin in ((TOTPDevice, AuditedTOTPDeviceAdmin), (StaticDevice, AuditedStaticDeviceAdmin)):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, model_admin)
