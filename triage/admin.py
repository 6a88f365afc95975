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
from audit.admin import ReadOnlyAdminMixin

from . import escalation, preview, scoring, selectors, services
from .models import Clinic, Condition, ConditionWeight, EscalationRule, Question, RulesetVersion


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
    list_display = ["name", "region", "phone", "notify_email", "order"]
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
                version = services.ruleset_publish(
                    note=request.POST.get("note", "")[:200], actor=Actor.from_request(request)
                )
            except ValueError as error:
                self.message_user(request, _("Not published: %(error)s") % {"error": error}, messages.ERROR)
                return HttpResponseRedirect(reverse("admin:triage_rulesetversion_publish"))
            self.message_user(request, _("Published ruleset %(version)s.") % {"version": version})
            return HttpResponseRedirect(reverse("admin:triage_rulesetversion_changelist"))
        try:
            last = min(max(int(request.GET.get("last", preview.PREVIEW_DEFAULT)), 1), preview.PREVIEW_MAX)
        except ValueError:
            last = preview.PREVIEW_DEFAULT
        draft = selectors.draft_content_get()
        published = RulesetVersion.objects.order_by("-number").values_list("content", flat=True).first()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Publish ruleset"),
            "preview": preview.ruleset_change_preview(draft_content=draft, last=last),
            "red_flag_problems": services.red_flag_problems(published=published, draft=draft) if published else [],
            "last": last,
            "preview_max": preview.PREVIEW_MAX,
        }
        return TemplateResponse(request, "admin/triage/rulesetversion/publish.html", context)
