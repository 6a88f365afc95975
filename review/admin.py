"""The change history of outcomes, for superusers: read-only, like the audit trail.

(A submission's own review history is behind its "History" button; notes and
status changes are shown on the submission's page.)
"""

from __future__ import annotations

from django.contrib import admin

from audit.admin import SuperuserReadOnlyMixin

from .models import Outcome

HistoricalOutcome = Outcome.history.model


@admin.register(HistoricalOutcome)
class HistoricalOutcomeAdmin(SuperuserReadOnlyMixin, admin.ModelAdmin):
    list_display = ["history_date", "submission", "history_user", "history_type", "other", "none_found", "detail"]
    list_select_related = ["submission", "history_user"]
    list_filter = ["history_type"]
    search_fields = ["submission__reference"]
    date_hierarchy = "history_date"
