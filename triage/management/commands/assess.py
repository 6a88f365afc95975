"""Score one set of answers from stdin against the published ruleset.

    echo '{"answers": {"groin_pain": true}}' | python manage.py assess

Prints one JSON object on stdout and stores nothing. Bad input exits with
status 2 and a one-line message on stderr naming what is wrong.
"""

from __future__ import annotations

import json
import sys

from django.core.management.base import BaseCommand
from django.db import DatabaseError

from triage import scoring, selectors
from triage.payload import InvalidPayload, answers_from_payload, assessment_to_payload


class Command(BaseCommand):
    help = "Score answers (JSON on stdin) with the published ruleset and print the result as JSON."

    def handle(self, *args, **options) -> None:
        raw = sys.stdin.buffer.read()
        try:
            payload = json.loads(raw)
        except json.JSONDecodeError as error:
            self._fail(f"input is not valid JSON ({error.msg} at line {error.lineno}, column {error.colno})")
        except UnicodeDecodeError:
            self._fail("input is not valid JSON (it is not UTF-8 text)")
        except RecursionError:
            self._fail("input is not valid JSON (nested too deeply)")
        try:
            ruleset = selectors.ruleset_get()
        except selectors.NoPublishedRuleset as error:
            self._fail(str(error))
        except DatabaseError as error:
            self._fail(f"cannot read the ruleset from the database ({error.__class__.__name__}); run the migrations")
        try:
            answers = answers_from_payload(payload, ruleset)
        except InvalidPayload as error:
            self._fail(str(error))
        assessment = scoring.score(ruleset, answers)
        self.stdout.write(json.dumps(assessment_to_payload(assessment)))

    def _fail(self, message: str) -> None:
        sys.stderr.write(f"assess: {message}\n")
        sys.exit(2)
