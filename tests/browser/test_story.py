"""The four roles' whole story, in headless Chromium, through the pages only.

One test, because the steps hand the same cases from one person to the next (the live server's
database is emptied after every test). Each step is a function named after the issue's step, so a
failure says where the story broke; pytest-playwright keeps a screenshot of every open page.
"""
from __future__ import annotations

import io
import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import save_screenshot
from tests.browser.world import LESSON_RESOLUTION, OTHER_AGENCY_OBSTACLE, build_story_world, tanggal

pytestmark = pytest.mark.browser

PENYULUH = "Penyuluh pertanian tidak hadir pada pertemuan kelompok tani sejak Januari."
KEUANGAN = "Laporan keuangan desa terlambat sehingga Dana Desa untuk modal BUMDES belum cair."
PENGERING = "Mesin pengering kopra milik kelompok rusak dan tidak ada suku cadang."
MEETING_1 = date(2024, 3, 28)


def case_id_from_message(page) -> int:
    text = page.locator(".messages .msg-success").first.inner_text()
    found = re.search(r"kasus #(\d+)", text)
    assert found, text
    return int(found.group(1))


def record_obstacle(page, *, obstacle: str, cause: str = "", solution: str = "", support: str = "",
                    support_from: str = "Desa sendiri", target_index: int = 0) -> int:
    form = page.locator("#catat form")
    form.get_by_label("Terkait tujuan atau kegiatan").select_option(index=target_index)
    box = form.get_by_label("Kendala/tantangan yang dihadapi dan pembelajaran")
    box.fill(obstacle)
    box.press("End")  # a key press: the suggestion is fetched while typing (htmx keyup)
    form.get_by_label("Penyebab").fill(cause)
    form.get_by_label("Gagasan solusi & tindak lanjut (hasil diskusi)").fill(solution)
    form.get_by_label("Dukungan yang dibutuhkan").fill(support)
    form.get_by_label("Dukungan dari").select_option(label=support_from)
    form.get_by_role("button", name="Simpan kendala").click()
    expect(page.locator(".messages .msg-success")).to_contain_text("Kendala dicatat sebagai kasus")
    return case_id_from_message(page)


def take_action(page, summary: str, fields: dict[str, str], button: str | None = None) -> None:
    page.locator("details.action summary", has_text=summary).click()
    form = page.locator("details.action[open] form")
    for label, value in fields.items():
        form.get_by_label(label, exact=True).fill(value)
    form.get_by_role("button", name=button or summary).click()


def step1_kecamatan_holds_the_meeting(visit, world) -> dict:
    kec = visit("kec.gorom")
    page = kec.page
    expect(page.locator("h1")).to_have_text("Kecamatan Pulau Gorom")
    page.locator("main").get_by_role("link", name="Pertemuan baru").click()
    page.get_by_label("Tanggal pertemuan", exact=True).fill(MEETING_1.isoformat())
    page.get_by_label("Tempat").fill("Aula Kantor Camat Pulau Gorom")
    page.get_by_label("Pimpinan pertemuan").fill("Camat Pulau Gorom")
    page.get_by_label("Tanggal pertemuan berikutnya").fill("2024-06-27")
    for desa, position in (("X", "1"), ("Ondor", "2"), ("Kataloka", "3"), ("Rumeon", "")):
        page.get_by_label(desa, exact=True).fill(position)
    page.get_by_label("Perwakilan desa").fill("Bapak Kepala Desa, X\nIbu Sekretaris Desa, Ondor")
    page.get_by_role("button", name="Simpan pertemuan").click()
    expect(page.locator(".messages .msg-success")).to_contain_text("Pertemuan dibuat")
    meeting_url = page.url
    expect(page.locator("main")).to_contain_text("Kamis, 28 Maret 2024")
    page.get_by_role("button", name="Siapkan pertemuan").click()
    expect(page.locator(".messages .msg-success")).to_contain_text("Lembar tiap desa telah disiapkan")
    expect(page.locator("ol.desa-order > li")).to_have_count(3)
    expect(page.locator("ol.desa-order > li").first).to_contain_text("X")

    # The projector: one desa at a time in large type, moved through with the keyboard.
    page.get_by_role("link", name="Tampilan proyektor").click()
    expect(page.locator("h1")).to_have_text("Desa: X")
    # Legible from the back of the room: every piece of text on the sheet, small print included.
    smallest = page.evaluate("""() => Math.min(...[...document.querySelectorAll('main *')]
        .filter(el => [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()))
        .map(el => parseFloat(getComputedStyle(el).fontSize)))""")
    assert smallest >= 17, f"the smallest text on the projector is {smallest}px"
    page.keyboard.press("ArrowRight")
    expect(page.locator("h1")).to_have_text("Desa: Ondor")
    page.keyboard.press("ArrowLeft")
    expect(page.locator("h1")).to_have_text("Desa: X")
    page.get_by_role("link", name="keluar dari proyektor").click()
    expect(page.locator("h1")).to_contain_text("Desa X")

    # Two obstacles for Desa X; while the first is typed, the lesson from Desa Argam appears.
    form = page.locator("#catat form")
    box = form.get_by_label("Kendala/tantangan yang dihadapi dan pembelajaran")
    box.press_sequentially("Penyuluh pertanian tidak hadir", delay=20)
    lessons = page.locator("#lessons")
    expect(lessons).to_contain_text("Pembelajaran dari desa lain")
    expect(lessons).to_contain_text("Desa Argam, Kecamatan Pulau Panjang")
    expect(lessons).to_contain_text(LESSON_RESOLUTION)
    page.locator("#catat").scroll_into_view_if_needed()
    save_screenshot(page, "saran-pembelajaran-desa-lain", top=False)
    penyuluh = record_obstacle(page, obstacle=PENYULUH, cause="Jadwal penyuluh tidak diketahui.",
                               solution="Minta Dinas Pertanian menugaskan penyuluh tetap.",
                               support="Penugasan penyuluh pertanian", support_from="Kabupaten/OPD", target_index=1)
    keuangan = record_obstacle(page, obstacle=KEUANGAN, cause="Bendahara desa baru.",
                               solution="Pendamping desa membantu menyusun laporan.")
    sheet = page.locator(".sheet")
    expect(sheet).to_contain_text(PENYULUH)
    expect(sheet).to_contain_text(KEUANGAN)

    page.get_by_role("link", name="Ondor →").click()
    expect(page.locator("h1")).to_contain_text("Desa Ondor")
    pengering = record_obstacle(page, obstacle=PENGERING, solution="Kelompok memperbaiki bersama bengkel desa.")

    # Resolve one locally (from the sheet), escalate another (from the case list).
    page.locator(".sheet").get_by_role("link", name=f"#{pengering}", exact=True).click()
    expect(page.locator("h1")).to_contain_text(f"Kasus #{pengering} · Desa Ondor")
    take_action(page, "Selesai di tingkat desa/kecamatan", {
        "Bagaimana kendala ini diselesaikan": "Bengkel desa memperbaiki mesin dengan suku cadang bekas.",
        "Diselesaikan oleh": "Kelompok pengering kopra Ondor"})
    expect(page.locator(".messages .msg-success")).to_contain_text("status kasus sekarang Terselesaikan")
    page.get_by_role("navigation", name="Menu utama").get_by_role("link", name="Kasus", exact=True).click()
    page.get_by_role("link", name=PENYULUH).click()
    expect(page.locator("h1")).to_contain_text(f"Kasus #{penyuluh} · Desa X")
    take_action(page, "Eskalasi ke kabupaten", {"Dukungan yang diminta dari kabupaten":
                                                "Mohon Dinas Pertanian menugaskan penyuluh untuk Desa X."})
    expect(page.locator(".messages .msg-success")).to_contain_text("status kasus sekarang Dieskalasi")

    page.goto(meeting_url)
    form = page.locator("#finalkan form")
    assert form.get_attribute("data-confirm"), "finalising must ask for confirmation"
    form.get_by_role("button", name="Finalkan pertemuan").click()
    expect(page.locator(".messages .msg-success")).to_contain_text("Catatan pertemuan telah final")
    expect(page.locator(".meeting-status")).to_have_text("Final")
    return {"kec": kec, "meeting_url": meeting_url, "penyuluh": penyuluh, "keuangan": keuangan,
            "pengering": pengering}


def step2_pokja_assigns(visit, world, story) -> None:
    pokja = visit("pokja.sbt")
    page = pokja.page
    step5_notification_reaches(pokja, "Kasus dieskalasi ke kabupaten", story["penyuluh"])
    pokja.go("/eskalasi/pokja/")
    case = page.locator(f"#kasus-{story['penyuluh']}")
    expect(case).to_contain_text(PENYULUH)
    expect(page.locator("main h3", has_text="Desa X")).to_be_visible()
    due = world.today + timedelta(days=30)
    case.get_by_label("OPD", exact=True).select_option(label="Dinas Pertanian — Dinas Pertanian")
    case.get_by_label("Batas waktu penyelesaian").fill(due.isoformat())
    case.get_by_label("Catatan untuk OPD").fill("Mohon penyuluh hadir di pertemuan kelompok tani bulan ini.")
    case.get_by_role("button", name="Tugaskan ke OPD").click()
    expect(page.locator(".messages .msg-success")).to_contain_text(
        f"Kasus #{story['penyuluh']} ditugaskan ke Dinas Pertanian, batas waktu {tanggal(due)}")
    expect(page.locator(f"#kasus-{story['penyuluh']}")).to_have_count(0)
    pokja.go(f"/kasus/{story['penyuluh']}/")
    due_shown = page.locator("dt", has_text="Batas waktu penyelesaian").locator("xpath=following-sibling::dd[1]")
    expect(due_shown).to_have_text(tanggal(due))
    story["pokja"] = pokja
    story["due"] = due


def step3_opd_resolves(visit, world, story) -> None:
    opd = visit("opd.pertanian")
    page = opd.page
    step5_notification_reaches(opd, "Kasus ditugaskan ke OPD", story["penyuluh"])
    expect(page.locator("main")).not_to_contain_text(OTHER_AGENCY_OBSTACLE)
    opd.go("/eskalasi/opd/")
    new = page.locator("#baru")
    expect(new).to_contain_text(PENYULUH)
    main = page.locator("main")
    expect(main).not_to_contain_text(OTHER_AGENCY_OBSTACLE)
    opd.go("/kasus/")
    expect(page.locator("main")).to_contain_text(PENYULUH)
    expect(page.locator("main")).not_to_contain_text(OTHER_AGENCY_OBSTACLE)
    response = page.goto(f"{opd.base_url}/kasus/{world.other_agency_case_id}/")
    assert response.status == 404, "another agency's case must not exist for this officer"

    opd.go("/eskalasi/opd/")
    case = page.locator(f"#kasus-{story['penyuluh']}")
    case.get_by_role("button", name="Terima kasus").click()
    expect(page.locator(".messages .msg-success")).to_contain_text(f"Kasus #{story['penyuluh']} diterima")
    case = page.locator(f"#kasus-{story['penyuluh']}")
    case.locator("summary", has_text="Laporkan perkembangan").click()
    case.locator("details[open] textarea").fill("Penyuluh Bapak Yohanis dijadwalkan hadir tiap Kamis pertama.")
    case.get_by_role("button", name="Kirim perkembangan").click()
    expect(page.locator(".messages .msg-success")).to_contain_text("Perkembangan kasus")
    case = page.locator(f"#kasus-{story['penyuluh']}")
    case.locator("summary", has_text="Tandai selesai").click()
    case.locator("details[open] textarea").fill("Penyuluh telah hadir pada dua pertemuan kelompok tani.")
    case.locator("details[open]").get_by_role("button", name="Tandai selesai").click()
    expect(page.locator(".messages .msg-success")).to_contain_text("ditandai selesai")
    expect(page.locator("#selesai")).to_contain_text(PENYULUH)
    story["opd"] = opd


def step4_next_meeting_reviews(visit, world, story) -> None:
    kec = story["kec"]
    page = kec.page
    kec.go("/")
    step5_notification_reaches(kec, "Kasus diselesaikan OPD", story["penyuluh"])
    expect(page.locator("li.notification", has_text="Perkembangan baru").first).to_contain_text(
        "Penyuluh Bapak Yohanis dijadwalkan hadir")
    kec.go("/pertemuan/baru/")
    page.get_by_label("Tanggal pertemuan", exact=True).fill(world.today.isoformat())
    page.get_by_label("Tempat").fill("Aula Kantor Camat Pulau Gorom")
    for desa, position in (("X", "1"), ("Ondor", "2"), ("Kataloka", "3"), ("Rumeon", "")):
        page.get_by_label(desa, exact=True).fill(position)
    page.get_by_role("button", name="Simpan pertemuan").click()
    expect(page.locator(".messages .msg-success")).to_contain_text("Pertemuan dibuat")
    meeting_url = page.url
    page.get_by_role("button", name="Siapkan pertemuan").click()
    expect(page.locator(".messages .msg-success")).to_contain_text("3 kasus lama dibawa ke agenda")
    expect(page.locator(".missing-reviews li")).to_have_count(3)

    page.locator("#finalkan").get_by_role("button", name="Finalkan pertemuan").click()
    expect(page.locator(".messages .msg-error")).to_contain_text(
        "Pertemuan belum dapat difinalkan: 3 kasus lama belum ditinjau")
    expect(page.locator(".meeting-status")).not_to_have_text("Final")

    page.get_by_role("link", name="Tinjau kasus lama").click()
    for case_id in (story["penyuluh"], story["keuangan"], story["pengering"]):
        expect(page.locator(f"#kasus-{case_id}")).to_be_visible()
    reviews = ((story["penyuluh"], "Dikonfirmasi selesai", "Desa X mengonfirmasi penyuluh sudah hadir."),
               (story["pengering"], "Dibuka kembali", "Mesin rusak lagi setelah dua minggu."),
               (story["keuangan"], "Masih berjalan", "Laporan sedang disusun bersama pendamping."))
    for case_id, outcome, note in reviews:
        item = page.locator(f"#kasus-{case_id}")
        item.get_by_label(outcome).check()
        item.get_by_label("Catatan peninjauan").fill(note)
        item.get_by_role("button", name="Simpan hasil peninjauan").click()
        expect(page.locator(".messages .msg-success")).to_contain_text(f"Hasil peninjauan kasus #{case_id} dicatat")
        expect(page.locator(f"#kasus-{case_id} .review-outcome")).to_contain_text(outcome)

    page.goto(meeting_url)
    page.locator("#finalkan").get_by_role("button", name="Finalkan pertemuan").click()
    expect(page.locator(".messages .msg-success")).to_contain_text("Catatan pertemuan telah final")
    kec.go(f"/kasus/{story['penyuluh']}/")
    expect(page.locator("h1 .state")).to_have_text("Ditutup")
    kec.go(f"/kasus/{story['pengering']}/")
    expect(page.locator("h1 .state")).to_have_text("Diangkat")
    story["meeting2_url"] = meeting_url


def step5_notification_reaches(visitor, kind: str, case_id: int) -> None:
    """Step 5, along the way: the recipient's notification centre shows the event and leads to the case."""
    page = visitor.page
    expect(page.locator(".bell .badge")).to_be_visible()  # the unread count in the header
    visitor.go("/notifikasi/")
    item = page.locator("li.notification.unread", has_text=f"Kasus #{case_id}").filter(has_text=kind)
    expect(item).to_have_count(1)
    expect(item).to_contain_text(PENYULUH)
    item.get_by_role("button", name="Buka kasus").click()
    page.wait_for_url(re.compile(rf"/kasus/{case_id}/$"))
    visitor.go("/notifikasi/")
    expect(page.locator("li.notification.unread", has_text=f"Kasus #{case_id}").filter(has_text=kind)).to_have_count(0)


def step6_matriks4_downloads(story) -> None:
    from openpyxl import load_workbook

    kec = story["kec"]
    page = kec.page
    page.goto(story["meeting_url"])
    link = page.get_by_role("link", name="Unduh ringkasan kecamatan (Matriks 4)")
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    workbook = load_workbook(io.BytesIO(open(download.path(), "rb").read()), read_only=True)
    text = "\n".join(str(cell) for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True)
                     for cell in row if cell is not None)
    assert "X" in text and "Ondor" in text
    assert "Penyuluh pertanian" in text, text[:2000]


def test_it_carries_the_four_roles_through_the_whole_story(visitor_factory, transactional_db):
    world = build_story_world()
    story = step1_kecamatan_holds_the_meeting(visitor_factory, world)
    step2_pokja_assigns(visitor_factory, world, story)
    step3_opd_resolves(visitor_factory, world, story)
    step4_next_meeting_reviews(visitor_factory, world, story)
    step6_matriks4_downloads(story)
