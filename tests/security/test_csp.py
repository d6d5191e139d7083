"""A Content-Security-Policy that allows no inline script, sent in every environment,
and templates that need none (so nobody can quietly add an inline script or handler)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
# Our templates: the project folder and every app's templates/ folder (not the virtualenv's).
# Message bodies (e-mail) are not web pages: no CSP applies and mail clients need inline style.
TEMPLATE_FILES = sorted(
    p for p in [*ROOT.glob("templates/**/*.html"), *ROOT.glob("*/templates/**/*.html")]
    if ".venv" not in p.parts and "messages" not in p.parts and not any("email" in part for part in p.parts)
)
DJANGO_COMMENT = re.compile(r"{#.*?#}|{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", re.S)

SCRIPT_TAG = re.compile(r"<script\b(?P<attrs>[^>]*)>(?P<body>.*?)</script\s*>", re.I | re.S)
EVENT_HANDLER = re.compile(r"<[a-zA-Z][^>]*?\s(on[a-z]+)\s*=", re.S)
JS_URL = re.compile(r"""(?:href|src|action|formaction)\s*=\s*["']?\s*javascript:""", re.I)
STYLE_ATTR = re.compile(r"<[a-zA-Z][^>]*?\sstyle\s*=", re.S)
STYLE_TAG = re.compile(r"<style\b", re.I)
HTMX_EVAL = re.compile(r"\shx-on(?::|-|\s*=)|\shx-vals\s*=\s*[\"']\s*js:", re.I)


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


@pytest.mark.parametrize("url,signed_in", [("/masuk/", False), ("/", True)])
def test_it_sends_a_policy_without_inline_script(world, client, url, signed_in):
    if signed_in:
        client.force_login(world.kecamatan_user)
    response = client.get(url)
    assert response.status_code == 200
    csp = policy(response)
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in csp["script-src"] and "'unsafe-eval'" not in csp["script-src"]
    assert csp["style-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["form-action"] == ["'self'"]
    assert csp["base-uri"] == ["'self'"]
    assert set(csp["img-src"]) == {"'self'", "data:"}


def test_it_sends_the_policy_on_errors_and_to_anonymous_users(client):
    assert "'self'" in policy(client.get("/halaman-yang-tidak-ada/"))["script-src"]
    assert "Content-Security-Policy" in client.get("/masuk/")


def test_it_configures_the_policy_in_base_settings_so_every_environment_has_it():
    from config.settings import base

    assert "csp.middleware.CSPMiddleware" in base.MIDDLEWARE
    assert base.CONTENT_SECURITY_POLICY["DIRECTIVES"]["script-src"] == ["'self'"]


def test_it_has_templates_to_scan():
    assert any(p.name == "base.html" for p in TEMPLATE_FILES)


def _template(path: Path) -> str:
    return DJANGO_COMMENT.sub("", path.read_text())


@pytest.mark.parametrize("path", TEMPLATE_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_it_keeps_inline_script_out_of_templates(path):
    """No inline <script> body, no on*= handler, no javascript: URL, nothing htmx must eval:
    the CSP blocks them in the browser, so the page would silently break. Put behaviour in
    static/js/app.js (e.g. data-confirm, data-autosubmit) instead."""
    text = _template(path)
    problems = []
    for match in SCRIPT_TAG.finditer(text):
        if "src=" not in match["attrs"] or match["body"].strip():
            problems.append(f"inline <script>: {match[0][:80]!r}")
    problems += [f"event handler attribute {m[1]}=" for m in EVENT_HANDLER.finditer(text)]
    problems += ["javascript: URL" for _ in JS_URL.finditer(text)]
    problems += ["hx-on / hx-vals js: (needs eval, blocked by the CSP)" for _ in HTMX_EVAL.finditer(text)]
    assert not problems, f"{path.relative_to(ROOT)}: " + "; ".join(problems)


@pytest.mark.parametrize("path", TEMPLATE_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_it_keeps_inline_style_out_of_templates(path):
    """style-src 'self' also blocks style="..." attributes and <style> blocks: use app.css classes."""
    text = _template(path)
    problems = ["style= attribute (use a class in static/css/app.css)" for _ in STYLE_ATTR.finditer(text)]
    problems += ["<style> block (use static/css/app.css)" for _ in STYLE_TAG.finditer(text)]
    assert not problems, f"{path.relative_to(ROOT)}: " + "; ".join(problems)


def test_it_tells_htmx_not_to_inject_its_indicator_style():
    base = (ROOT / "templates" / "base.html").read_text()
    assert re.search(r"""<meta name="htmx-config" content='[^']*"includeIndicatorStyles": false""", base)
    assert ".htmx-indicator" in (ROOT / "static" / "css" / "app.css").read_text()
