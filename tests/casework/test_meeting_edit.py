"""Changing a meeting's details after it was created."""
from datetime import timedelta

from django.utils import timezone

from casework.models import Meeting
from casework.services.meetings import meeting_create, meeting_finalise, meeting_prepare


def _meeting(world):
    return meeting_create(user=world.kecamatan_user, kecamatan_id=world.kec_a1.pk,
                          date=timezone.localdate() + timedelta(days=7), place="Aula",
                          desa_ids=[world.desa_a1.pk], participants=[{"name": "Kades X", "kind": "desa"}])


def _post(client, meeting, **overrides):
    data = {"kecamatan": meeting.kecamatan_id, "version": meeting.version,
            "date": (meeting.date + timedelta(days=1)).isoformat(), "place": "Balai Desa Ondor", "chair": "Camat",
            "next_meeting_date": "", "participants_desa": "Ibu Sinta, Ondor\nBapak Ali, X",
            "participants_opd": "", "participants_facilitator": ""}
    data.update(overrides)
    return client.post(f"/pertemuan/{meeting.pk}/ubah/", data)


def test_it_changes_details_and_participants(client, world):
    meeting = _meeting(world)
    client.force_login(world.kecamatan_user)
    assert "Kades X" in client.get(f"/pertemuan/{meeting.pk}/ubah/").content.decode()
    response = _post(client, meeting)
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.place == "Balai Desa Ondor" and meeting.version == 2
    assert sorted(meeting.participants.values_list("name", flat=True)) == ["Bapak Ali", "Ibu Sinta"]


def test_a_stale_form_is_refused_and_keeps_what_was_typed(client, world):
    meeting = _meeting(world)
    client.force_login(world.kecamatan_user)
    _post(client, meeting)  # version 1 -> 2
    response = _post(client, meeting, place="Tempat yang saya ketik")  # still says version 1
    assert response.status_code == 409
    body = response.content.decode()
    assert "telah diubah oleh orang lain" in body and "Tempat yang saya ketik" in body
    assert Meeting.objects.get(pk=meeting.pk).place == "Balai Desa Ondor"


def test_an_outsider_gets_a_404_and_a_finalised_meeting_stays_as_it_was(client, world):
    meeting = _meeting(world)
    client.force_login(world.kecamatan_outsider)
    assert _post(client, meeting).status_code == 404
    meeting_prepare(user=world.kecamatan_user, meeting_id=meeting.pk)
    meeting_finalise(user=world.kecamatan_user, meeting_id=meeting.pk)
    client.force_login(world.kecamatan_user)
    meeting.refresh_from_db()
    _post(client, meeting)
    assert Meeting.objects.get(pk=meeting.pk).place == "Aula"


def test_next_meeting_must_come_after_this_one(client, world):
    meeting = _meeting(world)
    client.force_login(world.kecamatan_user)
    response = _post(client, meeting, next_meeting_date=meeting.date.isoformat())
    assert response.status_code == 400
    assert Meeting.objects.get(pk=meeting.pk).place == "Aula"
