"""Check-ins in the admin: read-only, for staff who may see a patient's answers.

Nobody answers, edits or deletes a check-in here: the answers are the
patient's own (a check-in goes with its submission when that is deleted).
The list is need-to-know like the call list (triage.access: the clinics a
person works for), and each check-in's page is recorded in the audit trail
as opening its submission would be. The submission's review page shows its
check-ins itself (review, through followups.selectors.submission_checkins_get).
"""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from audit.actor import Actor
from audit.admin import ReadOnlyAdminMixin
from audit.models import AuditAction
from audit.services import audit_record
from triage.access import clinic_visible_q

from . import outcomes
from .models import CheckIn

# The answers and PEG scores are health information: reception (without it) never sees check-ins.
VIEW_ANSWERS = "triage.view_answers"
TRAJECTORY_WORDS = {outcomes.IMPROVED: _("Improved"), outcomes.SAME: _("Same"), outcomes.WORSE: _("Worse")}


@admin.register(CheckIn)
class CheckInAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["submission_link", "week", "status", "sent_at", "answered_at", "peg_now", "global_change", "trend"]
    list_filter = ["week", "status", "global_change"]
    list_select_related = ["submission"]
    search_fields = ["=submission__reference"]
    search_help_text = _("Reference code of the self-check (exact).")
    date_hierarchy = "sent_at"
    show_facets = admin.ShowFacets.NEVER
    fields = [
        "submission_link",
        "week",
        "status",
        "sent_at",
        "opened_at",
        "answered_at",
        "expires_at",
        "pain_intensity",
        "enjoyment_interference",
        "activity_interference",
        "peg_now",
        "global_change",
        "seen_professional",
        "red_flags",
        "disposition",
        "trend",
    ]
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).filter(clinic_visible_q(user=request.user, field="submission__clinic"))

    def _may_see_answers(self, request: HttpRequest) -> bool:
        return request.user.has_perm(VIEW_ANSWERS)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return super().has_view_permission(request, obj) and self._may_see_answers(request)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return super().has_module_permission(request) and self._may_see_answers(request)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is not None and self.has_view_permission(request, obj) and request.method == "GET":
            audit_record(
                action=AuditAction.VIEW,
                target=obj.submission.reference,
                actor=Actor.from_request(request),
                detail={"checkin_week": obj.week},
            )
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.display(description=_("self-check"), ordering="submission__reference")
    def submission_link(self, obj: CheckIn) -> str:
        url = reverse("admin:triage_submission_change", args=[obj.submission_id])
        return format_html('<a href="{}">{}</a>', url, obj.submission.reference)

    @admin.display(description=_("PEG now"))
    def peg_now(self, obj: CheckIn) -> str:
        peg = outcomes.checkin_peg(obj)
        return "—" if peg is None else f"{peg:.1f}"

    @admin.display(description=_("trajectory"))
    def trend(self, obj: CheckIn) -> str:
        result = outcomes.trajectory(obj.submission.peg, obj)
        return str(TRAJECTORY_WORDS[result]) if result else "—"
