"""`manage.py assess`: the command-line contract, in process and from outside."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from audit.actor import SYSTEM
from tests.conftest import EXAMPLES
from triage.models import ConditionWeight, Submission
from triage.services import ruleset_publish

ROOT = Path(__file__).resolve().parents[2]


class _Stdin:
    def __init__(self, data: bytes) -> None:
        self.buffer = io.BytesIO(data)


def run_assess(monkeypatch, capsys, data: bytes | str) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", _Stdin(data.encode() if isinstance(data, str) else data))
    code = 0
    try:
        call_command("assess")
    except SystemExit as exit_:
        code = exit_.code
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.django_db
@pytest.mark.parametrize("case", EXAMPLES, ids=[case["id"] for case in EXAMPLES])
def test_clinician_examples_through_the_command(monkeypatch, capsys, case):
    request = {key: case[key] for key in ("answers", "pain_duration", "pain_intensity") if key in case}
    code, out, err = run_assess(monkeypatch, capsys, json.dumps(request))
    assert (code, err) == (0, "")
    result = json.loads(out)
    assert set(result) == {"disposition", "conditions", "drivers", "red_flags", "peg", "acc_possible", "reasons"}
    assert result["disposition"] == case["disposition"]
    if "top" in case:
        assert result["conditions"][0]["slug"] == case["top"]
    if case.get("no_conditions"):
        assert result["conditions"] == []
    for driver in case.get("drivers", []):
        assert driver in result["drivers"]


@pytest.mark.django_db
def test_output_lists_suggested_conditions_highest_first_with_why(monkeypatch, capsys):
    code, out, _ = run_assess(
        monkeypatch,
        capsys,
        '{"answers": {"low_back_buttock_pain": true, "radiating_leg_pain": true, '
        '"tingling_numbness_burning": true, "pelvic_instability": true, "fever_unwell": false}}',
    )
    result = json.loads(out)
    assert code == 0
    assert [c["slug"] for c in result["conditions"]] == ["sciatica", "si-joint"]
    assert result["conditions"][0] == {
        "slug": "sciatica",
        "name": "Sciatica and nerve-related pain",
        "score": 0.778,
        "matched": ["radiating_leg_pain", "tingling_numbness_burning", "low_back_buttock_pain"],
        "against": ["worse_prolonged_standing_walking"],
    }
    assert result["red_flags"] == [] and result["drivers"] == []


@pytest.mark.django_db
def test_red_flags_are_listed(monkeypatch, capsys):
    _, out, _ = run_assess(monkeypatch, capsys, '{"answers": {"night_pain_unrelenting": true, "major_trauma": true}}')
    result = json.loads(out)
    assert result["disposition"] == "emergency"
    assert result["red_flags"] == ["major_trauma", "night_pain_unrelenting"]
    assert result["reasons"] == ["emergency_sign", "major_trauma"]


@pytest.mark.django_db
def test_a_cancer_history_is_context_for_the_rules_not_a_red_flag_of_its_own(monkeypatch, capsys):
    # Ruleset 2 (issue 11) moved it out of the doctor-today questions into the escalation rules.
    _, out, _ = run_assess(monkeypatch, capsys, '{"answers": {"cancer_history": true}}')
    result = json.loads(out)
    assert (result["disposition"], result["red_flags"]) == ("see_gp_soon", [])
    assert result["reasons"] == ["cancer_alone", "cancer_history"]


@pytest.mark.django_db
def test_empty_answers_are_allowed_and_optional_fields_may_be_left_out(monkeypatch, capsys):
    code, out, _ = run_assess(monkeypatch, capsys, '{"answers": {}}')
    assert code == 0
    assert json.loads(out) == {
        "disposition": "self_care",
        "conditions": [],
        "drivers": [],
        "red_flags": [],
        "peg": None,
        "acc_possible": False,
        "reasons": ["nothing_urgent"],
    }


@pytest.mark.django_db
def test_assess_stores_nothing(monkeypatch, capsys):
    run_assess(monkeypatch, capsys, '{"answers": {"groin_pain": true}}')
    assert Submission.objects.count() == 0


@pytest.mark.django_db
def test_assess_uses_the_published_ruleset_from_the_database(monkeypatch, capsys):
    request = '{"answers": {"groin_pain": true}}'  # 3/9: below the threshold as seeded
    assert json.loads(run_assess(monkeypatch, capsys, request)[1])["conditions"] == []
    ConditionWeight.objects.filter(condition_id="hip-impingement", question__code="groin_pain").update(weight=6)
    # A draft edit changes nothing until it is published...
    assert json.loads(run_assess(monkeypatch, capsys, request)[1])["conditions"] == []
    ruleset_publish(note="groin pain counts more", actor=SYSTEM)
    # ...then 6/12 = 0.5 suggests it.
    assert json.loads(run_assess(monkeypatch, capsys, request)[1])["conditions"][0]["slug"] == "hip-impingement"


BAD_INPUTS = [
    ("not-json", b"this is not json", "not valid JSON"),
    ("empty-input", b"", "not valid JSON"),
    ("not-utf8", b"\xff\xfe{", "not valid JSON"),
    ("deeply-nested", b"[" * 100_000, "not valid JSON"),
    ("not-an-object", b"[1, 2]", "must be a JSON object"),
    ("answers-missing", b"{}", "'answers' is required"),
    ("answers-not-object", b'{"answers": ["groin_pain"]}', "'answers' must be an object"),
    ("unknown-code", b'{"answers": {"sore_toe": true}}', "unknown question code 'sore_toe'"),
    ("non-boolean-answer", b'{"answers": {"groin_pain": "yes"}}', "answer to 'groin_pain' must be true or false"),
    ("numeric-answer", b'{"answers": {"groin_pain": 1}}', "answer to 'groin_pain' must be true or false, not 1"),
    ("unknown-duration", b'{"answers": {}, "pain_duration": "2_weeks"}', "'pain_duration' must be one of"),
    ("intensity-too-high", b'{"answers": {}, "pain_intensity": 11}', "'pain_intensity' must be a whole number"),
    ("intensity-negative", b'{"answers": {}, "pain_intensity": -1}', "'pain_intensity' must be a whole number"),
    ("intensity-fraction", b'{"answers": {}, "pain_intensity": 2.5}', "'pain_intensity' must be a whole number"),
    ("intensity-string", b'{"answers": {}, "pain_intensity": "5"}', "'pain_intensity' must be a whole number"),
    ("unknown-field", b'{"answers": {}, "weight": 40}', "unknown field 'weight'"),
    ("age-under-16", b'{"answers": {}, "age": 15}', "'age' must be a whole number of years from 16 to 110"),
    ("age-over-110", b'{"answers": {}, "age": 111}', "'age' must be a whole number of years from 16 to 110"),
    ("age-fraction", b'{"answers": {}, "age": 40.5}', "'age' must be a whole number of years"),
    ("age-string", b'{"answers": {}, "age": "40"}', "'age' must be a whole number of years"),
    ("age-boolean", b'{"answers": {}, "age": true}', "'age' must be a whole number of years"),
    (
        "enjoyment-too-high",
        b'{"answers": {}, "enjoyment_interference": 11}',
        "'enjoyment_interference' must be a whole number from 0 to 10",
    ),
    (
        "activity-negative",
        b'{"answers": {}, "activity_interference": -1}',
        "'activity_interference' must be a whole number from 0 to 10",
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("data", "fragment"), [c[1:] for c in BAD_INPUTS], ids=[c[0] for c in BAD_INPUTS])
def test_bad_input_exits_2_with_one_line_on_stderr_and_nothing_on_stdout(monkeypatch, capsys, data, fragment):
    code, out, err = run_assess(monkeypatch, capsys, data)
    assert code == 2
    assert out == ""
    assert fragment in err
    assert err.count("\n") == 1 and err.endswith("\n")
    assert "Traceback" not in err


@pytest.fixture(scope="module")
def migrated_database(tmp_path_factory):
    """A real SQLite file, migrated, for running the command as a separate process."""
    path = tmp_path_factory.mktemp("assess") / "db.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{path}"}
    subprocess.run([sys.executable, "manage.py", "migrate", "--no-input", "-v0"], cwd=ROOT, env=env, check=True)
    return env


def run_outside(env, data: bytes) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "assess"], cwd=ROOT, env=env, input=data, capture_output=True, timeout=60
    )


def test_from_outside_a_good_request_prints_one_json_object(migrated_database):
    done = run_outside(migrated_database, b'{"answers": {"pain_lying_on_side": true, "outer_hip_tenderness": true}}')
    assert done.returncode == 0
    assert done.stderr == b""
    assert json.loads(done.stdout)["conditions"][0]["slug"] == "hip-bursitis"
    assert done.stdout.count(b"\n") == 1


@pytest.mark.parametrize(
    "data",
    [
        b"{nope",
        b'{"answers": {"x": true}}',
        b'{"answers": {"groin_pain": null}}',
        b'{"answers": {}, "pain_intensity": 99}',
    ],
)
def test_from_outside_bad_input_exits_2_without_a_traceback(migrated_database, data):
    done = run_outside(migrated_database, data)
    assert done.returncode == 2
    assert done.stdout == b""
    assert done.stderr.count(b"\n") == 1
    assert b"Traceback" not in done.stderr


def test_from_outside_an_unmigrated_database_is_a_clear_error(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}"}
    done = run_outside(env, b'{"answers": {}}')
    assert done.returncode == 2
    assert b"run the migrations" in done.stderr
    assert b"Traceback" not in done.stderr
