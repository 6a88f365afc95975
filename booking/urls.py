from django.urls import re_path

from . import views

app_name = "booking"

urlpatterns = [
    re_path(r"^result/(?P<token>[A-Za-z0-9_-]{20,64})/book/$", views.booking_request, name="booking_request"),
    re_path(
        r"^result/(?P<token>[A-Za-z0-9_-]{20,64})/book/sent/$",
        views.booking_confirmation,
        name="booking_confirmation",
    ),
]
