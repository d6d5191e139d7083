#!/usr/bin/env bash
# The browser for the end-to-end tests (tests/browser): Debian's own `chromium` package, because no
# browser build can be downloaded here (never `playwright install`). A no-op when it is already there.
# Also installs axe-core from the npm registry (package.json at the repo root) for the accessibility test.
set -euo pipefail
cd "$(dirname "$0")/.."

CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$CHROMIUM" ]; then
  echo "ensure_browser: installing Debian's chromium (needs root)"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  # fonts-dejavu-core: readable text in screenshots; the rest comes in as chromium's own dependencies.
  $SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
fi
"$CHROMIUM" --version 2>/dev/null  # (Debian's launcher script prints a harmless shell warning on stderr)

# axe-core: one file (node_modules/axe-core/axe.min.js) that Playwright injects into each page.
if [ ! -f node_modules/axe-core/axe.min.js ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  if command -v npm >/dev/null 2>&1; then
    npm ci --no-audit --no-fund --loglevel=error
  else
    echo "ensure_browser: npm is missing; the accessibility test cannot run (it fails under CI=true)" >&2
  fi
fi
