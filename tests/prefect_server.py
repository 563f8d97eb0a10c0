"""Helpers for tests against a real Prefect server: a small API client, waiting, ports."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(check, timeout: float, what: str, every: float = 0.5):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(every)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


# The server answers these when a request may simply be tried again (a busy SQLite database
# gives 503); Prefect's own client retries them, so this one does too.
RETRYABLE = {429, 502, 503}


class Api:
    def __init__(self, url: str, attempts: int = 6):
        self.url = url
        self.attempts = attempts
        self.http = httpx.Client(base_url=url, timeout=30)

    def get(self, path: str):
        response = self._send("GET", path)
        return response.json() if response.status_code == 200 else None

    def post(self, path: str, body: dict | None = None):
        response = self._send("POST", path, json=body or {})
        response.raise_for_status()
        return response.json()

    def _send(self, method: str, path: str, **kwargs) -> httpx.Response:
        for attempt in range(self.attempts):
            response = self.http.request(method, path, **kwargs)
            if response.status_code not in RETRYABLE or attempt == self.attempts - 1:
                break
            time.sleep(min(2 ** attempt, 10))
        return response


def _healthy(api: Api) -> bool:
    try:
        return api.http.get("/health").status_code == 200
    except httpx.HTTPError:
        return False


def client_env(api: Api, home: Path) -> dict:
    """Environment for a process that talks to the test server."""
    return {**os.environ, "PREFECT_API_URL": api.url, "PREFECT_HOME": str(home),
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "PREFECT_LOGGING_LEVEL": "INFO"}
