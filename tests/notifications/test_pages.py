"""The notification centre, the bell and the settings page."""
import pytest
from django.urls import reverse

from notifications.models import Notification
from tests.conftest import make_case, step

pytestmark = pytest.mark.django_db


@pytest.fixture
def escalated(world):
    cases = [make_case(world, obstacle=f"Kendala {i}") for i in range(3)]
    for case in cases:
        step(case, world.kecamatan_user, "escalate", "Mohon bantuan.")
    return cases


def test_the_bell_shows_the_unread_count(client, world, escalated):
    client.force_login(world.pokja_user)
    page = client.get(reverse("home")).content.decode()
    assert reverse("notifications:list") in page
    assert '<span class="badge">3</span>' in page


def test_the_centre_lists_only_my_notifications_with_links_to_the_cases(client, world, escalated):
    client.force_login(world.pokja_user)
    response = client.get(reverse("notifications:list"))
    assert response.status_code == 200
    body = response.content.decode()
    for case in escalated:
        assert f"Kasus #{case.pk}" in body
        assert reverse("notifications:open", args=[Notification.objects.get(case=case).pk]) in body
    client.force_login(world.pokja_outsider)
    assert "Belum ada notifikasi" in client.get(reverse("notifications:list")).content.decode()


def test_opening_marks_read_and_goes_to_the_case(client, world, escalated):
    client.force_login(world.pokja_user)
    n = Notification.objects.get(case=escalated[0])
    response = client.post(reverse("notifications:open", args=[n.pk]))
    assert response.status_code == 302 and response["Location"].endswith(f"/kasus/{escalated[0].pk}/")
    n.refresh_from_db()
    assert n.read_at is not None
    assert client.get(reverse("notifications:list") + "?status=unread").context["page"].paginator.count == 2


def test_marking_needs_a_post(client, world, escalated):
    client.force_login(world.pokja_user)
    n = Notification.objects.get(case=escalated[0])
    assert client.get(reverse("notifications:read", args=[n.pk])).status_code == 405
    n.refresh_from_db()
    assert n.read_at is None


def test_mark_one_and_mark_all_read(client, world, escalated):
    client.force_login(world.pokja_user)
    n = Notification.objects.get(case=escalated[0])
    client.post(reverse("notifications:read", args=[n.pk]))
    assert Notification.objects.filter(recipient=world.pokja_user, read_at=None).count() == 2
    client.post(reverse("notifications:read_all"))
    assert not Notification.objects.filter(recipient=world.pokja_user, read_at=None).exists()


def test_someone_elses_notification_is_a_404(client, world, escalated):
    n = Notification.objects.get(case=escalated[0])
    client.force_login(world.pokja_outsider)
    assert client.post(reverse("notifications:read", args=[n.pk])).status_code == 404
    assert client.post(reverse("notifications:open", args=[n.pk])).status_code == 404
    n.refresh_from_db()
    assert n.read_at is None


def test_the_settings_page_saves_a_normalised_phone(client, world):
    client.force_login(world.opd_user)
    response = client.post(reverse("notifications:preferences"),
                           {"phone": "0812-1111-2222", "notify_whatsapp": "on"})
    assert response.status_code == 302
    world.opd_user.refresh_from_db()
    assert (world.opd_user.phone, world.opd_user.notify_whatsapp, world.opd_user.notify_email) == (
        "+6281211112222", True, False)


def test_the_settings_page_keeps_what_was_typed_when_refused(client, world):
    client.force_login(world.opd_user)
    response = client.post(reverse("notifications:preferences"), {"phone": "12", "notify_whatsapp": "on"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Nomor telepon tidak valid" in body and 'value="12"' in body
    world.opd_user.refresh_from_db()
    assert world.opd_user.phone == "+6281234567890" and not world.opd_user.notify_whatsapp


def test_whatsapp_without_a_number_is_refused(client, world):
    client.force_login(world.pokja_user)
    response = client.post(reverse("notifications:preferences"), {"phone": "", "notify_whatsapp": "on"})
    assert response.status_code == 200
    assert "Isi nomor WhatsApp/HP" in response.content.decode()


def test_the_centre_shows_reminders_and_meeting_reminders(client, world):
    from datetime import timedelta

    from casework.services.meetings import meeting_create
    from notifications.sweep import sweep_reminders
    from tests.notifications.conftest import assigned_case, local_today

    case = assigned_case(world, due=local_today(world) + timedelta(days=2))
    meeting_create(user=world.kecamatan_user, kecamatan_id=world.kec_a1.pk,
                   date=local_today(world) + timedelta(days=1), desa_ids=[world.desa_a1.pk])
    sweep_reminders()
    client.force_login(world.opd_user)
    body = client.get(reverse("notifications:list") + "?kind=deadline_soon").content.decode()
    assert f"Kasus #{case.pk}" in body and "Tenggat: diselesaikan OPD" in body
    client.force_login(world.kecamatan_user)
    body = client.get(reverse("notifications:list") + "?kind=meeting").content.decode()
    assert "Pertemuan koordinasi Kecamatan Pulau Gorom" in body and "1 kasus perlu ditinjau." in body
