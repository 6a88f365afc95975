from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from . import services
from .models import Clinic, Condition, ConditionWeight, Question, RulesetVersion, Submission, Suggestion


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


@admin.register(Clinic)
class ClinicAdmin(admin.ModelAdmin):
    list_display = ["name", "region", "phone", "order"]
    list_editable = ["order"]
    prepopulated_fields = {"slug": ["name"]}
    # A booking link typed without a scheme is taken as https (Django 6's default).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(RulesetVersion)
class RulesetVersionAdmin(admin.ModelAdmin):
    """Published versions are history: they can be read and published, never edited."""

    list_display = ["__str__", "published_at", "published_by", "note"]
    readonly_fields = ["number", "content", "note", "published_at", "published_by"]
    change_list_template = "admin/triage/rulesetversion/change_list.html"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def get_urls(self):
        return [
            path("publish/", self.admin_site.admin_view(self.publish_view), name="triage_rulesetversion_publish"),
            *super().get_urls(),
        ]

    def publish_view(self, request: HttpRequest) -> HttpResponse:
        """Confirm, then freeze the edited content into a new published version."""
        if not request.user.has_perm("triage.add_rulesetversion"):
            raise PermissionDenied
        if request.method == "POST":
            try:
                version = services.ruleset_publish(note=request.POST.get("note", "")[:200], user=request.user)
            except ValueError as error:
                self.message_user(request, _("Not published: %(error)s") % {"error": error}, messages.ERROR)
            else:
                self.message_user(request, _("Published ruleset %(version)s.") % {"version": version})
            return HttpResponseRedirect(reverse("admin:triage_rulesetversion_changelist"))
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, "title": _("Publish ruleset")}
        return TemplateResponse(request, "admin/triage/rulesetversion/publish.html", context)


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    """What patients sent: read-only, since nobody may change what a patient said."""

    list_display = ["reference", "created_at", "disposition", "top_suggestion", "clinic"]
    list_filter = ["disposition", "clinic"]
    list_select_related = ["clinic"]
    search_fields = ["reference"]
    date_hierarchy = "created_at"
    readonly_fields = [field.name for field in Submission._meta.fields if field.name != "idempotency_key"]
    exclude = ["idempotency_key", "token"]

    def get_queryset(self, request: HttpRequest):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch("suggestions", queryset=Suggestion.objects.filter(rank=1).select_related("condition"))
            )
        )

    @admin.display(description=_("top suggestion"))
    def top_suggestion(self, obj: Submission) -> str:
        suggestions = obj.suggestions.all()
        return suggestions[0].condition.name if suggestions else "—"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
