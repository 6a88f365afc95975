"""What a submission's review page shows below the follow-up fields: outcome, notes, status history."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from audit.admin import ReadOnlyAdminMixin

from .forms import OutcomeForm
from .models import Note, Outcome, StatusChange


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


class StatusChangeInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = StatusChange
    fields = ["changed_at", "by", "from_status", "to_status", "reason"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = _("status history")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("changed_by")

    @admin.display(description=_("by"))
    def by(self, obj: StatusChange) -> str:
        """The person who moved it, or the self-check itself (a check-in with a new warning sign)."""
        return str(obj.changed_by) if obj.changed_by_id else _("the self-check (a check-in)")
