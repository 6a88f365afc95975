"""The triage queue's filters: each narrows the changelist with one indexed condition."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from triage.models import RED_FLAG_DISPOSITIONS, Condition

from .selectors import queue


class QueueViewFilter(admin.SimpleListFilter):
    """The call list's first choice: "Needs action" (the default, no parameter) or "All submissions".

    A search looks through all submissions: the person on the phone is found
    whatever their status.
    """

    title = _("call list")
    parameter_name = queue.VIEW_PARAM

    def __init__(self, request, params, model, model_admin):
        self.shows_all = queue.queue_shows_all(params=request.GET)
        super().__init__(request, params, model, model_admin)

    def lookups(self, request, model_admin):
        return [(queue.VIEW_ALL, _("All submissions"))]

    def queryset(self, request, queryset):
        return queryset if self.shows_all else queue.queue_needs_action(queryset=queryset)

    def choices(self, changelist):
        yield {
            "selected": not self.shows_all,
            "query_string": changelist.get_query_string(remove=[self.parameter_name, queue.SEARCH_PARAM]),
            "display": _("Needs action"),
        }
        yield {
            "selected": self.shows_all,
            "query_string": changelist.get_query_string({self.parameter_name: queue.VIEW_ALL}),
            "display": _("All submissions"),
        }


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
