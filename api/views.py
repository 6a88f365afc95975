"""The JSON API: score answers, and store a submission.

Anonymous by design, like the questionnaire itself: the API is for systems
that collect a person's answers for them (a kiosk, the clinic's website), so
there is no login and no session cookie for a cross-site request to ride on
(Ninja marks its views CSRF-exempt; see docs/api.md). Another site's page
could still plant submissions through a visitor's browser, so every POST must
be JSON and come from no foreign ``Origin`` (api/cross_site.py).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Status
from ninja.errors import HttpError, ValidationError

from triage import contact as contact_rules
from triage import scoring, selectors, services
from triage.payload import assessment_to_payload
from triage.ratelimit import submission_rate_limited

from .cross_site import refuse_cross_site
from .schemas import MAX_ERRORS, AssessIn, AssessOut, ErrorOut, SubmissionIn, SubmissionOut

ERROR_RESPONSES = {400: ErrorOut, 403: ErrorOut, 415: ErrorOut, 422: ErrorOut}


class SelfCheckAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        """Name the published question codes and clinic slugs in the document.

        They are content (editable, published as ruleset versions), so they are
        read when the document is asked for instead of being frozen in code.
        """
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        codes = [question.code for question in sorted(selectors.ruleset_get().questions, key=lambda q: q.order)]
        clinics = [clinic.slug for clinic in selectors.clinic_list()]
        components = schema["components"]["schemas"]
        for name in ("AssessIn", "SubmissionIn"):
            components[name]["properties"]["answers"]["propertyNames"] = {"enum": codes}
        components["SubmissionIn"]["properties"]["clinic"]["anyOf"] = [{"enum": clinics}, {"type": "null"}]
        return schema


api = SelfCheckAPI(
    title="Hip and back pain self-check API",
    version="1.1.0",
    description=(
        "Score a person's answers to the hip and back pain self-check, or store them as a submission. "
        "Results suggest what symptoms may be consistent with; they are never a diagnosis. "
        "Requests and responses follow version 2 of the `manage.py assess` contract: it only adds optional "
        "fields (age, enjoyment_interference, activity_interference in; peg, acc_possible, reasons and each "
        "condition's against out) and the see_gp_soon disposition, so version 1 requests stay valid."
    ),
    urls_namespace="api-v1",
)
api.add_decorator(refuse_cross_site, mode="view")


def _field(loc: tuple | list) -> str:
    # Ninja reports ("body", "payload", "answers", "groin_pain"): the caller
    # only knows its own body, so drop the first two parts.
    return ".".join(str(part) for part in loc[2:])


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = []
    for error in exc.errors:
        field = _field(error.get("loc", ()))
        message = error.get("msg", "is not valid")
        if not field:  # the body as a whole: missing, or not a JSON object
            message = f"{message}: send a JSON object with an 'answers' field"
        errors.append({"field": field, "message": message, "code": error["type"]})
        if len(errors) == MAX_ERRORS:
            break
    body = {"detail": "The request body is not valid.", "errors": errors, "error_count": len(exc.errors)}
    return api.create_response(request, body, status=422)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    response = api.create_response(request, {"detail": exc.message, "errors": []}, status=exc.status_code)
    if exc.status_code == 429:
        response["Retry-After"] = "3600"
    return response


def _unknown_codes(payload: AssessIn, ruleset: scoring.Ruleset) -> list[dict]:
    return [
        {
            "loc": ("body", "payload", "answers", code),
            "msg": f"unknown question code {code!r}",
            "type": "unknown_question",
        }
        for code in payload.answers
        if code not in ruleset.by_code
    ]


def _answers(payload: AssessIn) -> scoring.Answers:
    return scoring.Answers.from_mapping(
        payload.answers,
        payload.pain_duration,
        payload.pain_intensity,
        age=payload.age,
        enjoyment_interference=payload.enjoyment_interference,
        activity_interference=payload.activity_interference,
    )


@api.post(
    "/assess",
    response={200: AssessOut, **ERROR_RESPONSES},
    summary="Score answers (nothing is stored)",
    tags=["self-check"],
)
def assess(request: HttpRequest, payload: AssessIn):
    """Score answers with the published ruleset: the same request and response as ``manage.py assess``."""
    ruleset = selectors.ruleset_get()
    problems = _unknown_codes(payload, ruleset)
    if problems:
        raise ValidationError(problems)
    return assessment_to_payload(scoring.score(ruleset, _answers(payload)))


@api.post(
    "/submissions",
    response={201: SubmissionOut, **ERROR_RESPONSES, 429: ErrorOut},
    summary="Score and store a submission",
    tags=["self-check"],
)
def submission_create(request: HttpRequest, payload: SubmissionIn):
    """Score the answers and store them as a submission the clinic sees in its admin.

    Rate limited per client address, sharing the questionnaire's budget: 429 when over it.
    """
    if submission_rate_limited(request):
        raise HttpError(429, "Too many submissions from this address; please try again later.")
    ruleset = selectors.ruleset_get()
    problems = _unknown_codes(payload, ruleset)
    clinics = selectors.clinic_list()
    clinic_ids = {clinic.slug: clinic.pk for clinic in clinics}
    if payload.clinic is not None and payload.clinic not in clinic_ids:
        problems.append(
            {
                "loc": ("body", "payload", "clinic"),
                "msg": f"unknown clinic {payload.clinic!r}",
                "type": "unknown_clinic",
            }
        )
    contact = contact_rules.ContactDetails()
    followup_consent = False
    if payload.contact is not None:
        details = payload.contact.dict()
        followup_consent = details.pop("followup_consent")
        if followup_consent and not details["email"]:
            problems.append(
                {
                    "loc": ("body", "payload", "contact", "followup_consent"),
                    "msg": "check-ins are emailed: give an email address, or leave followup_consent out",
                    "type": "followup_needs_email",
                }
            )
        # The questionnaire's own rules, field by field, reported under their codes.
        try:
            contact = contact_rules.contact_details_clean(**details)
        except DjangoValidationError as error:
            problems.extend(
                {"loc": ("body", "payload", "contact", field), "msg": e.messages[0], "type": e.code}
                for field, field_errors in error.error_dict.items()
                for e in field_errors
            )
    if problems:
        raise ValidationError(problems)
    submission = services.submission_create(
        ruleset=ruleset,
        answers=payload.answers,
        pain_duration=payload.pain_duration or "",
        pain_intensity=payload.pain_intensity,
        age=payload.age,
        enjoyment_interference=payload.enjoyment_interference,
        activity_interference=payload.activity_interference,
        clinic_id=clinic_ids.get(payload.clinic),
        contact=contact,
        followup_consent=followup_consent,
    )
    assessment = scoring.score(ruleset, _answers(payload))
    return Status(
        201,
        {
            "reference": submission.reference,
            "created_at": submission.created_at,
            "assessment": assessment_to_payload(assessment),
        },
    )
