"""The triage queue's bulk actions: each calls a service, which records and audits the change."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from audit.actor import Actor
from triage.models import ReviewStatus, Submission

from . import services, views


@admin.action(description=_("Assign to me"), permissions=["change"])
def assign_to_me(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Submission]) -> None:
    actor = Actor.from_request(request)
    count = 0
    for submission in queryset:
        if submission.assigned_to_id != request.user.pk:
            services.submission_assign(submission=submission, assignee=request.user, actor=actor)
            count += 1
    modeladmin.message_user(request, _("%(count)d submission(s) assigned to you.") % {"count": count})


@admin.action(description=_("Mark contacted"), permissions=["change"])
def mark_contacted(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Submission]) -> None:
    actor = Actor.from_request(request)
    moved = 0
    refused: dict[str, list[str]] = {}  # why -> references, one message per reason
    for submission in queryset:
        try:
            services.submission_status_change(submission=submission, to_status=ReviewStatus.CONTACTED, actor=actor)
            moved += 1
        except ValidationError as error:
            refused.setdefault(" ".join(error.messages), []).append(submission.reference)
    if moved:
        modeladmin.message_user(request, _("%(count)d submission(s) marked contacted.") % {"count": moved})
    for why, references in refused.items():
        modeladmin.message_user(
            request,
            _("Not changed (%(references)s): %(why)s") % {"references": ", ".join(references), "why": why},
            messages.ERROR,
        )


@admin.action(description=_("Export selected as CSV"), permissions=["export"])
def export_csv(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Submission]) -> HttpResponse:
    return views.export_response(request=request, queryset=queryset, scope="selected")
