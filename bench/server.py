"""The application under gunicorn on 127.0.0.1, started and stopped for a measurement.

Shared by ``make bench`` (bench.settings, with its hello-world page) and
``make load`` (production settings behind a pretend TLS proxy). The Python
that runs the bench runs gunicorn and manage.py too (``sys.executable``), so
no virtualenv path is written down anywhere.
"""

from __future__ import annotations

import http.client
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parent.parent


def manage(env: dict[str, str], *args: str) -> str:
    """``manage.py <args>`` in a separate process with ``env``; its standard output."""
    command = [sys.executable, "manage.py", *args]
    return subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True, text=True).stdout


class Gunicorn:
    """gunicorn serving ``clinic_site.wsgi`` with ``env``, ready once ``ready_path`` answers 200."""

    def __init__(
        self,
        *,
        port: int,
        env: dict[str, str],
        workers: int = 2,
        ready_path: str = "/healthz",
        stderr: IO | None = None,
        timeout: float = 60,
    ) -> None:
        self.port = port
        command = [sys.executable, "-m", "gunicorn", "clinic_site.wsgi:application", "--workers", str(workers)]
        command += ["--worker-class", "sync", "--bind", f"127.0.0.1:{port}", "--log-level", "warning"]
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=stderr)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited at start with {self.process.returncode}")
            try:
                if self.request("GET", ready_path)[0] == 200:
                    return
            except OSError:  # refused while starting, or slow to answer on a busy machine
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gunicorn did not answer on 127.0.0.1:{port} within {timeout:.0f} s")

    def __enter__(self) -> Gunicorn:
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def request(self, method: str, path: str, cookie: str = "", body: str = "") -> tuple[int, str]:
        """One request on a fresh connection: the status and the Location header."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        headers = {"Host": f"127.0.0.1:{self.port}"}
        if cookie:
            headers["Cookie"] = cookie
        if body:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body or None, headers=headers)
            response = connection.getresponse()
            response.read()
        finally:
            connection.close()
        return response.status, response.getheader("Location", "")

    def worker_pids(self) -> list[int]:
        pids = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                if int(fields[1]) == self.process.pid:
                    pids.append(int(entry.name))
        return sorted(pids)

    def worker_cpu_seconds(self) -> float:
        """CPU time (user + system) the workers have used so far."""
        ticks = 0
        for pid in self.worker_pids():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
        return ticks / os.sysconf("SC_CLK_TCK")

    def worker_rss_mb(self) -> dict[str, float]:
        rss = {}
        for pid in self.worker_pids():
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    rss[str(pid)] = int(line.split()[1]) / 1024
        return rss

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
