from django.urls import path

from . import views

app_name = "interop"

urlpatterns = [
    path("", views.base, name="base"),
    path("Questionnaire/hip-back-self-check", views.questionnaire, name="questionnaire"),
    path(
        "Questionnaire/hip-back-self-check/_history/<int:version>",
        views.questionnaire,
        name="questionnaire_version",
    ),
    path("QuestionnaireResponse/<str:reference>", views.questionnaire_response, name="questionnaire_response"),
]
