"""Simulated patients for ``make load``: each completes the whole self-check as a browser would.

About 1 in 10 journeys raises a red flag on the first step (the questionnaire
ends there); about 1 in 8 double-clicks the final submit (two concurrent
POSTs), which must still store one submission.
"""

from __future__ import annotations

import http.client
import random
import re
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

STEPS = ["safety", "symptoms", "feet", "duration", "contact"]
FIELD_RE = re.compile(r'name="(safety|symptoms|feet)-([a-z_]+)" value="yes"')
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
RESULT_RE = re.compile(r"^/result/([A-Za-z0-9_-]+)/$")


class JourneyError(Exception):
    pass


@dataclass
class Stats:
    journeys: int = 0
    red_flag_exits: int = 0
    double_clicks: int = 0
    errors: list[str] = field(default_factory=list)
    tokens: set[str] = field(default_factory=set)
    latencies_ms: list[float] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


class Browser:
    """One patient's browser: its own cookies, a keep-alive connection, HTTPS as seen through a proxy."""

    def __init__(self, port: int, stats: Stats) -> None:
        self.port = port
        self.stats = stats
        self.cookies: dict[str, str] = {}
        self.origin = f"https://127.0.0.1:{port}"

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, str, str]:
        headers = {
            "Host": f"127.0.0.1:{self.port}",
            # gunicorn trusts this from 127.0.0.1, as it would from a TLS proxy in front of it.
            "X-Forwarded-Proto": "https",
            "User-Agent": "selfcheck-load/1",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = self.origin
            headers["Referer"] = self.origin + path
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        started = time.perf_counter()
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode()
        finally:
            connection.close()
        with self.stats.lock:
            self.stats.latencies_ms.append((time.perf_counter() - started) * 1000)
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        location = urlsplit(response.getheader("Location", "")).path
        return response.status, location, text

    def expect(self, method: str, path: str, status: int, body: str | None = None) -> tuple[str, str]:
        code, location, text = self.request(method, path, body)
        if code != status:
            raise JourneyError(f"{method} {path}: expected {status}, got {code}")
        return location, text


def journey(browser: Browser, rng: random.Random) -> None:
    browser.cookies.clear()  # a new patient each time
    browser.expect("GET", "/", 200)
    location, _ = browser.expect("GET", "/check/?reset=1", 302)
    red_flag = rng.random() < 0.10
    double_click = not red_flag and rng.random() < 0.125
    for index, step in enumerate(STEPS):
        _, page = browser.expect("GET", f"/check/{step}/", 200)
        csrf = CSRF_RE.search(page).group(1)
        fields = {"csrfmiddlewaretoken": csrf, "self_check_wizard-current_step": step}
        codes = [code for prefix, code in FIELD_RE.findall(page) if prefix == step]
        if step == "safety":
            flagged = {rng.choice(codes)} if red_flag else set()
            fields.update({f"safety-{c}": "yes" if c in flagged else "no" for c in codes})
        elif step in {"symptoms", "feet"}:
            fields.update({f"{step}-{c}": rng.choice(["yes", "no"]) for c in codes})
        elif step == "duration":
            fields["duration-pain_duration"] = rng.choice(["under_6_weeks", "6_to_12_weeks", "over_12_weeks"])
            fields["duration-pain_intensity"] = str(rng.randint(0, 10))
        elif step == "contact" and rng.random() < 0.3:
            fields.update(
                {
                    "contact-contact_consent": "on",
                    "contact-contact_name": "Load Test",
                    "contact-contact_phone": "021 000 0000",
                }
            )
        body = urlencode(fields)
        last = step == STEPS[-1] or red_flag
        if last and double_click:
            location = double_submit(browser, f"/check/{step}/", body)
        else:
            location, _ = browser.expect("POST", f"/check/{step}/", 302, body)
        if last:
            break
        expected = f"/check/{STEPS[index + 1]}/"
        if location != expected:
            raise JourneyError(f"POST {step}: redirected to {location}, expected {expected}")
    match = RESULT_RE.match(location)
    if not match:
        raise JourneyError(f"final POST redirected to {location}, not a result")
    _, page = browser.expect("GET", location, 200)
    if "Your reference" not in page:
        raise JourneyError("result page without a reference")
    with browser.stats.lock:
        browser.stats.journeys += 1
        browser.stats.red_flag_exits += red_flag
        browser.stats.double_clicks += double_click
        if match.group(1) in browser.stats.tokens:
            raise JourneyError("two journeys got the same result")
        browser.stats.tokens.add(match.group(1))


def double_submit(browser: Browser, path: str, body: str) -> str:
    """Two POSTs of the final step at once, as a double click sends them."""
    twin = Browser(browser.port, browser.stats)
    twin.cookies = dict(browser.cookies)
    results: list = [None, None]

    def send(slot: int, who: Browser) -> None:
        try:
            results[slot] = who.request("POST", path, body)
        except Exception as error:  # reported below
            results[slot] = error

    threads = [threading.Thread(target=send, args=(0, browser)), threading.Thread(target=send, args=(1, twin))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for result in results:
        if isinstance(result, Exception) or result[0] != 302:
            raise JourneyError(f"double-clicked submit: {result!r:.200}")
    locations = {result[1] for result in results}
    if len(locations) != 1:
        raise JourneyError(f"double-clicked submit went to two places: {locations}")
    return locations.pop()


def patient(port: int, deadline: float, stats: Stats, seed: int) -> None:
    rng = random.Random(seed)
    browser = Browser(port, stats)
    while time.monotonic() < deadline:
        try:
            journey(browser, rng)
        except Exception as error:
            with stats.lock:
                stats.errors.append(f"{type(error).__name__}: {error}")
