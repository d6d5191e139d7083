#!/usr/bin/env sh
# Known-vulnerability audit of the pinned requirements (pip-audit). See .ci/audit.py for the exit codes:
# 0 clean (or the services unreachable — printed as a WARNING), 1 a vulnerable pin, 2 pip-audit failed.
# Usage: .ci/audit.sh [requirements-file ...]   (default: requirements.txt)
set -eu
cd "$(dirname "$0")/.."
exec "${PYTHON:-.venv/bin/python}" .ci/audit.py "$@"
