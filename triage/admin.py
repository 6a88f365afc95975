"""Clinical content (conditions, weights, questions, escalation rules, clinics) and publishing rulesets.

The triage queue and a submission's review page are the clinic's side of the
work: they live in review/admin.py (review builds on triage, never the reverse).
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from audit.actor import Actor
from audit.admin import AuditTrailInsteadOfLogEntryMixin, ReadOnlyAdminMixin
from audit.models import AuditAction
from audit.services import audit_record

from . import content, escalation, preview, scoring, selectors, services
from .models import (
    Clinic,
    Condition,
    ConditionWeight,
    EscalationRule,
    Question,
    QuestionnaireField,
    RulesetVersion,
    StaffClinicAccess,
)


class AuditedContentAdmin(AuditTrailInsteadOfLogEntryMixin, admin.ModelAdmin):
    """Every change to the clinical content goes through triage.content: audited, and retired, not deleted,
    once anything else names it. The delete page shows why in counts, never a submission's reference."""

    def save_model(self, request, obj, form, change):
        content.content_save(
            obj=obj, changed_fields=form.changed_data, adding=not change, actor=Actor.from_request(request)
        )

    def get_deleted_objects(self, objs, request):
        _deleted, model_count, perms_needed, _protected = super().get_deleted_objects(objs, request)
        protected = []
        for obj in objs:
            reasons = content.content_references(obj=obj)
            if reasons:
                retire = _(" Retire it instead.") if hasattr(obj, "retired_at") else ""
                protected.append(f"{obj}: {'; '.join(reasons)}.{retire}")
        # Only the rows themselves: the draft rows that go with them are counted, not listed.
        return [str(obj) for obj in objs], model_count, perms_needed, protected

    def delete_model(self, request, obj):
        content.content_delete(obj=obj, actor=Actor.from_request(request))

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            content.content_delete(obj=obj, actor=Actor.from_request(request))


@admin.action(description=_("Retire (leave out of the next published version)"), permissions=["change"])
def retire(modeladmin, request, queryset):
    actor = Actor.from_request(request)
    count = sum(content.content_retire(obj=obj, actor=actor) for obj in queryset)
    modeladmin.message_user(request, _("%(count)d retired. Publish to take them out for patients.") % {"count": count})


class ActiveFilter(admin.SimpleListFilter):
    title = _("retired")
    parameter_name = "retired"

    def lookups(self, request, model_admin):
        return [("no", _("In the draft")), ("yes", _("Retired"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(retired_at__isnull=self.value() == "no")
        return queryset


class ConditionWeightInline(admin.TabularInline):
    model = ConditionWeight
    extra = 1
    autocomplete_fields = ["question"]


@admin.register(Condition)
class ConditionAdmin(AuditedContentAdmin):
    list_display = ["name", "slug", "threshold", "order", "retired_at"]
    list_editable = ["order"]
    list_filter = [ActiveFilter]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ConditionWeightInline]
    actions = [retire]

    def save_formset(self, request, form, formset, change):
        instances = formset.save()
        changes = {
            "added": [w.question.code for w in formset.new_objects],
            "changed": [w.question.code for w, _fields in formset.changed_objects],
            "removed": [w.question.code for w in formset.deleted_objects],
        }
        content.content_weights_changed(condition=form.instance, changes=changes, actor=Actor.from_request(request))
        return instances


@admin.register(Question)
class QuestionAdmin(AuditedContentAdmin):
    list_display = ["code", "text", "kind", "group", "prompts_assessment", "order", "retired_at"]
    list_filter = ["kind", "group", "prompts_assessment", ActiveFilter]
    search_fields = ["code", "text", "summary"]
    list_editable = ["order"]
    actions = [retire]


@admin.register(QuestionnaireField)
class QuestionnaireFieldAdmin(AuditedContentAdmin):
    """The words of the questionnaire's built-in fields (age, how long, the PEG scales, the clinic).

    One row per field, seeded: the fields themselves are part of the code, so
    rows are never added or deleted here. Edits are the draft, published with
    the rest of the content.
    """

    list_display = ["code", "label", "why_we_ask"]
    fields = ["code", "label", "help_text", "why_we_ask"]
    readonly_fields = ["code"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


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
class ClinicAdmin(AuditedContentAdmin):
    list_display = ["name", "region", "phone", "notify_email", "order"]
    list_editable = ["order"]
    prepopulated_fields = {"slug": ["name"]}
    # A booking link typed without a scheme is taken as https (Django 6's default).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(StaffClinicAccess)
class StaffClinicAccessAdmin(admin.ModelAdmin):
    """Who sees which clinics' submissions: set by superusers only (ASVS need to know)."""

    list_display = ["user", "all_clinics"]
    list_filter = ["all_clinics", "clinics"]
    filter_horizontal = ["clinics"]
    autocomplete_fields = ["user"]
    search_fields = ["user__username"]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser

    has_add_permission = has_change_permission = has_delete_permission = has_view_permission

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        audit_record(
            action=AuditAction.CHANGE,
            target=f"clinic access of {form.instance.user}",
            actor=Actor.from_request(request),
            detail={"fields": sorted(form.changed_data)},
        )


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
                version = services.ruleset_publish(
                    note=request.POST.get("note", "")[:200], actor=Actor.from_request(request)
                )
            except ValueError as error:
                self.message_user(request, _("Not published: %(error)s") % {"error": error}, messages.ERROR)
                return HttpResponseRedirect(reverse("admin:triage_rulesetversion_publish"))
            self.message_user(request, _("Published ruleset %(version)s.") % {"version": version})
            return HttpResponseRedirect(reverse("admin:triage_rulesetversion_changelist"))
        days = preview.window_days(request.GET.get("last"))
        draft = selectors.draft_content_get()
        published = RulesetVersion.objects.order_by("-number").values_list("content", flat=True).first()
        change_preview = preview.ruleset_change_preview(draft_content=draft, days=days)
        # The preview is a look at (counts over) patients' answers: recorded like any other.
        audit_record(
            action=AuditAction.VIEW,
            target="ruleset preview",
            actor=Actor.from_request(request),
            detail={"window_days": days, "compared": change_preview.compared},
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Publish ruleset"),
            "preview": change_preview,
            "red_flag_problems": services.red_flag_problems(published=published, draft=draft) if published else [],
            "last": days,
            "windows": preview.WINDOWS_DAYS,
        }
        return TemplateResponse(request, "admin/triage/rulesetversion/publish.html", context)
