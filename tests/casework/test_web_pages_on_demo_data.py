"""Every case and meeting page renders for every demo user: 200 inside their scope, 404 outside it."""
from __future__ import annotations

import pytest
from django.core.management import call_command

from accounts.models import User
from casework import rules
from casework.meeting_selectors import desa_share_key
from casework.models import Case, Meeting
from casework.scoping import cases_for, meetings_for


@pytest.fixture
def demo(db):
    call_command("seed_demo", "--quiet")


def test_every_page_renders_for_every_role_and_scope_holds(client, demo):
    cases = list(Case.objects.all())
    meetings = list(Meeting.objects.all())
    assert cases and meetings
    for user in User.objects.all():
        client.force_login(user)
        for url in ("/", "/kasus/", "/kasus/?status=open&urut=tenggat&terlambat=on", "/kasus/?q=penyuluh",
                    "/pertemuan/"):
            assert client.get(url).status_code == 200, (user.username, url)
        visible_cases = set(cases_for(user).values_list("pk", flat=True))
        for case in cases:
            response = client.get(f"/kasus/{case.pk}/")
            expected = 200 if case.pk in visible_cases else 404
            assert response.status_code == expected, (user.username, case.pk)
            assert (case.pk in visible_cases) == rules.in_scope(user, case)
        visible_meetings = set(meetings_for(user).values_list("pk", flat=True))
        for meeting in meetings:
            urls = [f"/pertemuan/{meeting.pk}/", f"/pertemuan/{meeting.pk}/tinjauan/",
                    f"/pertemuan/{meeting.pk}/cetak/?kertas=A3"]
            entries = list(meeting.desa_entries.all())
            if entries and meeting.status != "draft":
                urls += [f"/pertemuan/{meeting.pk}/tayang/1/", f"/pertemuan/{meeting.pk}/desa/{entries[0].desa_id}/",
                         f"/pertemuan/{meeting.pk}/desa/{entries[0].desa_id}/pembelajaran/?obstacle=penyuluh+hama"]
            for url in urls:
                expected = 200 if meeting.pk in visible_meetings else 404
                assert client.get(url).status_code == expected, (user.username, url)
    client.logout()
    final = next(m for m in meetings if m.status == "finalised")
    entry = final.desa_entries.first()
    url = f"/bagikan/{final.share_token}/desa/{entry.desa_id}/{desa_share_key(final, entry.desa_id)}/"
    assert client.get(url).status_code == 200
    assert client.get("/kasus/").status_code == 302  # everything else needs a login
