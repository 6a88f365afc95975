from django.contrib import admin
from django.urls import include, path

from api.views import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("fhir/", include("interop.urls")),
    path("", include("triage.urls")),
]
