"""Bahasa Indonesia throughout: no English left on the four roles' pages, error states included.

Rendered with Django's test client (no browser needed, so this runs with ``-m "not browser"`` too).
Our own msgids are the Indonesian text, so what can leak is English from elsewhere: Django's own
messages (its ``.po`` entries in English, which must arrive translated), Django's built-in error
pages, or an English word typed into a template. The scan reads the visible text and the attributes
people read (placeholder, title, aria-label, alt, button values); the demo data is Indonesian.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import django
import pytest

from tests.browser.pages import main_pages

DJANGO_PO = [Path(django.__file__).parent / "conf/locale/id/LC_MESSAGES/django.po",
             Path(django.__file__).parent / "contrib/auth/locale/id/LC_MESSAGES/django.po"]
# Everyday English UI words that have no place on an Indonesian page (whole words, case-sensitive).
ENGLISH_WORDS = [
    "Submit", "Save", "Cancel", "Delete", "Search", "Next", "Previous", "required", "This field", "Page",
    "Log in", "Log out", "Logout", "Password", "Username", "Home", "Back", "Edit", "Remove", "Filter", "Show",
    "Hide", "Yes", "None", "Unknown", "Loading", "Error", "Warning", "Close", "Download", "Upload", "Settings",
    "Notifications", "Dashboard", "Inbox", "Cases", "Meeting", "Meetings", "Village", "District", "Overdue",
    "Assigned", "Escalated", "Resolved", "Closed", "Withdrawn", "Raised", "Deadline", "History", "Comment",
    "Progress", "Acknowledge", "Confirm", "Reopen", "Print", "Projector", "Not Found", "Forbidden", "Bad Request",
    "January", "February", "March", "April", "May", "June", "July", "August", "October", "December",
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "ago",
]
READ_ATTRIBUTES = {"placeholder", "title", "aria-label", "alt"}
MONTHS_ID = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
             "November", "Desember")


class TextOf(HTMLParser):
    """Visible text and read-out attributes of a page, without scripts and styles."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        attrs = dict(attrs)
        for name in READ_ATTRIBUTES:
            if attrs.get(name):
                self.parts.append(attrs[name])
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.parts.append(attrs["value"])

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.parts.append(data.strip())


def text_of(html: str) -> str:
    parser = TextOf()
    parser.feed(html)
    return "\n".join(parser.parts)


def django_english_messages() -> list[str]:
    """Django's own English messages that have an Indonesian translation (sentences, no placeholders)."""
    found = []
    for po in DJANGO_PO:
        entries = re.findall(r'^msgid "(.+)"\nmsgstr "(.+)"$', po.read_text(encoding="utf-8"), flags=re.M)
        for msgid, msgstr in entries:
            if msgid != msgstr and " " in msgid and len(msgid) >= 12 and not re.search(r"[%{]", msgid):
                found.append(msgid)
    assert len(found) > 50, "Django's Indonesian catalogue was not found"
    return found


def leftovers(text: str, django_messages: list[str]) -> list[str]:
    found = [w for w in ENGLISH_WORDS if re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", text)]
    found += [m for m in django_messages if m in text]
    return found


def rendered_pages(client) -> list[tuple[str, str, int]]:
    """(who and what, html, status) for the main pages and the error states people meet."""
    from accounts.models import User
    from casework.models import Meeting, MeetingStatus

    out = []
    for main_page in main_pages():
        client.logout()
        if main_page.username:
            client.force_login(User.objects.get(username=main_page.username))
        response = client.get(main_page.path)
        out.append((f"{main_page.username} {main_page.path}", response.content.decode(), response.status_code))

    client.logout()
    response = client.post("/masuk/", {"username": "kec.gorom", "password": "salah"})
    out.append(("wrong password", response.content.decode(), response.status_code))
    client.force_login(User.objects.get(username="kec.kodi"))
    response = client.post("/pertemuan/baru/", {"kecamatan": "", "date": "bukan-tanggal"})
    out.append(("meeting form with errors", response.content.decode(), response.status_code))
    prepared = Meeting.objects.get(kecamatan__name="Kodi Balaghar", status=MeetingStatus.PREPARED)
    desa_id = prepared.desa_entries.first().desa_id
    response = client.post(f"/pertemuan/{prepared.pk}/desa/{desa_id}/kendala/", {"support_from": "desa"})
    out.append(("obstacle form with errors", response.content.decode(), response.status_code))
    response = client.get("/kasus/999999/")
    out.append(("page not found", response.content.decode(), response.status_code))
    client.force_login(User.objects.get(username="opd.pertanian"))
    response = client.get("/eskalasi/pokja/")
    out.append(("forbidden", response.content.decode(), response.status_code))
    return out


@pytest.mark.django_db
def test_it_leaves_no_english_on_the_four_roles_pages(client):
    from django.core.management import call_command

    call_command("seed_demo", "--quiet")
    django_messages = django_english_messages()
    problems, statuses = [], {}
    pages = rendered_pages(client)
    for name, html, status in pages:
        statuses[name] = status
        assert '<html lang="id">' in html, f"{name}: not marked as Indonesian"
        found = leftovers(text_of(html), django_messages)
        if found:
            problems.append(f"{name}: {found}")
    assert statuses["page not found"] == 404 and statuses["forbidden"] == 403
    assert statuses["meeting form with errors"] == 400 and statuses["obstacle form with errors"] == 400
    assert len(pages) >= 20
    assert not problems, "English left on Indonesian pages:\n" + "\n".join(problems)


@pytest.mark.django_db
def test_it_writes_dates_the_indonesian_way(client):
    """28 Maret 2024: day, Indonesian month name, year, on the meeting pages people print and share."""
    from datetime import date

    from accounts.models import User
    from casework.models import Desa
    from casework.services.meetings import meeting_create
    from django.core.management import call_command

    call_command("seed_demo", "--no-cases", "--quiet")
    staff = User.objects.get(username="kec.gorom")
    desa = Desa.objects.get(kecamatan=staff.kecamatan, name="X")
    meeting = meeting_create(user=staff, kecamatan_id=staff.kecamatan_id, date=date(2024, 3, 28), desa_ids=[desa.pk],
                             next_meeting_date=date(2024, 8, 17))
    client.force_login(staff)
    text = text_of(client.get(f"/pertemuan/{meeting.pk}/").content.decode())
    assert "Kamis, 28 Maret 2024" in text
    assert "17 Agustus 2024" in text
    assert not leftovers(text, [])


def test_it_catches_english_when_there_is_some():
    """The scanner itself: it must see what it is meant to catch, and not flag Indonesian."""
    html = ('<html lang="id"><body><button>Submit</button><input placeholder="Search cases">'
            "<p>This field is required.</p><script>var Save = 1;</script></body></html>")
    text = text_of(html)
    assert leftovers(text, ["This field is required."]) == ["Submit", "Search", "required", "This field",
                                                            "This field is required."]
    assert leftovers(text_of("<p>Kamis, 28 Maret 2024 · Simpan · Cari · Wajib diisi</p>"), []) == []
    assert all(month in text_of(f"<p>{month}</p>") for month in MONTHS_ID)
