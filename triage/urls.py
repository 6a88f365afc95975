from django.urls import path, re_path

from . import result_views, views

app_name = "triage"

check = views.SelfCheckWizard.as_view(url_name="triage:check_step", done_step_name="done")

urlpatterns = [
    path("", views.landing, name="landing"),
    path("check/", check, name="check"),
    # Before the steps' pattern, which would otherwise take "restart" for a step's name.
    path("check/restart/", views.check_restart, name="check_restart"),
    re_path(r"^check/(?P<step>[a-z_]+)/$", check, name="check_step"),
    re_path(r"^result/(?P<token>[A-Za-z0-9_-]{20,64})/$", result_views.result, name="result"),
    re_path(r"^result/(?P<token>[A-Za-z0-9_-]{20,64})/delete/$", result_views.result_delete, name="result_delete"),
    path("deleted/", result_views.result_deleted, name="result_deleted"),
    path("privacy/", views.privacy, name="privacy"),
    path("adults-only/", views.adults_only, name="adults_only"),
    re_path(r"^result/(?P<token>[A-Za-z0-9_-]{20,64})/summary\.pdf$", result_views.result_pdf, name="result_pdf"),
]
