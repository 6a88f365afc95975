"""Log redaction: emails, phone numbers, result tokens and secrets never reach a log line."""

from __future__ import annotations

import io
import json
import logging
import sys

import pytest

from clinic_site.logs import JsonFormatter, RedactFilter, path_for_log, redact

EMAILS = ["aroha@example.com", "aroha.ngata+clinic@mail.example.co.nz", "A_N-1@sub-domain.example.org"]
PHONES = ["021 555 0199", "+64 21 555 0199", "(09) 123-4567", "0215550199", "021-555-0199", "09.123.4567"]


@pytest.mark.parametrize("email", EMAILS)
def test_an_email_in_a_message_is_masked(email):
    assert redact(f"could not send to {email}, will retry") == "could not send to <email>, will retry"


@pytest.mark.parametrize("phone", PHONES)
def test_a_phone_number_in_a_message_is_masked(phone):
    assert redact(f"call {phone} back") == "call <number> back"


def test_a_database_error_quoting_a_contact_row_is_masked():
    message = "duplicate key: Key (contact_email, contact_phone)=(aroha@example.com, 021 555 0199) already exists."
    assert redact(message) == "duplicate key: Key (contact_email, contact_phone)=(<email>, <number>) already exists."


@pytest.mark.parametrize("message", ["GET /check/ 200", "3 submissions purged, 12 kept", "step 4 of 6 took 35 ms"])
def test_short_numbers_and_plain_words_are_left_alone(message):
    assert redact(message) == message


def test_a_long_random_string_is_masked_as_a_secret():
    assert redact("session 0123456789abcdefghijABCDEFGHIJ_-xy expired") == "session <secret> expired"


@pytest.mark.parametrize(
    ("path", "logged"),
    [
        ("/result/Zx8_kQ-3mN2pL0aB/", "/result/<token>/"),
        ("/result/Zx8_kQ-3mN2pL0aB/delete/", "/result/<token>/delete/"),
        ("/result/Zx8_kQ-3mN2pL0aB/summary.pdf", "/result/<token>/summary.pdf"),
        ("/aroha@example.com/0215550199/", "/<email>/<number>/"),
        ("/check/symptoms/", "/check/symptoms/"),
    ],
)
def test_a_path_is_logged_with_tokens_emails_and_phone_numbers_masked(path, logged):
    assert path_for_log(path) == logged


def record(msg: str, *args, exc_info=None, **extra) -> logging.LogRecord:
    made = logging.LogRecord("clinic", logging.WARNING, __file__, 1, msg, args, exc_info)
    made.__dict__.update(extra)
    return made


def test_the_filter_masks_the_message_after_its_arguments_are_filled_in():
    entry = record("booking for %s on %s failed", "aroha@example.com", "021 555 0199")
    assert RedactFilter().filter(entry) is True
    assert entry.getMessage() == "booking for <email> on <number> failed"
    assert entry.args == ()


def test_a_log_line_is_one_json_object_with_only_the_known_extra_fields():
    entry = record("request", method="GET", path="/check/", status=200, answers={"saddle_numbness": True})
    line = JsonFormatter().format(entry)
    assert "\n" not in line
    data = json.loads(line)
    assert {key: data[key] for key in ("level", "logger", "msg", "method", "path", "status")} == {
        "level": "WARNING",
        "logger": "clinic",
        "msg": "request",
        "method": "GET",
        "path": "/check/",
        "status": 200,
    }
    assert "answers" not in data


def test_an_exception_message_is_masked_and_its_stack_holds_frames_only():
    try:
        raise ValueError("Key (contact_email)=(aroha@example.com) already exists")
    except ValueError:
        entry = record("failed", exc_info=sys.exc_info())
    data = json.loads(JsonFormatter().format(entry))
    assert data["exc_type"] == "ValueError"
    assert data["exc"] == "Key (contact_email)=(<email>) already exists"
    assert "aroha" not in json.dumps(data)
    assert all(frame.count(" ") == 1 and ":" in frame for frame in data["stack"])


def test_the_sites_log_handler_masks_what_any_logger_writes():
    handler = next(h for h in logging.getLogger().handlers if isinstance(h.formatter, JsonFormatter))
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    try:
        logging.getLogger("triage.anything").warning("no reply from %s or %s", "aroha@example.com", "021 555 0199")
    finally:
        handler.setStream(previous)
    assert json.loads(buffer.getvalue())["msg"] == "no reply from <email> or <number>"
