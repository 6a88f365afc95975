from django.contrib import admin
from django.urls import include, path

from api.views import api

from . import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("fhir/", include("interop.urls")),
    path("", include("triage.urls")),
    path("", include("booking.urls")),
]

handler400 = "clinic_site.views.bad_request"
handler403 = "clinic_site.views.permission_denied"
handler404 = "clinic_site.views.page_not_found"
handler500 = "clinic_site.views.server_error"
