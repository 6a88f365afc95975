from django.contrib import admin
from django.urls import include, path

from api.views import api

from . import mfa, views

# Staff see whose admin this is on every page and in the browser tab, not "Django administration".
admin.site.site_header = "Foot Foundation: hip and back self-check"
admin.site.site_title = "Foot Foundation staff"
admin.site.index_title = "Self-checks, bookings and clinical content"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    # Staff second factor: after the password, before anything else (clinic_site/mfa.py).
    path("staff/sign-in-code/", mfa.mfa_verify, name="mfa_verify"),
    path("staff/sign-in-code/set-up/", mfa.mfa_setup, name="mfa_setup"),
    path("staff/sign-in-code/recovery-codes/", mfa.mfa_recovery_codes, name="mfa_recovery_codes"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("fhir/", include("interop.urls")),
    path("", include("triage.urls")),
    path("", include("booking.urls")),
    path("", include("followups.urls")),
]

handler400 = "clinic_site.views.bad_request"
handler403 = "clinic_site.views.permission_denied"
handler404 = "clinic_site.views.page_not_found"
handler500 = "clinic_site.views.server_error"
