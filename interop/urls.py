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
    path("Questionnaire/hip-back-check-in", views.checkin_questionnaire, name="checkin_questionnaire"),
    # A check-in's response (before the submission's: "<reference>-week6" would match that too).
    path(
        "QuestionnaireResponse/<str:reference>-week<int:week>",
        views.checkin_questionnaire_response,
        name="checkin_questionnaire_response",
    ),
    path("QuestionnaireResponse/<str:reference>", views.questionnaire_response, name="questionnaire_response"),
]
