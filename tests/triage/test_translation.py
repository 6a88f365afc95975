"""Every patient-facing word goes through gettext, so a catalogue can translate the whole self-check.

Two checks: a scan of every patient-facing template's source that fails on
words written outside ``{% translate %}`` / ``{% blocktranslate %}``, and a
fake catalogue (every message wrapped in ⟦ ⟧) showing that the messages
Python hands the patient (the rate-limit warning, the bad-request problem,
the retention periods) are looked up too.
"""

from __future__ import annotations

import gettext as gettext_module
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.template.base import Lexer, TokenType
from django.urls import reverse
from django.utils.translation import trans_real

from clinic_site.bad_query import query_problem
from clinic_site.context_processors import retention_in_words

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# Staff pages (the admin, sign-in codes) and the notification emails are not the patient's screens.
NOT_PATIENT_FACING = ("admin/", "registration/", "notifications/")
# Names, not words to translate.
PROPER_NAMES = ("Foot Foundation",)
# Attributes a screen reader or the browser shows as text (and a meta description's content).
TEXT_ATTRIBUTES = {"alt", "title", "placeholder", "aria-label"}


def patient_templates() -> list[str]:
    names = sorted(str(path.relative_to(TEMPLATES)) for path in TEMPLATES.rglob("*.html"))
    return [name for name in names if not name.startswith(NOT_PATIENT_FACING)]


def skeleton(source: str) -> str:
    """The template's HTML with every tag, variable, comment and translated text taken out."""
    kept, skipping = [], None
    for token in Lexer(source).tokenize():
        if token.token_type is TokenType.BLOCK:
            command = token.contents.split()[0]
            if skipping:
                if command == skipping:
                    skipping = None
            elif command in ("blocktranslate", "blocktrans"):
                skipping = "end" + command
            elif command == "comment":
                skipping = "endcomment"
        elif token.token_type is TokenType.TEXT and not skipping:
            kept.append(token.contents)
    return "".join(kept)


class UntranslatedWords(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.in_script_or_style = False

    def handle_starttag(self, tag, attrs):
        self.in_script_or_style = tag in ("script", "style")
        shown = TEXT_ATTRIBUTES | ({"content"} if ("name", "description") in attrs else set())
        for name, value in attrs:
            if name in shown and value and name_is_words(value):
                self.found.append(f'{tag} {name}="{value}"')

    def handle_endtag(self, tag):
        self.in_script_or_style = False

    def handle_data(self, data):
        if not self.in_script_or_style and name_is_words(data):
            self.found.append(data.strip())


def name_is_words(text: str) -> bool:
    for name in PROPER_NAMES:
        text = text.replace(name, "")
    return bool(re.search(r"[^\W\d_]{2,}", text))


def untranslated(source: str) -> list[str]:
    parser = UntranslatedWords()
    parser.feed(skeleton(source))
    parser.close()
    return parser.found


def test_the_scan_finds_words_outside_translate_tags():
    source = (
        '{% load i18n %}<h1>{% translate "Fine" %}</h1>{# a comment #}'
        '<p>{% blocktranslate trimmed %}Fine <a href="x">too</a>{% endblocktranslate %}</p>'
        '<p>Not marked</p><img alt="Not marked either" src="{{ src }}">{% comment %}ignored{% endcomment %}'
        "<p>{{ variable }}.</p><p>Foot Foundation ·</p>"
    )
    assert untranslated(source) == ["Not marked", 'img alt="Not marked either"']


def test_the_scan_covers_every_patient_page():
    names = patient_templates()
    for page in (
        "base.html",
        "429.html",
        "triage/result.html",
        "triage/privacy.html",
        "triage/under_16.html",
        "triage/result_confirm_delete.html",
        "triage/_collection_notice.html",
        "booking/booking_request.html",
        "triage/summary_pdf.html",
    ):
        assert page in names


@pytest.mark.parametrize("name", patient_templates())
def test_every_word_on_a_patient_page_is_marked_for_translation(name):
    assert untranslated((TEMPLATES / name).read_text()) == []


class WrappingCatalogue(gettext_module.NullTranslations):
    """A catalogue that "translates" every message by wrapping it in ⟦ ⟧, so a missed lookup shows."""

    def gettext(self, message):
        return f"⟦{message.split(chr(4))[-1]}⟧"

    def ngettext(self, singular, plural, n):
        return f"⟦{singular if n == 1 else plural}⟧"

    def language(self):
        return settings.LANGUAGE_CODE

    def to_language(self):
        return settings.LANGUAGE_CODE


@pytest.fixture
def wrapping_catalogue(monkeypatch):
    catalogue = WrappingCatalogue()
    monkeypatch.setitem(trans_real._translations, settings.LANGUAGE_CODE, catalogue)
    monkeypatch.setattr(trans_real, "_default", catalogue)
    monkeypatch.setattr(trans_real._active, "value", catalogue, raising=False)
    return catalogue


def test_retention_periods_are_looked_up_in_the_catalogue(wrapping_catalogue):
    assert retention_in_words(1) == "⟦1 day⟧"
    assert retention_in_words(180) == "⟦180 days⟧"
    assert retention_in_words(3653) == "⟦10 years⟧"


def test_a_bad_request_problem_is_looked_up_in_the_catalogue(wrapping_catalogue, rf):
    assert query_problem(rf.get("/", {"q": "a\x00b"})) == "⟦A search or filter value contains a NUL character.⟧"
    assert query_problem(rf.get("/", {"page": "9" * 30})) == "⟦The value of 'page' is too large a number.⟧"


@pytest.mark.django_db
def test_the_pages_render_through_the_catalogue(wrapping_catalogue, client):
    for url in (reverse("triage:landing"), reverse("triage:privacy")):
        content = client.get(url).content.decode()
        assert "⟦Skip to main content⟧" in content
        assert "⟦Your privacy⟧" in content or "⟦How we look after your information⟧" in content
        assert "⟦Read the full privacy notice⟧" in content or "⟦Contact our privacy officer⟧" in content
