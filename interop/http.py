"""FHIR JSON responses, and where the resources say they live."""

from __future__ import annotations

import json

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from .resources import FhirUrls

FHIR_JSON = "application/fhir+json"


def fhir_urls(request: HttpRequest | None = None) -> FhirUrls:
    """Canonical URLs: FHIR_BASE_URL when set (stable across hosts), else this site's own address."""
    base = getattr(settings, "FHIR_BASE_URL", "")
    if not base and request is not None:
        base = request.build_absolute_uri(reverse("interop:base"))
    return FhirUrls(base=(base or "http://localhost/fhir/").rstrip("/"))


def fhir_response(resource: dict, *, status: int = 200, filename: str | None = None) -> HttpResponse:
    response = HttpResponse(
        json.dumps(resource, ensure_ascii=False, indent=2), status=status, content_type=f"{FHIR_JSON}; charset=utf-8"
    )
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def operation_outcome(*, status: int, code: str, diagnostics: str) -> HttpResponse:
    """An error the FHIR way: an OperationOutcome naming what went wrong."""
    outcome = {
        "resourceType": "OperationOutcome",
        "issue": [{"severity": "error", "code": code, "diagnostics": diagnostics}],
    }
    return fhir_response(outcome, status=status)
