""".ci/audit.sh: a vulnerable pin fails the run, a clean audit passes, and an unreachable
vulnerability service is reported loudly without failing (unless AUDIT_STRICT=1).

The vulnerability service is the outside world, so it is replaced by a local HTTP server that
speaks the OSV query API (POST /v1/query) — the real pip-audit talks to it."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
ADVISORY = {
    "id": "GHSA-test-0000-0000", "schema_version": "1.6.0", "summary": "Contoh kerentanan",
    "aliases": ["CVE-2099-0001"],
    "affected": [{"package": {"name": "django", "ecosystem": "PyPI"},
                  "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "5.2.99"}]}]}],
}


class FakeOSV(BaseHTTPRequestHandler):
    vulnerable: set[str] = set()
    queries: list[dict] = []

    def do_POST(self):  # noqa: N802 - http.server's naming
        query = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).queries.append(query)
        body = {"vulns": [ADVISORY]} if query["package"]["name"] in self.vulnerable else {}
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def osv():
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeOSV)
    FakeOSV.queries = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server, f"http://127.0.0.1:{server.server_address[1]}/v1/query"
    server.shutdown()
    server.server_close()


def audit(tmp_path, osv_url, **env) -> subprocess.CompletedProcess:
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("Django==5.2.19\nopenpyxl==3.1.5\n")
    full_env = {**os.environ, "AUDIT_SERVICES": "osv", "OSV_URL": osv_url, "AUDIT_NO_RESOLVE": "1",
                "PYTHON": sys.executable, **env}
    return subprocess.run([str(ROOT / ".ci" / "audit.sh"), str(requirements)], cwd=ROOT, env=full_env,
                          capture_output=True, text=True, timeout=300)


def test_it_fails_on_a_known_vulnerability_and_names_the_fix(tmp_path, osv):
    _server, url = osv
    FakeOSV.vulnerable = {"django"}
    result = audit(tmp_path, url)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "django==5.2.19: " in result.stdout and "(fixed in: 5.2.99)" in result.stdout
    assert "GHSA-test-0000-0000" in result.stdout and "CVE-2099-0001" in result.stdout
    assert {q["package"]["name"] for q in FakeOSV.queries} == {"django", "openpyxl"}


def test_it_passes_when_the_service_knows_no_vulnerability(tmp_path, osv):
    _server, url = osv
    FakeOSV.vulnerable = set()
    result = audit(tmp_path, url)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No known vulnerabilities (osv) in 2 pinned packages" in result.stdout


def test_it_reports_an_unreachable_service_loudly(tmp_path):
    with socket.socket() as s:  # a port with nobody listening
        s.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{s.getsockname()[1]}/v1/query"
    result = audit(tmp_path, url)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "dependencies NOT audited" in result.stdout
    assert audit(tmp_path, url, AUDIT_STRICT="1").returncode == 3


def test_it_pins_pip_audit_for_ci():
    assert any(line.startswith("pip-audit==") for line in (ROOT / "requirements-dev.txt").read_text().splitlines())
