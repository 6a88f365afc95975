"""Random and malformed input never gets a server error or a traceback (hypothesis).

Example counts are kept small so the suite stays fast (FUZZ_EXAMPLES raises
them for a deeper run by hand); the strategies aim at
what matters: real field names with wrong values, wrong step names, odd text.
"""

from __future__ import annotations

import io
import json
import os
import sys
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.triage.test_views import STEPS, answer_steps, step_url
from triage import scoring

pytestmark = pytest.mark.django_db

# FUZZ_EXAMPLES=500 for a deeper run by hand; the suite keeps it small.
FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", 25)),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Text a browser (or an attacker's script) could send: anything encodable, so no lone surrogates.
texts = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300)
values = st.one_of(
    st.sampled_from(
        ["yes", "no", "on", "", "0", "10", "11", "-1", "1e9", "null", "over_12_weeks", "99999", "none", "groin_pain"]
    ),
    texts,
    st.integers().map(str),
)


def field_names(ruleset: scoring.Ruleset, step: str) -> list[str]:
    names = {
        "duration": ["pain_duration"],
        "intensity": ["pain_intensity"],
        "contact": ["clinic", "contact_consent", "contact_name", "contact_email", "contact_phone"],
    }.get(step, ["ticked"])  # the checklists
    return [f"{step}-{name}" for name in names]


@pytest.mark.parametrize("step", STEPS)
def test_any_post_to_any_step_gets_a_page_not_a_server_error(step, db_ruleset):
    keys = st.one_of(st.sampled_from(field_names(db_ruleset, step)), texts)
    management = st.one_of(st.sampled_from([*STEPS, "done", ""]), texts)

    @FUZZ
    @given(data=st.dictionaries(keys, values, max_size=20), current_step=management, as_list=st.booleans())
    def check(data, current_step, as_list):
        client = Client(raise_request_exception=False)
        client.get(reverse("triage:check"))
        previous = STEPS[STEPS.index(step) - 1] if step != STEPS[0] else None
        if previous:
            answer_steps(client, db_ruleset, upto=previous)
        payload = {**data, "self_check_wizard-current_step": current_step}
        if as_list:  # the same field sent twice, as a tampered form can
            payload = {key: [value, value] for key, value in payload.items()}
        response = client.post(step_url(step), payload)
        assert response.status_code < 500, response.content[:500]
        assert b"Traceback" not in response.content

    check()


@pytest.mark.parametrize("suffix", ["", "delete/"])
def test_any_result_address_gets_a_page_not_a_server_error(suffix, db):
    @FUZZ
    @given(token=texts, method=st.sampled_from(["get", "post"]))
    def check(token, method):
        client = Client(raise_request_exception=False)
        response = getattr(client, method)(f"/result/{quote(token, safe='')}/{suffix}")
        # 400: a NUL byte in the address (clinic_site.bad_query.BadQueryMiddleware).
        assert response.status_code in ({400} if "\x00" in token else {404, 405}), response.status_code
        assert b"Traceback" not in response.content

    check()


def run_assess(raw: bytes) -> tuple[int, str]:
    stdin = io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8")
    stdout, stderr = io.StringIO(), io.StringIO()
    original = sys.stdin, sys.stderr
    sys.stdin, sys.stderr = stdin, stderr
    try:
        call_command("assess", stdout=stdout)
        code = 0
    except SystemExit as exit_:
        code = exit_.code
    finally:
        sys.stdin, sys.stderr = original
    return code, stdout.getvalue() + stderr.getvalue()


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | texts,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(texts, children, max_size=4),
    max_leaves=12,
)


def payloads(ruleset_codes: list[str]):
    answers = st.dictionaries(st.one_of(st.sampled_from(ruleset_codes), texts), json_values, max_size=8)
    return st.one_of(
        st.fixed_dictionaries(
            {"answers": answers},
            optional={"pain_duration": json_values, "pain_intensity": json_values},
        ).map(lambda p: json.dumps(p).encode()),
        json_values.map(lambda p: json.dumps(p).encode()),
        st.binary(max_size=200),
    )


def test_assess_answers_any_input_with_json_or_a_one_line_error(db_ruleset):
    @FUZZ
    @given(raw=payloads([q.code for q in db_ruleset.questions]))
    def check(raw):
        code, output = run_assess(raw)
        assert code in {0, 2}
        assert "Traceback" not in output
        if code == 0:
            assert "disposition" in json.loads(output)
        else:
            assert output.startswith("assess: ") and output.count("\n") == 1

    check()
