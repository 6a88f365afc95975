"""FHIR R4 read endpoints: the questionnaire (public) and responses (staff only).

Both answer in FHIR JSON, errors included (an OperationOutcome), since their
callers are other systems: an anonymous request gets 401, not a redirect to
an HTML login page.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from audit.actor import Actor
from audit.models import AuditAction
from audit.services import audit_record
from triage import selectors as triage_selectors

from . import selectors
from .checkins import checkin_questionnaire_build, checkin_response_build
from .http import fhir_response, fhir_urls, operation_outcome
from .resources import questionnaire_build, questionnaire_response_build

# The response carries every answer: reception (view_submission only) may not have it.
VIEW_PERMISSION = "triage.view_answers"


@require_GET
def base(request: HttpRequest) -> HttpResponse:
    return operation_outcome(
        status=404, code="not-found", diagnostics="Ask for a resource, e.g. Questionnaire/hip-back-self-check."
    )


@require_GET
def questionnaire(request: HttpRequest, version: int | None = None) -> HttpResponse:
    """The latest published questionnaire, or a past version (``_history/<n>``)."""
    row = selectors.ruleset_version_get(number=version)
    if row is None:
        return operation_outcome(status=404, code="not-found", diagnostics="No such questionnaire version.")
    ruleset = triage_selectors.ruleset_get_version(number=row.number)
    resource = questionnaire_build(
        ruleset=ruleset,
        published_at=row.published_at,
        clinics=triage_selectors.clinic_list(),
        urls=fhir_urls(request),
        texts=triage_selectors.field_texts_get(number=row.number),
    )
    return fhir_response(resource)


@require_GET
def checkin_questionnaire(request: HttpRequest) -> HttpResponse:
    """The 6 and 12-week check-in's questions (public, like the self-check's)."""
    return fhir_response(checkin_questionnaire_build(ruleset=triage_selectors.ruleset_get(), urls=fhir_urls(request)))


def _refused(request: HttpRequest) -> HttpResponse | None:
    """401 or 403 unless the request comes from staff who may read answers; None when it may go on."""
    user = request.user
    if not user.is_authenticated:
        response = operation_outcome(status=401, code="login", diagnostics="Sign in as clinic staff first.")
        response["WWW-Authenticate"] = 'Session realm="clinic staff"'
        return response
    if not (user.is_active and user.is_staff and user.has_perm(VIEW_PERMISSION)):
        return operation_outcome(status=403, code="forbidden", diagnostics="You may not view submissions.")
    return None


@require_GET
def checkin_questionnaire_response(request: HttpRequest, reference: str, week: int) -> HttpResponse:
    """One answered check-in as a QuestionnaireResponse, partOf its submission's: staff as below."""
    refused = _refused(request)
    if refused is not None:
        return refused
    submission = selectors.submission_get_by_reference(reference=reference.upper(), user=request.user)
    checkin = selectors.checkin_answered_get(submission=submission, week=week) if submission else None
    if checkin is None:
        return operation_outcome(status=404, code="not-found", diagnostics="No answered check-in with that id.")
    resource = checkin_response_build(
        checkin=checkin,
        submission=submission,
        ruleset=triage_selectors.ruleset_get_version(number=submission.ruleset_version_id),
        urls=fhir_urls(request),
    )
    audit_record(
        action=AuditAction.EXPORT,
        target=submission.reference,
        actor=Actor.from_request(request),
        detail={"format": "fhir", "checkin_week": week},
    )
    return fhir_response(resource)


@require_GET
def questionnaire_response(request: HttpRequest, reference: str) -> HttpResponse:
    """One submission as a QuestionnaireResponse: staff with permission to view submissions only."""
    refused = _refused(request)
    if refused is not None:
        return refused
    submission = selectors.submission_get_by_reference(reference=reference.upper(), user=request.user)
    if submission is None:
        return operation_outcome(status=404, code="not-found", diagnostics="No submission with that reference.")
    resource = questionnaire_response_build(
        submission=submission,
        ruleset=triage_selectors.ruleset_get_version(number=submission.ruleset_version_id),
        urls=fhir_urls(request),
        preferred_times=selectors.booking_preferred_times(submission=submission),
    )
    audit_record(
        action=AuditAction.EXPORT,
        target=submission.reference,
        actor=Actor.from_request(request),
        detail={"format": "fhir"},
    )
    return fhir_response(resource)
