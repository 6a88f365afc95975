"""The result page says it once, briefly: about 250 words for a typical result, no sentence twice.

Each clinician example (tests/data/triage_examples.json) is answered the way
the questionnaire asks it (every question on the screens the person sees, "no"
unless the example says yes), stored, and its result page read as a patient
reads it as the page opens: the main content, without the site's header and
footer, without hidden controls or the inside of a closed "What the clinic
can do" (its summary line counts; the rest is read only by those who open
it), and without the list of clinics when it is a chooser of several (it
grows with the number of clinics, not with the result).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from tests.conftest import EXAMPLES, own_result
from triage import scoring, services
from triage.models import Clinic

pytestmark = pytest.mark.django_db

# "About 250 words": the most a typical (book an assessment) result may take.
BOOK_ASSESSMENT_MAX_WORDS = 300
# The other results say less: what to do now, why, and the reference.
OTHER_MAX_WORDS = 250
BREAKS = {"p", "li", "h1", "h2", "h3", "summary", "div", "section", "br"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class MainText(HTMLParser):
    """The words a patient reads in <main>, leaving out hidden elements and (when asked) the clinic chooser."""

    def __init__(self, *, skip_clinics: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.skip_clinics = skip_clinics
        # The open elements inside <main>: (tag, left out with what it holds, a closed <details>).
        self.open: list[tuple[str, bool, bool]] = []
        self.chunks: list[str] = []

    def left_out(self, tag: str, attrs: dict) -> bool:
        if "hidden" in attrs or "visually-hidden" in (attrs.get("class") or ""):
            return True
        if self.skip_clinics and attrs.get("aria-labelledby") == "clinics-heading":
            return True
        # A closed <details> shows its <summary> only.
        return bool(self.open) and self.open[-1][2] and tag != "summary"

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "main":
            self.open = [("main", False, False)]
        elif self.open and tag not in VOID:
            self.open.append((tag, self.left_out(tag, attrs), tag == "details" and "open" not in attrs))
        if tag in BREAKS:
            self.chunks.append("\n")

    def handle_endtag(self, tag):
        if self.open and tag not in VOID:
            self.open.pop()
        if tag in BREAKS:
            self.chunks.append("\n")

    def handle_data(self, data):
        if self.open and not any(left_out for _tag, left_out, _closed in self.open):
            self.chunks.append(data)

    @property
    def text(self) -> str:
        return "".join(self.chunks)


def words(text: str) -> list[str]:
    return re.findall(r"[\w\u2019'-]+", text)


def sentences(text: str) -> list[str]:
    """Each sentence (or list item, or heading) in lower case, without its closing punctuation."""
    parts = re.split(r"(?<=[.!?])\s+|\n+", text)
    return [" ".join(words(part)).lower() for part in parts if len(words(part)) >= 4]


def answered_as_asked(ruleset: scoring.Ruleset, yes: set[str]) -> dict[str, bool]:
    """Every question the person is shown, in order, "yes" only for ``yes``; a red flag ends the questions.

    A follow-up the example answers yes was reached by ticking the place it asks about (the examples
    name the follow-up, not always that place): the first place that enables it is ticked too.
    """
    yes = set(yes)
    for question in ruleset.questions:
        if question.code in yes and question.enable_when and not any(code in yes for code, _ in question.enable_when):
            yes.add(question.enable_when[0][0])
    answers: dict[str, bool] = {}
    for question in ruleset.questions:
        if question.enable_when and not ruleset.question_enabled(question, answers):
            continue
        answers[question.code] = question.code in yes
    if any(answers[q.code] for q in ruleset.questions_of_kind(scoring.EMERGENCY, scoring.DOCTOR_TODAY)):
        return {q.code: answers[q.code] for q in ruleset.questions_of_kind(*scoring.SAFETY_KINDS)}
    return answers


def result_text(client, ruleset, case) -> str:
    yes = {code for code, value in case["answers"].items() if value}
    submission = services.submission_create(
        ruleset=ruleset,
        answers=answered_as_asked(ruleset, yes),
        pain_duration=case.get("pain_duration") or "",
        pain_intensity=case.get("pain_intensity"),
    )
    assert submission.disposition == case["disposition"]
    own_result(client, submission)
    response = client.get(reverse("triage:result", kwargs={"token": submission.token}))
    assert response.status_code == 200
    parser = MainText(skip_clinics=Clinic.objects.count() > 1)
    parser.feed(response.content.decode())
    return parser.text


@pytest.mark.parametrize("case", EXAMPLES, ids=[case["id"] for case in EXAMPLES])
def test_a_typical_result_is_about_250_words(client, db_ruleset, case):
    count = len(words(result_text(client, db_ruleset, case)))
    limit = BOOK_ASSESSMENT_MAX_WORDS if case["disposition"] == "book_assessment" else OTHER_MAX_WORDS
    assert count <= limit, f"{case['id']}: {count} words"


@pytest.mark.parametrize("case", EXAMPLES, ids=[case["id"] for case in EXAMPLES])
def test_a_result_never_says_the_same_sentence_twice(client, db_ruleset, case):
    said = sentences(result_text(client, db_ruleset, case))
    repeated = sorted({sentence for sentence in said if said.count(sentence) > 1})
    assert repeated == []


def test_the_count_leaves_out_the_header_footer_hidden_controls_and_clinic_chooser():
    parser = MainText(skip_clinics=True)
    parser.feed(
        "<header>Site name here</header><main><h1>Book it now</h1><br><p>One two three.</p>"
        '<button hidden>Print this page</button><span class="visually-hidden">Error:</span>'
        '<section aria-labelledby="clinics-heading"><h2>Our clinics</h2><p>A long list</p></section>'
        "<details><summary>Read more</summary><p>Folded <em>away</em></p></details>"
        "<details open><summary>Opened</summary><p>Shown</p></details>"
        "</main><footer>Call 111</footer>"
    )
    assert words(parser.text) == ["Book", "it", "now", "One", "two", "three", "Read", "more", "Opened", "Shown"]
    assert sentences("One two three four. One two three four!\nA heading of words") == [
        "one two three four",
        "one two three four",
        "a heading of words",
    ]
