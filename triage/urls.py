from django.urls import path, re_path

from . import views

app_name = "triage"

check = views.SelfCheckWizard.as_view(url_name="triage:check_step", done_step_name="done")

urlpatterns = [
    path("", views.landing, name="landing"),
    path("check/", check, name="check"),
    re_path(r"^check/(?P<step>[a-z_]+)/$", check, name="check_step"),
    re_path(r"^result/(?P<token>[A-Za-z0-9_-]{20,64})/$", views.result, name="result"),
    re_path(r"^result/(?P<token>[A-Za-z0-9_-]{20,64})/delete/$", views.result_delete, name="result_delete"),
    path("deleted/", views.result_deleted, name="result_deleted"),
    path("privacy/", views.privacy, name="privacy"),
    path("adults-only/", views.adults_only, name="adults_only"),
    re_path(r"^result/(?P<token>[A-Za-z0-9_-]{20,64})/summary\.pdf$", views.result_pdf, name="result_pdf"),
]
