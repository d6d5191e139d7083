"""Small screens (a 360 px wide phone): lists become cards, nothing needs sideways scrolling, the main
action of each page can be reached and pressed.
"""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import save_screenshot
from tests.browser.pages import by_user, main_pages

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 360, "height": 740}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
TOLERANCE = 2  # px: sub-pixel rounding


def page_width(page) -> int:
    return page.evaluate("() => document.scrollingElement.scrollWidth")


def assert_reachable(locator, name: str) -> None:
    """Visible, inside the 360 px screen (no sideways scrolling needed), and big enough to tap."""
    expect(locator).to_be_visible()
    locator.scroll_into_view_if_needed()
    box = locator.bounding_box()
    assert box is not None, name
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360 + TOLERANCE, f"{name} is off screen: {box}"
    assert box["height"] >= 24, f"{name} is too small to tap: {box}"


def test_it_fits_every_main_page_into_a_phone_screen(visitor_factory, demo_data):
    too_wide = []
    for username, pages in by_user(main_pages()).items():
        visitor = visitor_factory(username, **PHONE)
        for main_page in pages:
            visitor.go(main_page.path)
            width = page_width(visitor.page)
            if width > 360 + TOLERANCE:
                too_wide.append(f"{main_page.path} ({main_page.name}): {width}px")
    assert not too_wide, f"pages wider than the phone: {too_wide}"


def test_it_shows_the_case_list_as_cards_on_a_phone(visitor_factory, demo_data):
    visitor = visitor_factory("kec.gorom", **PHONE)
    page = visitor.page
    visitor.go("/kasus/")
    table = page.locator("table.case-table")
    expect(table.locator("thead")).to_be_hidden()
    first = table.locator("tbody tr").first
    assert first.evaluate("el => getComputedStyle(el).display") == "block"
    # Each card says what each value is, since the header row is gone.
    label = first.locator("td").nth(1).evaluate("el => getComputedStyle(el, '::before').content")
    assert "Desa" in label, label
    assert_reachable(page.get_by_role("button", name="Terapkan"), "filter button")
    assert_reachable(first.get_by_role("link").first, "case link")
    save_screenshot(page, "ponsel-daftar-kasus")


def test_it_keeps_the_main_actions_within_reach_on_a_phone(visitor_factory, demo_data):
    from casework.models import Case, Meeting, MeetingStatus

    kec = visitor_factory("kec.gorom", **PHONE)
    visitor_page = kec.page
    kec.go("/pertemuan/")
    assert_reachable(visitor_page.get_by_role("link", name="Pertemuan baru").first, "new meeting")
    meeting = Meeting.objects.get(kecamatan__name="Pulau Gorom", status=MeetingStatus.FINALISED)
    kec.go(f"/pertemuan/{meeting.pk}/")
    assert_reachable(visitor_page.get_by_role("link", name="Tampilan proyektor"), "projector")
    kec.go(f"/pertemuan/{meeting.pk}/tayang/1/")
    assert_reachable(visitor_page.locator("a[rel=next]"), "next desa")

    kodi = visitor_factory("kec.kodi", **PHONE)
    prepared = Meeting.objects.get(kecamatan__name="Kodi Balaghar", status=MeetingStatus.PREPARED)
    desa_id = prepared.desa_entries.order_by("position").first().desa_id
    kodi.go(f"/pertemuan/{prepared.pk}/desa/{desa_id}/")
    assert_reachable(kodi.page.get_by_role("button", name="Simpan kendala"), "save obstacle")
    save_screenshot(kodi.page, "ponsel-lembar-desa")
    kodi.go(f"/pertemuan/{prepared.pk}/tinjauan/")
    assert_reachable(kodi.page.get_by_role("button", name="Simpan hasil peninjauan").first, "save review")

    raised = Case.objects.filter(kecamatan__name="Kodi Balaghar").exclude(state__in=["closed", "withdrawn"]).first()
    kodi.go(f"/kasus/{raised.pk}/")
    assert_reachable(kodi.page.locator("details.action summary").first, "case action")

    pokja = visitor_factory("pokja.sbt", **PHONE)
    pokja.go("/eskalasi/pokja/")
    assert_reachable(pokja.page.locator("article.inbox-case").first.get_by_role("button", name="Tugaskan ke OPD"),
                     "assign")

    opd = visitor_factory("opd.pertanian", **PHONE)
    opd.go("/eskalasi/opd/")
    assert_reachable(opd.page.get_by_role("button", name="Terima kasus").first, "acknowledge")
    save_screenshot(opd.page, "ponsel-ruang-kerja-opd")
    opd.go("/notifikasi/")
    assert_reachable(opd.page.get_by_role("button", name="Saring"), "notification filter")
