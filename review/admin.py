"""The clinic's side of a submission: the call list and its review page.

SubmissionAdmin is where clinicians and reception work all day: the call list
(needs action first, most urgent and longest waiting on top), a read-only page
of what the patient said and how it was scored (with triage.view_answers; the
reception sees who to call, not what they said), and the follow-up workflow
(status, assignment, notes, outcome), each change going through
review.services so it is recorded and audited. Also the change history of
outcomes, for superusers.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from audit.actor import Actor
from audit.admin import AuditTrailInsteadOfLogEntryMixin, SuperuserReadOnlyMixin
from audit.models import AuditAction
from audit.services import audit_record
from booking.models import BookingStatus
from followups import selectors as followup_selectors
from triage import services as triage_services
from triage.access import submissions_visible
from triage.models import Submission

from . import actions, services, views
from .changelist import QueueChangeList, QueueCheckboxMixin, QueuePaginator, extra_actions, search_kind
from .checkins import CheckInColumnsMixin
from .display import DISPOSITION_SHORT, relative_time
from .filters import AssignedFilter, QueueViewFilter, RedFlagFilter, SuggestedConditionFilter
from .forms import SubmissionReviewForm
from .inlines import NoteInline, OutcomeInline, StatusChangeInline
from .models import Note, Outcome
from .selectors import page, queue

ADMIN_CSS = {"all": ["css/review-admin.css"]}

DELETED_IN_ADMIN = "deleted by staff in the admin"
VIEW_ANSWERS = "triage.view_answers"
# Columns and filters that come from the answers or the scoring: only for staff who may see those.
ANSWER_COLUMNS = ("top_suggestion", "pain")
ANSWER_FILTERS = (SuggestedConditionFilter,)
BOOKING_SHORT = {
    BookingStatus.NEW: "requested",
    BookingStatus.CONTACTED: "contacted",
    BookingStatus.BOOKED: "booked",
    BookingStatus.CLOSED: "closed",
}


@admin.register(Submission)
class SubmissionAdmin(QueueCheckboxMixin, CheckInColumnsMixin, AuditTrailInsteadOfLogEntryMixin, admin.ModelAdmin):
    """The triage queue and a submission's review page.

    What the patient said is shown read-only; staff change only the status
    (through the workflow), the assignment, notes and the outcome.
    """

    form = SubmissionReviewForm
    list_display = [
        "reference",
        "received",
        "disposition_badge",
        "top_suggestion",
        "pain",
        "contactable",
        "booking",
        "clinic_name",
        "status",
        "assigned",
    ]
    list_display_links = ["reference"]
    ordering = queue.CALL_LIST_ORDER
    list_filter = [
        QueueViewFilter,
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
    actions = [actions.assign_to_me, actions.mark_contacted, actions.export_csv, *extra_actions()]
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
        # The queue's query lives in review.selectors.queue; need to know (only the clinics
        # this person works for, triage.access) in the same query.
        annotated = followup_selectors.checkins_latest_annotate(
            queryset=queue.queue_annotate(queryset=super().get_queryset(request))
        )
        return submissions_visible(user=request.user, queryset=annotated)

    def get_ordering(self, request: HttpRequest):
        # "Needs action": most urgent, contactable, longest waiting first; "all
        # submissions" (or a search): newest first. A clicked column header wins.
        return queue.queue_ordering(params=request.GET)

    def get_list_display(self, request: HttpRequest):
        if self.has_view_answers_permission(request):
            return self.list_display
        return [column for column in self.list_display if column not in ANSWER_COLUMNS]

    def get_list_filter(self, request: HttpRequest):
        if self.has_view_answers_permission(request):
            return self.list_filter
        return [f for f in self.list_filter if f not in ANSWER_FILTERS]

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        return QueuePaginator(
            queryset,
            per_page,
            orphans,
            allow_empty_first_page,
            needs_action=not queue.queue_shows_all(params=request.GET),
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
        title = _("All submissions") if queue.queue_shows_all(params=request.GET) else _("Call list: needs action")
        return super().changelist_view(request, {"title": title, **(extra_context or {})})

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("dashboard/", view(self.dashboard_view), name="triage_submission_dashboard"),
            path("export/", view(self.export_view), name="triage_submission_export"),
            *super().get_urls(),
        ]

    # --- Columns ---

    @admin.display(description=_("received"), ordering="created_at")
    def received(self, obj: Submission) -> str:
        local = timezone.localtime(obj.created_at)
        return format_html(
            '<time datetime="{}" title="{}">{}</time>',
            local.isoformat(timespec="minutes"),
            local.strftime("%-d %b %Y, %H:%M"),
            relative_time(when=obj.created_at),
        )

    @admin.display(description=_("disposition"), ordering="urgency")
    def disposition_badge(self, obj: Submission) -> str:
        return format_html(
            '<span class="ff-badge ff-badge-{}" title="{}">{}</span>',
            obj.disposition,
            obj.get_disposition_display(),
            DISPOSITION_SHORT.get(obj.disposition, obj.get_disposition_display()),
        )

    @admin.display(description=_("top suggestion"))
    def top_suggestion(self, obj: Submission) -> str:
        return obj.top_suggestion_name or "—"

    @admin.display(description=_("pain"), ordering="pain_intensity")
    def pain(self, obj: Submission) -> str:
        """PEG (one decimal) when all three answers were given, else the pain now (a whole number), 0 to 10;
        under it, the latest answered check-in's trajectory (review.checkins)."""
        # Computed from the row's own columns and annotation: no query.
        if obj.peg is not None:
            title = _("PEG: mean of pain, enjoyment and activity interference, 0 to 10")
            cell = format_html('<span title="{}">{}</span>', title, f"{obj.peg:.1f}")
        elif obj.pain_intensity is None:
            cell = "—"
        else:
            cell = format_html('<span title="{}">{}</span>', _("pain now, 0 to 10"), obj.pain_intensity)
        return self.with_checkin(obj, cell)

    @admin.display(description=_("clinic"), ordering="clinic__name")
    def clinic_name(self, obj: Submission) -> str:
        return obj.clinic.name if obj.clinic else "—"

    @admin.display(description=_("assigned"), ordering="assigned_to__username")
    def assigned(self, obj: Submission) -> str:
        return obj.assigned_to.get_username() if obj.assigned_to else "—"

    @admin.display(description=_("contact"))
    def contactable(self, obj: Submission) -> str:
        """Phone and email icons for the ways the clinic may reach the person, with words for screen readers."""
        consent = obj.contact_consent
        ways = [
            (kind, icon, label)
            for kind, icon, label, given in (
                ("phone", "\u260e", _("phone"), (consent and obj.contact_phone) or obj.booking_phone),
                ("email", "\u2709", _("email"), (consent and obj.contact_email) or obj.booking_email),
            )
            if given
        ]
        if not ways:
            return format_html(
                '<span class="ff-muted" title="{0}"><span aria-hidden="true">—</span>'
                '<span class="visually-hidden">{0}</span></span>',
                _("no contact details"),
            )
        return format_html_join(
            " ",
            '<span class="ff-contact-way ff-contact-{}" title="{}"><span aria-hidden="true">{}</span>'
            '<span class="visually-hidden">{}</span></span>',
            ((kind, label, icon, label) for kind, icon, label in ways),
        )

    @admin.display(description=_("booking"))
    def booking(self, obj: Submission) -> str:
        if not obj.booking_status:
            return "—"
        return format_html(
            '<span class="ff-booking ff-booking-{}">{}</span>',
            obj.booking_status,
            BOOKING_SHORT.get(obj.booking_status, obj.booking_status),
        )

    # --- Permissions ---

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # submissions come from patients only

    def has_export_permission(self, request: HttpRequest) -> bool:
        # The export carries scores and pain: it needs the answers permission too.
        return request.user.has_perm("triage.export_submission") and self.has_view_answers_permission(request)

    def has_view_answers_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(VIEW_ANSWERS)

    # --- The review page ---

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is None:
            # Not there, or another clinic's: the same answer, and no hint which.
            raise Http404
        extra_context = extra_context or {}
        if obj is not None and self.has_view_or_change_permission(request, obj):
            extra_context["summary"] = page.submission_summary_get(submission=obj)
            if self.has_view_answers_permission(request):
                extra_context["review"] = page.submission_review_get(submission=obj)
                extra_context.update(self.checkins_context(submission=obj))
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
        # Counts per suggested condition and the accuracy report come from the scores.
        if not (self.has_view_permission(request) and self.has_view_answers_permission(request)):
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
