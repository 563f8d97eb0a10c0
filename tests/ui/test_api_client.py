"""The test client retries what the Prefect server marks as retryable (503 while its SQLite
database is busy), as Prefect's own client does, and gives up with the server's answer."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from prefect_server import Api


def _server(answers: list[int]):
    calls = []

    class Busy(BaseHTTPRequestHandler):
        def do_POST(self):
            calls.append(self.path)
            status = answers[min(len(calls), len(answers)) - 1]
            body = json.dumps({"id": "run-1"} if status == 201 else {"detail": "busy"}).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Busy)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, calls


def test_post_retries_a_busy_server_until_it_answers():
    server, calls = _server([503, 503, 201])
    try:
        api = Api(f"http://127.0.0.1:{server.server_port}/api", attempts=4)
        assert api.post("/deployments/d/create_flow_run") == {"id": "run-1"}
        assert len(calls) == 3
    finally:
        server.shutdown()


def test_post_gives_up_after_its_attempts():
    server, calls = _server([503])
    try:
        api = Api(f"http://127.0.0.1:{server.server_port}/api", attempts=2)
        with pytest.raises(httpx.HTTPStatusError, match="503"):
            api.post("/deployments/d/create_flow_run")
        assert len(calls) == 2
    finally:
        server.shutdown()
