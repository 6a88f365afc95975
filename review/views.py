"""The review pages served inside the admin: the dashboard and the CSV export.

Both are reached through SubmissionAdmin.get_urls (admin login, admin layout);
permission checks happen there and again here where it matters.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.actor import Actor
from audit.models import AuditAction
from audit.services import audit_record
from followups.models import CheckInStatus
from followups.selectors import followup_dashboard_get
from triage.models import Disposition, Submission

from . import charts
from .selectors import export, reports


class _Echo:
    """A file-like object whose write returns the line, for csv.writer in a stream."""

    def write(self, value: str) -> str:
        return value


def _csv_stream(rows: Iterator[list[str]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    for row in rows:
        # Cells a spreadsheet would run as a formula get a leading quote.
        yield writer.writerow([f"'{cell}" if cell[:1] in ("=", "+", "-", "@") else cell for cell in row])


def export_response(*, request: HttpRequest, queryset: QuerySet[Submission], scope: str) -> HttpResponse:
    """Stream the submissions as CSV, after recording the export in the audit trail."""
    if not request.user.has_perm("triage.export_submission"):
        raise PermissionDenied
    query = request.GET.urlencode() if scope == "filtered" else ""
    audit_record(
        action=AuditAction.EXPORT,
        target="submissions",
        actor=Actor.from_request(request),
        detail={"scope": scope, "filters": query, **({"count": queryset.count()} if scope == "selected" else {})},
    )
    response = StreamingHttpResponse(
        _csv_stream(export.export_rows(queryset=queryset)), content_type="text/csv; charset=utf-8"
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="submissions-{stamp}.csv"'
    response["Cache-Control"] = "no-store"
    return response


# Bottom of the stack first: the urgent ones on top where the eye lands.
DISPOSITION_KEYS = [
    (Disposition.SELF_CARE.value, Disposition.SELF_CARE.label),
    (Disposition.BOOK_ASSESSMENT.value, Disposition.BOOK_ASSESSMENT.label),
    (Disposition.SEE_GP_SOON.value, Disposition.SEE_GP_SOON.label),
    (Disposition.SEE_DOCTOR_TODAY.value, Disposition.SEE_DOCTOR_TODAY.label),
    (Disposition.EMERGENCY.value, Disposition.EMERGENCY.label),
]


# "Emailed" beside "509 emailed" would read as the same count: these are the ones not answered yet.
FOLLOWUP_STATUS_WORDS = {CheckInStatus.SENT: _("No reply yet")}


def dashboard(request: HttpRequest, *, context: dict, opts, submissions: QuerySet[Submission]) -> HttpResponse:
    """The dashboard over ``submissions`` (those the person may see), its look recorded in the audit trail."""
    data = reports.dashboard_get(submissions=submissions)
    followup = followup_dashboard_get(submissions=submissions)
    audit_record(action=AuditAction.VIEW, target="dashboard", actor=Actor.from_request(request))
    columns = charts.stacked_columns(
        columns=[(row["week"].strftime("%d %b"), dict(row["counts"])) for row in data.weekly], keys=DISPOSITION_KEYS
    )
    context = {
        **context,
        "opts": opts,
        "title": "Self-check dashboard",
        "data": data,
        "weekly": columns,
        "chart_height": charts.CHART_HEIGHT,
        "chart_width": charts.CHART_WIDTH,
        "disposition_keys": DISPOSITION_KEYS,
        "per_clinic": charts.horizontal_bars(rows=data.per_clinic),
        "per_condition": charts.horizontal_bars(rows=data.per_condition),
        "per_clinic_height": charts.bars_height(data.per_clinic),
        "per_condition_height": charts.bars_height(data.per_condition),
        "followup": followup,
        "followup_statuses": [
            (FOLLOWUP_STATUS_WORDS.get(value, label), followup.by_status.get(value, 0))
            for value, label in CheckInStatus.choices
        ],
    }
    return TemplateResponse(request, "admin/review/dashboard.html", context)
