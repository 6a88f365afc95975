"""The staff side: clinical content, published rulesets, and the triage queue.

SubmissionAdmin is where clinicians and reception work all day: a queue
sorted red flags first, a read-only page of what the patient said and how it
was scored, and the follow-up workflow (status, assignment, notes, outcome),
each change going through review.services so it is recorded and audited.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from audit.admin import ReadOnlyAdminMixin
from audit.models import AuditAction
from audit.services import audit_record
from review import selectors as review_selectors
from review import services as review_services
from review import views as review_views
from review.models import Note, Outcome, StatusChange
from review.workflow import allowed_next, transition_check

from . import escalation, scoring, selectors, services
from .models import (
    RED_FLAG_DISPOSITIONS,
    Clinic,
    Condition,
    ConditionWeight,
    EscalationRule,
    Question,
    ReviewStatus,
    RulesetVersion,
    Submission,
    Suggestion,
)

ADMIN_CSS = {"all": ["css/review-admin.css"]}
CLINICIAN_GROUP = "Clinician"


class ConditionWeightInline(admin.TabularInline):
    model = ConditionWeight
    extra = 1
    autocomplete_fields = ["question"]


@admin.register(Condition)
class ConditionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "threshold", "order"]
    list_editable = ["order"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ConditionWeightInline]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["code", "text", "kind", "group", "prompts_assessment", "order"]
    list_filter = ["kind", "group", "prompts_assessment"]
    search_fields = ["code", "text", "summary"]
    list_editable = ["order"]


class EscalationRuleForm(forms.ModelForm):
    class Meta:
        model = EscalationRule
        fields = ["code", "disposition", "order", "conditions", "reason", "source"]

    def clean_conditions(self) -> dict:
        """Refuse conditions the scoring cannot read, naming each problem (publishing checks them again)."""
        conditions = self.cleaned_data["conditions"]
        problems = escalation.when_problems(
            conditions,
            codes=dict(Question.objects.values_list("code", "kind")),
            kinds=scoring.KINDS,
            durations=scoring.DURATIONS,
        )
        if problems:
            raise ValidationError("; ".join(problems), code="invalid_conditions")
        return conditions


@admin.register(EscalationRule)
class EscalationRuleAdmin(admin.ModelAdmin):
    """The rules deciding each result's disposition: a draft, like the rest of the content, until published."""

    form = EscalationRuleForm
    list_display = ["code", "disposition", "order", "reason", "source"]
    list_filter = ["disposition"]
    search_fields = ["code", "reason", "source"]

    def get_ordering(self, request: HttpRequest) -> list:
        # As scoring tries them: most urgent disposition first, then order.
        urgency = models.Case(
            *(models.When(disposition=d, then=models.Value(rank)) for d, rank in escalation.URGENCY.items()),
            output_field=models.IntegerField(),
        )
        return [urgency.asc(), "order", "code"]


@admin.register(Clinic)
class ClinicAdmin(admin.ModelAdmin):
    list_display = ["name", "region", "phone", "order"]
    list_editable = ["order"]
    prepopulated_fields = {"slug": ["name"]}
    # A booking link typed without a scheme is taken as https (Django 6's default).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(RulesetVersion)
class RulesetVersionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Published versions are history: they can be read and published, never edited."""

    list_display = ["__str__", "published_at", "published_by", "note"]
    readonly_fields = ["number", "content", "note", "published_at", "published_by"]
    change_list_template = "admin/triage/rulesetversion/change_list.html"

    def get_urls(self):
        return [
            path("publish/", self.admin_site.admin_view(self.publish_view), name="triage_rulesetversion_publish"),
            *super().get_urls(),
        ]

    def publish_view(self, request: HttpRequest) -> HttpResponse:
        """Show what the draft would change, then freeze it into a new published version."""
        if not request.user.has_perm("triage.add_rulesetversion"):
            raise PermissionDenied
        if request.method == "POST":
            try:
                version = services.ruleset_publish(note=request.POST.get("note", "")[:200], user=request.user)
            except ValueError as error:
                self.message_user(request, _("Not published: %(error)s") % {"error": error}, messages.ERROR)
                return HttpResponseRedirect(reverse("admin:triage_rulesetversion_publish"))
            audit_record(
                action=AuditAction.PUBLISH, target=str(version), request=request, detail={"note": version.note}
            )
            self.message_user(request, _("Published ruleset %(version)s.") % {"version": version})
            return HttpResponseRedirect(reverse("admin:triage_rulesetversion_changelist"))
        try:
            last = min(
                max(int(request.GET.get("last", review_selectors.PREVIEW_DEFAULT)), 1), review_selectors.PREVIEW_MAX
            )
        except ValueError:
            last = review_selectors.PREVIEW_DEFAULT
        draft = selectors.draft_content_get()
        published = RulesetVersion.objects.order_by("-number").values_list("content", flat=True).first()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Publish ruleset"),
            "preview": review_selectors.ruleset_change_preview(draft_content=draft, last=last),
            "red_flag_problems": services.red_flag_problems(published=published, draft=draft) if published else [],
            "last": last,
            "preview_max": review_selectors.PREVIEW_MAX,
        }
        return TemplateResponse(request, "admin/triage/rulesetversion/publish.html", context)


# --- The triage queue ------------------------------------------------------------------


class RedFlagFilter(admin.SimpleListFilter):
    title = _("red flag")
    parameter_name = "red_flag"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        # Filtering on the disposition (what red_flag is computed from) lets
        # SQLite count through an index; a bare boolean test scans the table.
        if self.value() == "yes":
            return queryset.filter(disposition__in=RED_FLAG_DISPOSITIONS)
        if self.value() == "no":
            return queryset.exclude(disposition__in=RED_FLAG_DISPOSITIONS)
        return queryset


class AssignedFilter(admin.SimpleListFilter):
    title = _("assigned")
    parameter_name = "assigned"

    def lookups(self, request, model_admin):
        return [("me", _("Assigned to me")), ("none", _("Unassigned"))]

    def queryset(self, request, queryset):
        if self.value() == "me":
            return queryset.filter(assigned_to=request.user)
        if self.value() == "none":
            return queryset.filter(assigned_to__isnull=True)
        return queryset


class SuggestedConditionFilter(admin.SimpleListFilter):
    title = _("suggested condition")
    parameter_name = "suggested"

    def lookups(self, request, model_admin):
        return [*Condition.objects.values_list("slug", "name"), ("none", _("No suggestion"))]

    def queryset(self, request, queryset):
        if self.value() == "none":
            return queryset.filter(suggestions__isnull=True)
        if self.value():
            # A condition appears at most once per submission: no duplicate rows.
            return queryset.filter(suggestions__condition_id=self.value())
        return queryset


class QueueChangeList(ChangeList):
    def get_queryset(self, request, exclude_parameters=None):
        # The queue never shows the answers or the full scoring record: do not
        # read them from the database for every row.
        return super().get_queryset(request, exclude_parameters).defer("answers", "result")


class StatusField(forms.ChoiceField):
    """Offers only the moves allowed from the current status, but accepts any
    status, so a move the workflow refuses gets the workflow's own message
    (naming the allowed moves) rather than a bare "not a valid choice"."""

    def valid_value(self, value) -> bool:
        return value in ReviewStatus.values


class SubmissionReviewForm(forms.ModelForm):
    """The only things staff change on a submission: its status and who follows it up."""

    status = StatusField(label=_("status"))
    status_reason = forms.CharField(
        label=_("reason for the change"),
        required=False,
        max_length=300,
        help_text=_("Required for 'not appropriate'; kept with the status history."),
    )

    class Meta:
        model = Submission
        fields = ["assigned_to"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = self.instance.status
        self.initial["status"] = current
        self.fields["status"].choices = [
            (value, label)
            for value, label in ReviewStatus.choices
            if value == current or value in allowed_next(current)
        ]
        if "assigned_to" in self.fields:
            # Lazy: evaluated when the widget renders, not here.
            self.fields["assigned_to"].queryset = (
                get_user_model()
                .objects.filter(is_active=True, is_staff=True)
                .filter(Q(groups__name=CLINICIAN_GROUP) | Q(is_superuser=True))
                .distinct()
                .order_by("username")
            )

    def clean(self):
        cleaned = super().clean()
        to_status = cleaned.get("status")
        if to_status and to_status != self.instance.status:
            try:
                transition_check(
                    from_status=self.instance.status, to_status=to_status, reason=cleaned.get("status_reason", "")
                )
            except ValidationError as error:
                self.add_error("status_reason" if error.code == "reason_required" else "status", error)
        return cleaned


class NoteInline(admin.TabularInline):
    model = Note
    fields = ["text", "author", "created_at"]
    readonly_fields = ["author", "created_at"]
    extra = 1
    can_delete = False
    verbose_name = _("note")
    verbose_name_plural = _("notes (kept as written: they cannot be edited or deleted)")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author")

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class OutcomeForm(forms.ModelForm):
    class Meta:
        model = Outcome
        fields = ["conditions", "other", "none_found", "detail"]
        widgets = {"conditions": forms.CheckboxSelectMultiple, "detail": forms.Textarea(attrs={"rows": 3})}

    def clean(self):
        cleaned = super().clean()
        try:
            review_services.outcome_check(
                conditions=cleaned.get("conditions") or [],
                other=cleaned.get("other", False),
                none_found=cleaned.get("none_found", False),
            )
        except ValidationError as error:
            raise ValidationError(error.messages, code=error.code) from None
        return cleaned


class OutcomeInline(admin.StackedInline):
    model = Outcome
    form = OutcomeForm
    fields = ["conditions", "other", "none_found", "detail", "recorded_by", "recorded_at"]
    readonly_fields = ["recorded_by", "recorded_at"]
    extra = 0
    max_num = 1
    can_delete = False
    verbose_name = _("outcome after assessment")
    verbose_name_plural = _("outcome after assessment")

    def get_extra(self, request, obj=None, **kwargs):
        # An empty form to fill in until an outcome is recorded.
        return 1

    def has_delete_permission(self, request, obj=None):
        return False


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    fields = ["changed_at", "changed_by", "from_status", "to_status", "reason"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = _("status history")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("changed_by")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Submission)
class SubmissionAdmin(SimpleHistoryAdmin):
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
    actions = ["assign_to_me", "mark_contacted", "export_csv"]
    readonly_fields = ["reference", "created_at", "disposition", "ruleset_version", "not_appropriate_reason"]
    fieldsets = [
        (_("Follow-up"), {"fields": ["status", "status_reason", "assigned_to", "not_appropriate_reason"]}),
    ]
    inlines = [OutcomeInline, NoteInline, StatusChangeInline]
    change_form_template = "admin/triage/submission/change_form.html"
    change_list_template = "admin/triage/submission/change_list.html"
    history_list_display = ["status", "assigned_to"]

    class Media:
        css = ADMIN_CSS

    def get_queryset(self, request: HttpRequest):
        return (
            super()
            .get_queryset(request)
            .annotate(
                top_suggestion_name=Subquery(
                    Suggestion.objects.filter(submission=OuterRef("pk"), rank=1).values("condition__name")[:1]
                )
            )
        )

    def get_changelist(self, request, **kwargs):
        return QueueChangeList

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

    @admin.display(description=_("red flag"), boolean=True, ordering="red_flag")
    def red_flag_shown(self, obj: Submission) -> bool:
        return obj.red_flag

    # --- Permissions ---

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # submissions come from patients only

    def has_export_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("triage.export_submission")

    def revert_disabled(self, request, obj=None):
        return True  # a past state is never restored over the workflow

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    # --- The review page ---

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        extra_context = extra_context or {}
        if obj is not None and self.has_view_or_change_permission(request, obj):
            extra_context["review"] = review_selectors.submission_review_get(submission=obj)
            if request.method == "GET":
                audit_record(action=AuditAction.VIEW, target=obj.reference, request=request)
        return super().change_view(request, object_id, form_url, extra_context)

    def get_fieldsets(self, request, obj=None):
        if self.has_change_permission(request, obj):
            return super().get_fieldsets(request, obj)
        return [(_("Follow-up"), {"fields": ["status", "assigned_to", "not_appropriate_reason"]})]

    def save_model(self, request, obj, form, change):
        # The form has copied the new values onto obj; put the stored ones
        # back and let the services make (and record) each change.
        to_status, assignee = form.cleaned_data.get("status"), obj.assigned_to
        obj.status = form.initial["status"]
        obj.assigned_to_id = form.initial.get("assigned_to")
        try:
            if to_status and to_status != obj.status:
                review_services.submission_status_change(
                    submission=obj,
                    to_status=to_status,
                    reason=form.cleaned_data.get("status_reason", ""),
                    user=request.user,
                    request=request,
                )
            if "assigned_to" in form.changed_data:
                review_services.submission_assign(submission=obj, assignee=assignee, user=request.user, request=request)
        except ValidationError as error:
            # Someone else moved it in the meantime.
            self.message_user(request, " ".join(error.messages), messages.ERROR)

    def save_formset(self, request, form, formset, change):
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        if formset.model is Note:
            for note_form in formset.extra_forms:
                if note_form.has_changed() and note_form.cleaned_data.get("text", "").strip():
                    formset.new_objects.append(
                        review_services.note_add(
                            submission=form.instance,
                            author=request.user,
                            text=note_form.cleaned_data["text"],
                            request=request,
                        )
                    )
        elif formset.model is Outcome:
            for outcome_form in formset.forms:
                if outcome_form.has_changed():
                    data = outcome_form.cleaned_data
                    outcome = review_services.outcome_record(
                        submission=form.instance,
                        conditions=data.get("conditions") or [],
                        other=data.get("other", False),
                        none_found=data.get("none_found", False),
                        detail=data.get("detail", ""),
                        user=request.user,
                        request=request,
                    )
                    formset.changed_objects.append((outcome, outcome_form.changed_data))
        # Status history is read-only: nothing to save.

    def delete_model(self, request, obj):
        audit_record(action=AuditAction.DELETE, target=obj.reference, request=request)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for reference in queryset.values_list("reference", flat=True):
            audit_record(action=AuditAction.DELETE, target=reference, request=request)
        super().delete_queryset(request, queryset)

    # --- Actions ---

    @admin.action(description=_("Assign to me"), permissions=["change"])
    def assign_to_me(self, request: HttpRequest, queryset) -> None:
        count = 0
        for submission in queryset:
            if submission.assigned_to_id != request.user.pk:
                review_services.submission_assign(
                    submission=submission, assignee=request.user, user=request.user, request=request
                )
                count += 1
        self.message_user(request, _("%(count)d submission(s) assigned to you.") % {"count": count})

    @admin.action(description=_("Mark contacted"), permissions=["change"])
    def mark_contacted(self, request: HttpRequest, queryset) -> None:
        moved = 0
        refused: dict[str, list[str]] = {}  # why -> references, one message per reason
        for submission in queryset:
            try:
                review_services.submission_status_change(
                    submission=submission, to_status=ReviewStatus.CONTACTED, user=request.user, request=request
                )
                moved += 1
            except ValidationError as error:
                refused.setdefault(" ".join(error.messages), []).append(submission.reference)
        if moved:
            self.message_user(request, _("%(count)d submission(s) marked contacted.") % {"count": moved})
        for why, references in refused.items():
            self.message_user(
                request,
                _("Not changed (%(references)s): %(why)s") % {"references": ", ".join(references), "why": why},
                messages.ERROR,
            )

    @admin.action(description=_("Export selected as CSV"), permissions=["export"])
    def export_csv(self, request: HttpRequest, queryset) -> HttpResponse:
        return review_views.export_response(request=request, queryset=queryset, scope="selected")

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
        return review_views.export_response(
            request=request, queryset=changelist.get_queryset(request), scope="filtered"
        )

    def dashboard_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        return review_views.dashboard(request, context=self.admin_site.each_context(request), opts=self.model._meta)
