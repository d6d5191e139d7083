"""The main pages of the four roles on the demo data (``seed_demo``), as (who, path, name)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MainPage:
    username: str | None  # None: not logged in
    path: str
    name: str  # also the screenshot's file name
    screenshot: bool = False  # saved into docs/screenshots/ (SAVE_SCREENSHOTS=1)


def main_pages() -> list[MainPage]:
    from django.db.models import Count

    from casework.models import Case, Meeting, MeetingStatus

    gorom_final = Meeting.objects.get(kecamatan__name="Pulau Gorom", status=MeetingStatus.FINALISED)
    first_desa = gorom_final.desa_entries.order_by("position").first().desa_id
    kodi_review = (Meeting.objects.filter(kecamatan__name="Kodi Balaghar", status=MeetingStatus.PREPARED)
                   .annotate(n=Count("agenda")).filter(n__gt=0).get())
    busiest = (Case.objects.filter(kecamatan__name="Pulau Gorom").annotate(n=Count("events")).order_by("-n", "pk")
               .first())
    return [
        MainPage(None, "/masuk/", "masuk"),
        MainPage("kec.gorom", "/", "beranda-kecamatan", True),
        MainPage("kec.gorom", "/kasus/", "daftar-kasus", True),
        MainPage("kec.gorom", f"/kasus/{busiest.pk}/", "detail-kasus", True),
        MainPage("kec.gorom", "/pertemuan/", "daftar-pertemuan"),
        MainPage("kec.gorom", f"/pertemuan/{gorom_final.pk}/", "halaman-pertemuan", True),
        MainPage("kec.gorom", f"/pertemuan/{gorom_final.pk}/desa/{first_desa}/", "lembar-desa", True),
        MainPage("kec.gorom", f"/pertemuan/{gorom_final.pk}/tayang/1/", "proyektor", True),
        MainPage("kec.kodi", f"/pertemuan/{kodi_review.pk}/tinjauan/", "peninjauan", True),
        MainPage("kec.gorom", "/notifikasi/", "notifikasi-kecamatan", True),
        MainPage("pokja.sbt", "/", "beranda-pokja"),
        MainPage("pokja.sbt", "/eskalasi/pokja/", "kotak-masuk-pokja", True),
        MainPage("pokja.sbt", "/eskalasi/dasbor/", "dasbor", True),
        MainPage("pokja.sbt", "/eskalasi/rakor/", "rakor"),
        MainPage("pokja.sbt", "/notifikasi/", "notifikasi-pokja"),
        MainPage("opd.pertanian", "/", "beranda-opd"),
        MainPage("opd.pertanian", "/eskalasi/opd/", "ruang-kerja-opd", True),
        MainPage("opd.pertanian", "/notifikasi/", "notifikasi-opd"),
        MainPage("admin", "/", "beranda-admin"),
    ]


def by_user(pages: list[MainPage]) -> dict[str | None, list[MainPage]]:
    grouped: dict[str | None, list[MainPage]] = {}
    for page in pages:
        grouped.setdefault(page.username, []).append(page)
    return grouped
