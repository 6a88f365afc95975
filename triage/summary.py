"""The take-away summary: the result as a one-page PDF the patient can bring along.

Assembled from the same reads as the result page, in words from the ruleset
the answers were scored with, then rendered by WeasyPrint.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from . import selectors
from .models import Disposition, PainDuration, Submission
from .steps import FEET, QUESTION_STEPS


@dataclass(frozen=True)
class AnswerGroup:
    title: str
    yes: tuple[str, ...]
    no: tuple[str, ...]


def summary_answers(*, submission: Submission) -> tuple[AnswerGroup, ...]:
    """The person's yes/no answers in plain words, grouped as they were asked."""
    ruleset = selectors.ruleset_get_version(number=submission.ruleset_version_id)
    groups = []
    for step in QUESTION_STEPS:
        asked = [q for q in ruleset.questions_of_kind(*step.kinds) if q.code in submission.answers]
        if not asked:
            continue
        groups.append(
            AnswerGroup(
                title=step.title,
                yes=tuple(q.summary for q in asked if submission.answers[q.code]),
                no=tuple(q.summary for q in asked if not submission.answers[q.code]),
            )
        )
    return tuple(groups)


def summary_why_we_ask(*, submission: Submission) -> tuple[tuple[str, str], ...]:
    """Why we ask, for the answers that decided the result: (heading, why), questions first, in the order asked.

    Only those, so the summary stays on one page: the answers the deciding
    rule looked at (yes/no questions, and the built-in fields it read: how
    long, how bad, age), the red flags and the context the person reported.
    All in the words of the ruleset the answers were scored with.
    """
    ruleset = selectors.ruleset_get_version(number=submission.ruleset_version_id)
    result = submission.result
    codes = {*result.get("reasons", [])[1:], *result.get("red_flags", []), *result.get("context", [])}
    asked = [ruleset.by_code[code] for code in codes if code in ruleset.by_code]
    lines = [(f"{q.summary}.", q.why_we_ask) for q in sorted(asked, key=lambda q: q.order) if q.why_we_ask]
    texts = selectors.field_texts_get(number=submission.ruleset_version_id)
    lines += [(text.label, text.why_we_ask) for code, text in texts.items() if code in codes and text.why_we_ask]
    return tuple(lines)


def summary_pdf(*, submission: Submission) -> bytes:
    """The one-page PDF summary of a stored result."""
    # Imported here: WeasyPrint loads its native libraries on import, which
    # only the PDF download needs.
    from weasyprint import CSS, HTML

    context = {
        "submission": submission,
        "result": selectors.result_page_get(submission=submission),
        "answer_groups": summary_answers(submission=submission),
        "why_we_ask": summary_why_we_ask(submission=submission),
        "feet_title": FEET.title,
        "disposition_label": Disposition(submission.disposition).label,
        "duration_label": PainDuration(submission.pain_duration).label if submission.pain_duration else "",
    }
    html = render_to_string("triage/summary_pdf.html", context)
    stylesheet = CSS(filename=finders.find("css/summary-pdf.css"))
    return HTML(string=html).write_pdf(stylesheets=[stylesheet])
