"""The call list's changelist: its search kinds, its query, its page count, and the actions other apps add.

Split out of review/admin.py (issue 10: no module over 400 lines); SubmissionAdmin uses these unchanged.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib.admin import helpers
from django.contrib.admin.views.main import ChangeList
from django.core.paginator import Paginator
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from triage import services as triage_services

from .selectors import queue

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


def extra_actions() -> list:
    """The queue actions other apps offer, named in settings.SUBMISSION_ADMIN_EXTRA_ACTIONS.

    clinic_site composes the site: review may not import interop (they are
    siblings), and interop patching this admin at import time depended on the
    order of INSTALLED_APPS.
    """
    return [import_string(dotted) for dotted in getattr(settings, "SUBMISSION_ADMIN_EXTRA_ACTIONS", [])]


class QueueCheckboxMixin:
    """Each row's selection checkbox written directly, the same markup Django renders.

    The admin renders it through the form widget templates, once per row: a
    fifth of the call list's time (about 20 ms of 90 for a page of 50).
    """

    def action_checkbox(self, obj) -> str:
        label = format_html(_("Select this object for an action - {}"), str(obj))
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            obj.pk,
            label,
        )


class QueueChangeList(ChangeList):
    def get_queryset(self, request, exclude_parameters=None):
        # The queue never shows the answers or the full scoring record: do not
        # read them from the database for every row.
        return super().get_queryset(request, exclude_parameters).defer("answers", "result")


class QueuePaginator(Paginator):
    """The call list's pages, counted through indexes (see queue.queue_needs_action_count)."""

    def __init__(self, *args, needs_action: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.needs_action = needs_action

    @cached_property
    def count(self) -> int:
        if self.needs_action:
            return queue.queue_needs_action_count(queryset=self.object_list)
        return super().count
