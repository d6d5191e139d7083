"""Audit the pinned requirements for known vulnerabilities with pip-audit.

Exit status:
  0  no known vulnerability — or the vulnerability services could not be reached (said loudly;
     set AUDIT_STRICT=1 to fail instead, e.g. on a CI runner that has internet access)
  1  a known vulnerability in a pinned package (bump the pin to a fixed version)
  2  pip-audit itself failed for a reason other than the network (bad requirements file, ...)
  3  AUDIT_STRICT=1 and no service could be reached

Environment:
  AUDIT_SERVICES  services to try in order (default "pypi osv"; the first one that answers wins)
  OSV_URL         another OSV API endpoint (a mirror; the tests use a local fake)
  AUDIT_NO_RESOLVE=1  audit only the pins as written (no pip resolution of transitive packages)
  PYTHON          the interpreter with pip-audit installed (default .venv/bin/python)
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

NETWORK_SIGNS = ("ConnectionError", "Max retries exceeded", "NameResolutionError", "Failed to resolve",
                 "timed out", "Timeout", "ServiceError", "HTTPError", "Temporary failure in name resolution",
                 "Connection refused", "Network is unreachable", "Could not connect")


def run_service(service: str, requirements: list[str], python: str) -> tuple[str, dict | str]:
    """One pip-audit run. Returns ("ok", report) | ("unreachable", why) | ("error", stderr)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.json"
        cmd = [python, "-m", "pip_audit", "--progress-spinner", "off", "--format", "json", "--output", str(out),
               "--vulnerability-service", service, "--cache-dir", str(Path(tmp) / "cache"), "--timeout", "20"]
        for req in requirements:
            cmd += ["--requirement", req]
        if os.environ.get("AUDIT_NO_RESOLVE") == "1":
            cmd += ["--no-deps", "--disable-pip"]
        if service == "osv" and os.environ.get("OSV_URL"):
            cmd += ["--osv-url", os.environ["OSV_URL"]]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
        report = json.loads(out.read_text()) if out.exists() and out.stat().st_size else None
    if report is None:
        if any(sign in proc.stderr for sign in NETWORK_SIGNS):
            return "unreachable", _last_line(proc.stderr)
        return "error", proc.stderr[-4000:]
    audited = [d for d in report["dependencies"] if "skip_reason" not in d]
    if not audited:
        # e.g. "Dependency not found on PyPI" for every package: the service answered nothing useful.
        reasons = {d.get("skip_reason", "").split(":")[0] for d in report["dependencies"]}
        return "unreachable", f"no package could be audited ({'; '.join(sorted(reasons))})"
    return "ok", report


def _last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:300] if lines else "(no message)"


def main(argv: list[str]) -> int:
    requirements = argv or ["requirements.txt"]
    python = os.environ.get("PYTHON", ".venv/bin/python")
    services = os.environ.get("AUDIT_SERVICES", "pypi osv").split()
    problems = []
    for service in services:
        status, result = run_service(service, requirements, python)
        if status == "error":
            print(f"pip-audit failed ({service}):\n{result}", file=sys.stderr)
            return 2
        if status == "unreachable":
            problems.append(f"{service}: {result}")
            continue
        return report_result(service, result)
    print("WARNING: dependencies NOT audited — no vulnerability service could be reached:")
    for problem in problems:
        print(f"  - {problem}")
    if os.environ.get("AUDIT_STRICT") == "1":
        return 3
    print("(network failure only: exit 0; set AUDIT_STRICT=1 to fail instead)")
    return 0


def report_result(service: str, report: dict) -> int:
    deps = report["dependencies"]
    audited = [d for d in deps if "skip_reason" not in d]
    vulnerable = [d for d in audited if d.get("vulns")]
    skipped = [d for d in deps if "skip_reason" in d]
    if vulnerable:
        print(f"KNOWN VULNERABILITIES ({service}) in the pinned requirements:")
        for dep in vulnerable:
            for vuln in dep["vulns"]:
                fixed = ", ".join(vuln.get("fix_versions") or []) or "no fixed version yet"
                ids = " / ".join(dict.fromkeys([vuln["id"], *vuln.get("aliases", [])]))
                print(f"  {dep['name']}=={dep['version']}: {ids} (fixed in: {fixed})")
        print("Bump each pin to a fixed version in requirements*.txt.")
        return 1
    print(f"No known vulnerabilities ({service}) in {len(audited)} pinned packages.")
    if skipped:
        print(f"Not audited ({len(skipped)}): " + ", ".join(d["name"] for d in skipped))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
