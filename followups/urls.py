from django.urls import path

from . import views

app_name = "followups"

urlpatterns = [
    # Fixed paths first: "done" and "unsubscribe" are never a signed link (those hold a colon).
    path("check-in/done/", views.checkin_done, name="checkin_done"),
    path("check-in/unsubscribed/", views.unsubscribed, name="unsubscribed"),
    path("check-in/unsubscribe/<str:signed>/", views.unsubscribe, name="unsubscribe"),
    path("check-in/<str:signed>/", views.checkin, name="checkin"),
]
