"""The clinic's side of a submission: the triage queue and its review page.

SubmissionAdmin is where clinicians and reception work all day: a queue
sorted red flags first, a read-only page of what the patient said and how it
was scored, and the follow-up workflow (status, assignment, notes, outcome),
each change going through review.services so it is recorded and audited.
Also the change history of outcomes, for superusers.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import OuterRef, Subquery
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from audit.actor import Actor
from audit.admin import AuditTrailInsteadOfLogEntryMixin, SuperuserReadOnlyMixin
from audit.models import AuditAction
from audit.services import audit_record
from triage import services as triage_services
from triage.access import submissions_visible
from triage.models import Submission, Suggestion

from . import actions, services, views
from .filters import AssignedFilter, RedFlagFilter, SuggestedConditionFilter
from .forms import SubmissionReviewForm
from .inlines import NoteInline, OutcomeInline, StatusChangeInline
from .models import Note, Outcome
from .selectors import page

ADMIN_CSS = {"all": ["css/review-admin.css"]}
REFERENCE_PATTERN = re.compile(rf"[{triage_services.REFERENCE_ALPHABET}]{{{triage_services.REFERENCE_LENGTH}}}")


def search_kind(term: str) -> str:
    """What a queue search looked for, without keeping what was typed."""
    if REFERENCE_PATTERN.fullmatch(term.upper()):
        return "reference"
    if "@" in term:
        return "email"
    if sum(c.isdigit() for c in term) >= 3:
        return "phone"
    return "name"


DELETED_IN_ADMIN = "deleted by staff in the admin"


def _extra_actions() -> list:
    """The queue actions other apps offer, named in settings.SUBMISSION_ADMIN_EXTRA_ACTIONS.

    clinic_site composes the site: review may not import interop (they are
    siblings), and interop patching this admin at import time depended on the
    order of INSTALLED_APPS.
    """
    return [import_string(dotted) for dotted in getattr(settings, "SUBMISSION_ADMIN_EXTRA_ACTIONS", [])]


class QueueChangeList(ChangeList):
    def get_queryset(self, request, exclude_parameters=None):
        # The queue never shows the answers or the full scoring record: do not
        # read them from the database for every row.
        return super().get_queryset(request, exclude_parameters).defer("answers", "result")


@admin.register(Submission)
class SubmissionAdmin(AuditTrailInsteadOfLogEntryMixin, admin.ModelAdmin):
    """The triage queue and a submission's review page.

    What the patient said is shown read-only; staff change only the status
    (through the workflow), the assignment, notes and the outcome.
    """

    form = SubmissionReviewForm
    list_display = [
        "reference",
        "created_at",
        "disposition_badge",
        "top_suggestion",
        "red_flag_shown",
        "age",
        "peg_shown",
        "clinic",
        "status",
        "assigned_to",
    ]
    list_display_links = ["reference"]
    list_filter = [
        "disposition",
        "status",
        "clinic",
        SuggestedConditionFilter,
        RedFlagFilter,
        AssignedFilter,
    ]
    list_select_related = ["clinic", "assigned_to"]
    list_per_page = 50
    # The unfiltered total would be a second COUNT over every submission.
    show_full_result_count = False
    # Facet counts would run one COUNT per filter option over the whole table.
    show_facets = admin.ShowFacets.NEVER
    search_fields = ["=reference", "contact_name", "contact_email", "contact_phone"]
    search_help_text = _("Reference code (exact), or part of a name, email or phone number.")
    date_hierarchy = "created_at"
    # Other apps' actions (the FHIR download) are named in settings, where the site is composed.
    actions = [actions.assign_to_me, actions.mark_contacted, actions.export_csv, *_extra_actions()]
    readonly_fields = ["reference", "created_at", "disposition", "ruleset_version", "not_appropriate_reason"]
    fieldsets = [
        (_("Follow-up"), {"fields": ["status", "status_reason", "assigned_to", "not_appropriate_reason"]}),
    ]
    inlines = [OutcomeInline, NoteInline, StatusChangeInline]
    change_form_template = "admin/review/submission/change_form.html"
    change_list_template = "admin/review/submission/change_list.html"

    class Media:
        css = ADMIN_CSS

    def get_queryset(self, request: HttpRequest):
        # Need to know: only the clinics this person works for (triage.access), in the same query.
        return submissions_visible(user=request.user, queryset=super().get_queryset(request)).annotate(
            top_suggestion_name=Subquery(
                Suggestion.objects.filter(submission=OuterRef("pk"), rank=1).values("condition__name")[:1]
            )
        )

    def get_changelist(self, request, **kwargs):
        return QueueChangeList

    def changelist_view(self, request, extra_context=None):
        # A search looks up a person: recorded, but by kind only (a name, phone
        # or email typed here is itself personal information); a reference
        # search names the submission, as opening it would.
        term = request.GET.get("q", "").strip()
        if term and request.method == "GET":
            kind = search_kind(term)
            audit_record(
                action=AuditAction.VIEW,
                target=term.upper() if kind == "reference" else "queue search",
                actor=Actor.from_request(request),
                detail={"search": kind},
            )
        return super().changelist_view(request, extra_context)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("dashboard/", view(self.dashboard_view), name="triage_submission_dashboard"),
            path("export/", view(self.export_view), name="triage_submission_export"),
            *super().get_urls(),
        ]

    # --- Columns ---

    @admin.display(description=_("disposition"), ordering="disposition")
    def disposition_badge(self, obj: Submission) -> str:
        return format_html(
            '<span class="ff-badge ff-badge-{}">{}</span>', obj.disposition, obj.get_disposition_display()
        )

    @admin.display(description=_("top suggestion"))
    def top_suggestion(self, obj: Submission) -> str:
        return obj.top_suggestion_name or "—"

    @admin.display(description=_("PEG"))
    def peg_shown(self, obj: Submission) -> str:
        # Computed from the row's own columns: no query.
        return "—" if obj.peg is None else f"{obj.peg:.1f}"

    @admin.display(description=_("red flag"), boolean=True, ordering="red_flag")
    def red_flag_shown(self, obj: Submission) -> bool:
        return obj.red_flag

    # --- Permissions ---

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # submissions come from patients only

    def has_export_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("triage.export_submission")

    # --- The review page ---

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is None:
            # Not there, or another clinic's: the same answer, and no hint which.
            raise Http404
        extra_context = extra_context or {}
        if obj is not None and self.has_view_or_change_permission(request, obj):
            extra_context["review"] = page.submission_review_get(submission=obj)
            if request.method == "GET":
                audit_record(action=AuditAction.VIEW, target=obj.reference, actor=Actor.from_request(request))
        return super().change_view(request, object_id, form_url, extra_context)

    def get_fieldsets(self, request, obj=None):
        if self.has_change_permission(request, obj):
            return super().get_fieldsets(request, obj)
        return [(_("Follow-up"), {"fields": ["status", "assigned_to", "not_appropriate_reason"]})]

    def save_model(self, request, obj, form, change):
        # The form has copied the new values onto obj; put the stored ones
        # back and let the services make (and record) each change.
        to_status, assignee, actor = form.cleaned_data.get("status"), obj.assigned_to, Actor.from_request(request)
        obj.status = form.initial["status"]
        obj.assigned_to_id = form.initial.get("assigned_to")
        try:
            if to_status and to_status != obj.status:
                services.submission_status_change(
                    submission=obj, to_status=to_status, reason=form.cleaned_data.get("status_reason", ""), actor=actor
                )
            if "assigned_to" in form.changed_data:
                services.submission_assign(submission=obj, assignee=assignee, actor=actor)
        except ValidationError as error:
            # Someone else moved it in the meantime.
            self.message_user(request, " ".join(error.messages), messages.ERROR)

    def save_formset(self, request, form, formset, change):
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        actor = Actor.from_request(request)
        if formset.model is Note:
            for note_form in formset.extra_forms:
                if note_form.has_changed() and note_form.cleaned_data.get("text", "").strip():
                    formset.new_objects.append(
                        services.note_add(submission=form.instance, text=note_form.cleaned_data["text"], actor=actor)
                    )
        elif formset.model is Outcome:
            for outcome_form in formset.forms:
                if outcome_form.has_changed():
                    data = outcome_form.cleaned_data
                    outcome = services.outcome_record(
                        submission=form.instance,
                        conditions=data.get("conditions") or [],
                        other=data.get("other", False),
                        none_found=data.get("none_found", False),
                        detail=data.get("detail", ""),
                        actor=actor,
                    )
                    formset.changed_objects.append((outcome, outcome_form.changed_data))
        # Status history is read-only: nothing to save.

    def delete_model(self, request, obj):
        triage_services.submission_delete(submission=obj, actor=Actor.from_request(request), reason=DELETED_IN_ADMIN)

    def delete_queryset(self, request, queryset):
        triage_services.submissions_delete(
            queryset=queryset, actor=Actor.from_request(request), reason=DELETED_IN_ADMIN
        )

    def history_view(self, request, object_id, extra_context=None):
        # The status history is on the submission's own page.
        return HttpResponseRedirect(reverse("admin:triage_submission_change", args=[object_id]))

    # --- Extra pages ---

    def export_view(self, request: HttpRequest) -> HttpResponse:
        """The queue as filtered (same query string as the changelist), as CSV."""
        if not self.has_export_permission(request):
            raise PermissionDenied
        try:
            changelist = self.get_changelist_instance(request)
        except IncorrectLookupParameters:
            self.message_user(request, _("Those filters are not valid; nothing was exported."), messages.ERROR)
            return HttpResponseRedirect(reverse("admin:triage_submission_changelist"))
        return views.export_response(request=request, queryset=changelist.get_queryset(request), scope="filtered")

    def dashboard_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        return views.dashboard(
            request,
            context=self.admin_site.each_context(request),
            opts=self.model._meta,
            submissions=submissions_visible(user=request.user, queryset=Submission.objects.all()),
        )


HistoricalOutcome = Outcome.history.model


@admin.register(HistoricalOutcome)
class HistoricalOutcomeAdmin(SuperuserReadOnlyMixin, admin.ModelAdmin):
    """Earlier versions of outcomes: findings about patients, so each look is recorded."""

    def changelist_view(self, request, extra_context=None):
        audit_record(action=AuditAction.VIEW, target="outcome history", actor=Actor.from_request(request))
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is not None and self.has_view_permission(request, obj):
            submission = Submission.objects.filter(pk=obj.submission_id).first()
            audit_record(
                action=AuditAction.VIEW,
                target=submission.reference if submission else "outcome history",
                actor=Actor.from_request(request),
                detail={"outcome_history": obj.pk},
            )
        return super().change_view(request, object_id, form_url, extra_context)

    list_display = ["history_date", "submission", "history_user", "history_type", "other", "none_found", "detail"]
    list_select_related = ["submission", "history_user"]
    list_filter = ["history_type"]
    search_fields = ["submission__reference"]
    date_hierarchy = "history_date"
