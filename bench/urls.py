"""The site's own URLs plus ``/bench/hello/``, which exists only under bench.settings."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def hello(request: HttpRequest) -> HttpResponse:
    """The yardstick: the cheapest response Django can give through the same middleware."""
    return HttpResponse("Hello, world", content_type="text/plain")


urlpatterns = [
    path("bench/hello/", hello, name="bench_hello"),
    path("", include("clinic_site.urls")),
]
