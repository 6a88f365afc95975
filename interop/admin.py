"""The "download as FHIR" action on submissions.

It stays with the rest of the FHIR code; the submission admin (in review, a
sibling that may not import interop) lists it because clinic_site's settings
name it in SUBMISSION_ADMIN_EXTRA_ACTIONS. Nothing is registered here.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.actor import Actor
from audit.models import AuditAction
from audit.services import audit_record
from triage import selectors as triage_selectors

from .checkins import answered_checkins, checkin_response_build
from .http import fhir_response, fhir_urls
from .resources import questionnaire_response_build
from .selectors import booking_preferred_times

# A bundle is built in memory: a bulk export belongs in a job, not a click.
MAX_EXPORT = 500


@admin.action(description=_("Download as FHIR QuestionnaireResponse (JSON)"), permissions=["view_answers"])
def download_questionnaire_response(modeladmin, request: HttpRequest, queryset) -> HttpResponse | None:
    """One submission: its QuestionnaireResponse. Several, or one with answered check-ins: a FHIR Bundle
    (collection) of them, each submission's response followed by one per answered check-in (partOf it)."""
    submissions = list(
        queryset.select_related("clinic", "ruleset_version")
        .defer("ruleset_version__content")
        .prefetch_related("booking_requests", "checkins")[: MAX_EXPORT + 1]
    )
    if len(submissions) > MAX_EXPORT:
        modeladmin.message_user(
            request, _("Choose at most %(max)d submissions to download at once.") % {"max": MAX_EXPORT}, messages.ERROR
        )
        return None
    urls = fhir_urls(request)
    resources = []
    for submission in submissions:
        ruleset = triage_selectors.ruleset_get_version(number=submission.ruleset_version_id)
        resources.append(
            questionnaire_response_build(
                submission=submission,
                ruleset=ruleset,
                urls=urls,
                preferred_times=booking_preferred_times(submission=submission),
            )
        )
        resources.extend(
            checkin_response_build(checkin=checkin, submission=submission, ruleset=ruleset, urls=urls)
            for checkin in answered_checkins(submission)
        )
    actor = Actor.from_request(request)
    for submission in submissions:
        audit_record(action=AuditAction.EXPORT, target=submission.reference, actor=actor, detail={"format": "fhir"})
    if len(resources) == 1:
        return fhir_response(resources[0], filename=f"QuestionnaireResponse-{resources[0]['id']}.json")
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": timezone.now().isoformat(),
        "entry": [
            {"fullUrl": f"{urls.base}/QuestionnaireResponse/{resource['id']}", "resource": resource}
            for resource in resources
        ],
    }
    return fhir_response(bundle, filename=f"QuestionnaireResponses-{timezone.now():%Y%m%d-%H%M%S}.json")
