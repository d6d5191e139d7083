"""Accessibility: axe-core (npm ``axe-core``, installed by scripts/ensure_browser.sh) checks every main page
of the four roles; nothing serious or critical may be reported. Keyboard use and visible focus too.

The pages forbid inline scripts (CSP), so these browser contexts bypass the CSP to let axe in; that
changes nothing the user sees.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import IN_CI, REPO
from tests.browser.pages import by_user, main_pages

pytestmark = pytest.mark.browser

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = {"serious", "critical"}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


@pytest.fixture
def axe_source() -> str:
    if not AXE.exists():
        message = f"{AXE} is missing: run scripts/ensure_browser.sh (npm ci)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return Path(AXE).read_text(encoding="utf-8")


def axe_violations(page, source: str) -> list[dict]:
    if not page.evaluate("() => !!window.axe"):
        page.add_script_tag(content=source)
    result = page.evaluate("""async (tags) => {
        const r = await axe.run(document, {resultTypes: ["violations"], runOnly: {type: "tag", values: tags}});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + " :: " + n.failureSummary)}));
    }""", AXE_TAGS)
    return [v for v in result if v["impact"] in BLOCKING]


def test_it_reports_nothing_serious_on_the_main_pages(visitor_factory, demo_data, axe_source):
    found = []
    checked = 0
    for username, pages in by_user(main_pages()).items():
        visitor = visitor_factory(username, bypass_csp=True)
        for main_page in pages:
            visitor.go(main_page.path)
            for violation in axe_violations(visitor.page, axe_source):
                found.append(f"{main_page.path} [{violation['impact']}] {violation['id']}: {violation['help']}\n    "
                             + "\n    ".join(violation["nodes"]))
            checked += 1
    assert checked >= 15
    assert not found, "axe-core found serious or critical problems:\n" + "\n".join(found)


def test_it_reports_nothing_serious_on_refused_and_restored_forms(visitor_factory, demo_data, axe_source):
    """The states people meet in a hurry: a form refused with errors, a draft given back, a phone screen."""
    from casework.models import Meeting, MeetingStatus

    meeting = Meeting.objects.get(kecamatan__name="Kodi Balaghar", status=MeetingStatus.PREPARED)
    sheet = f"/pertemuan/{meeting.pk}/desa/{meeting.desa_entries.order_by('position').first().desa_id}/"
    found = []
    for context_args in ({}, {"viewport": {"width": 360, "height": 740}, "is_mobile": True}):
        visitor = visitor_factory("kec.kodi", bypass_csp=True, **context_args)
        page = visitor.page
        visitor.go(sheet)
        page.get_by_label("Penyebab").fill("Harga kayu bakar naik.")
        page.get_by_role("button", name="Simpan kendala").click()
        expect(page.locator("#catat .errorlist")).to_be_visible()
        found += [f"refused form: {v['id']} {v['nodes']}" for v in axe_violations(page, axe_source)]
        visitor.go(sheet)  # the typed cause comes back from the browser's draft
        expect(page.locator(".draft-note")).to_be_visible()
        found += [f"restored draft: {v['id']} {v['nodes']}" for v in axe_violations(page, axe_source)]
    assert not found, "\n".join(found)


def test_it_can_be_used_with_the_keyboard(visitor_factory, demo_data):
    """Tab reaches the skip link first, the skip link jumps to the content, and focus is visible."""
    visitor = visitor_factory("kec.gorom")
    page = visitor.page
    visitor.go("/kasus/")
    page.keyboard.press("Tab")
    skip = page.locator("a.skip")
    expect(skip).to_be_focused()
    outline = skip.evaluate("el => getComputedStyle(el).outlineStyle + ' ' + getComputedStyle(el).outlineWidth")
    assert outline.startswith("solid") and not outline.endswith(" 0px"), outline
    page.keyboard.press("Enter")
    assert page.url.endswith("#main")
    # Onward from the content: the first filter field takes focus with a visible outline.
    search = page.get_by_label("Cari")
    search.focus()
    width = search.evaluate("el => parseFloat(getComputedStyle(el).outlineWidth)")
    assert width >= 2, f"focused field outline is {width}px"


def test_it_keeps_the_projector_legible_from_the_back_of_the_room(visitor_factory, demo_data):
    """A sheet with recorded obstacles (causes and support in small print): nothing below 17 px,
    and the text has strong contrast on the white projector page."""
    from casework.models import Meeting, MeetingStatus

    meeting = Meeting.objects.get(kecamatan__name="Pulau Gorom", status=MeetingStatus.FINALISED)
    visitor = visitor_factory("kec.gorom")
    visitor.go(f"/pertemuan/{meeting.pk}/tayang/1/")
    page = visitor.page
    expect(page.locator(".sheet .small").first).to_be_visible()
    sizes = page.evaluate("""() => [...document.querySelectorAll('main *')]
        .filter(el => [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()))
        .map(el => [el.tagName + '.' + el.className, parseFloat(getComputedStyle(el).fontSize)])""")
    too_small = [(name, size) for name, size in sizes if size < 17]
    assert not too_small, f"text too small for a projector: {too_small[:10]}"
