"""Fit for weak connections: nothing from outside hosts, a small transfer per page, and nothing typed is lost.

Transfer size: each main page is loaded with the browser cache disabled (a cold cache), and every
response the browser actually fetched (the HTML, CSS, JS, anything else) is counted as it would
travel in production: the body gzip-compressed (Caddy's ``encode gzip`` for pages, whitenoise's
precompressed files for static) plus the response headers. The test server itself does not compress,
so the bytes are compressed here, honestly, at gzip's default level.
"""
from __future__ import annotations

import gzip

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import save_screenshot
from tests.browser.pages import by_user, main_pages

pytestmark = pytest.mark.browser

BUDGET = 150 * 1024  # bytes per page, compressed, cold cache


def measure(visitor, path: str) -> tuple[int, list[tuple[str, int]]]:
    page = visitor.page
    cdp = visitor.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    responses = []

    def collect(response):
        responses.append(response)

    page.on("response", collect)
    try:
        visitor.go(path)
        page.wait_for_load_state("networkidle")
    finally:
        page.remove_listener("response", collect)
    parts = []
    for response in responses:
        if 300 <= response.status < 400:
            continue  # a redirect carries no body
        headers = response.request.sizes()["responseHeadersSize"]
        parts.append((response.url, len(gzip.compress(response.body(), 6)) + max(headers, 0)))
    return sum(size for _url, size in parts), parts


def test_it_keeps_each_main_page_under_150_kb_without_outside_hosts(visitor_factory, demo_data):
    report, too_big = [], []
    for username, pages in by_user(main_pages()).items():
        visitor = visitor_factory(username)
        for main_page in pages:
            visitor.requests.clear()
            total, parts = measure(visitor, main_page.path)
            kinds = {url.rsplit("/", 1)[-1].split("?")[0] or url for url, _size in parts}
            report.append(f"{main_page.name:<24} {total / 1024:6.1f} KB  {sorted(kinds)}")
            assert parts, f"{main_page.path}: nothing was fetched?"
            assert any(url.endswith("app.css") for url, _s in parts), f"{main_page.path}: no stylesheet fetched"
            outside = visitor.external_requests()
            assert not outside, f"{main_page.path} asked hosts other than this machine: {outside}"
            if main_page.screenshot:
                save_screenshot(visitor.page, main_page.name)
            if total > BUDGET:
                too_big.append(f"{main_page.path} ({main_page.name}): {total / 1024:.1f} KB")
    print("\n".join(report))
    assert not too_big, f"pages over {BUDGET // 1024} KB: {too_big}"


@pytest.fixture
def kodi_sheet(demo_data):
    """The prepared follow-up meeting of Kodi Balaghar: its first desa's sheet, open for recording."""
    from casework.models import Meeting, MeetingStatus

    meeting = Meeting.objects.get(kecamatan__name="Kodi Balaghar", status=MeetingStatus.PREPARED)
    desa_id = meeting.desa_entries.order_by("position").first().desa_id
    return meeting, desa_id, f"/pertemuan/{meeting.pk}/desa/{desa_id}/"


def test_it_keeps_what_was_typed_when_the_form_is_refused(visitor_factory, kodi_sheet):
    _meeting, _desa, sheet = kodi_sheet
    kec = visitor_factory("kec.kodi")
    page = kec.page
    kec.go(sheet)
    form = page.locator("#catat form")
    form.get_by_label("Penyebab").fill("Harga kayu bakar naik dua kali lipat.")
    form.get_by_label("Gagasan solusi & tindak lanjut (hasil diskusi)").fill("Belajar tungku hemat dari Wainyapu.")
    form.get_by_role("button", name="Simpan kendala").click()  # the obstacle itself is missing
    expect(page.locator(".messages .msg-error")).to_be_visible()
    expect(page.locator("#catat .errorlist")).to_contain_text("Wajib diisi")
    form = page.locator("#catat form")
    expect(form.get_by_label("Penyebab")).to_have_value("Harga kayu bakar naik dua kali lipat.")
    expect(form.get_by_label("Gagasan solusi & tindak lanjut (hasil diskusi)")).to_have_value(
        "Belajar tungku hemat dari Wainyapu.")


def test_it_keeps_what_was_typed_when_someone_else_changed_the_case(visitor_factory, kodi_sheet):
    from accounts.models import User
    from casework.services.cases import case_update_text
    from casework.services.meetings import meeting_record_obstacle

    meeting, desa_id, _sheet = kodi_sheet
    staff = User.objects.get(username="kec.kodi")
    case = meeting_record_obstacle(user=staff, meeting_id=meeting.pk, desa_id=desa_id,
                                   obstacle="Sumur bor kelompok tani kering pada musim kemarau.")
    kec = visitor_factory("kec.kodi")
    page = kec.page
    kec.go(f"/kasus/{case.pk}/")
    page.locator("details.action summary", has_text="Eskalasi ke kabupaten").click()
    note = "Mohon Dinas PU memeriksa sumur bor dan menambah kedalaman."
    page.get_by_label("Dukungan yang diminta dari kabupaten").fill(note)
    # Meanwhile a colleague corrects the case's text from another computer.
    case_update_text(user=staff, case_id=case.pk, expected_version=case.version,
                     obstacle="Sumur bor kelompok tani kering sejak Juli.")
    page.locator("details.action[open]").get_by_role("button", name="Eskalasi ke kabupaten").click()
    expect(page.locator(".messages .msg-error")).to_contain_text("diubah oleh orang lain")
    expect(page.get_by_label("Dukungan yang diminta dari kabupaten")).to_have_value(note)
    expect(page.locator("main")).to_contain_text("Sumur bor kelompok tani kering sejak Juli.")
    # The typed text can be sent again as it is, against the case as it is now.
    page.locator("details.action[open]").get_by_role("button", name="Eskalasi ke kabupaten").click()
    expect(page.locator(".messages .msg-success")).to_contain_text("Dieskalasi")


def test_it_gives_back_what_was_typed_after_the_connection_dropped(visitor_factory, kodi_sheet):
    _meeting, desa_id, sheet = kodi_sheet
    kec = visitor_factory("kec.kodi")
    page = kec.page
    kec.go(sheet)
    obstacle = "Air bersih sulit didapat saat kemarau; ibu-ibu berjalan dua jam ke mata air."
    solution = "Belajar dari desa lain yang membangun bak penampung air hujan."
    form = page.locator("#catat form")
    form.get_by_label("Kendala/tantangan yang dihadapi dan pembelajaran").fill(obstacle)
    form.get_by_label("Gagasan solusi & tindak lanjut (hasil diskusi)").fill(solution)
    form.get_by_label("Dukungan dari").select_option(label="Kecamatan")

    # The signal goes as the form is sent: the POST never reaches the server.
    page.route("**/kendala/", lambda route: route.abort("internetdisconnected")
               if route.request.method == "POST" else route.continue_())
    try:
        form.get_by_role("button", name="Simpan kendala").click()
    except Exception:  # noqa: BLE001 - the navigation itself fails, as it would in the field
        pass
    page.unroute("**/kendala/")
    kec.go(sheet)  # back on the page once the signal returns
    form = page.locator("#catat form")
    expect(form.locator(".draft-note")).to_contain_text("Isian yang belum terkirim dipulihkan")
    expect(form.get_by_label("Kendala/tantangan yang dihadapi dan pembelajaran")).to_have_value(obstacle)
    expect(form.get_by_label("Gagasan solusi & tindak lanjut (hasil diskusi)")).to_have_value(solution)
    expect(form.get_by_label("Dukungan dari")).to_have_value("kecamatan")

    form.get_by_role("button", name="Simpan kendala").click()
    expect(page.locator(".messages .msg-success")).to_contain_text("Kendala dicatat sebagai kasus")
    expect(page.locator(".sheet")).to_contain_text(obstacle)
    kec.go(sheet)  # once saved, the draft is gone: the form starts empty
    expect(page.locator("#catat .draft-note")).to_have_count(0)
    box = page.locator("#catat form").get_by_label("Kendala/tantangan yang dihadapi dan pembelajaran")
    expect(box).to_have_value("")
