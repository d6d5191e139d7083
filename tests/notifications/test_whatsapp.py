"""The WhatsApp/SMS gateway channel against a local HTTP server that answers like Fonnte/Wablas."""
import pytest
from django.utils import timezone

from notifications.channels import ChannelError, Message, get_channel
from notifications.delivery import deliver_due_notifications
from notifications.models import Delivery
from tests.conftest import make_case, step
from tests.factories import UserFactory
from tests.notifications.fakes import FakeGateway

MESSAGE = Message(subject="s", text="t", html="<p>t</p>", short="Kasus #7 (Desa X) ditugaskan ke Dinas Pertanian.")


@pytest.fixture
def gateway(settings):
    with FakeGateway() as server:
        settings.WHATSAPP_GATEWAY_URL, settings.WHATSAPP_GATEWAY_TOKEN = server.url, "token-rahasia"
        yield server


def person(phone="0812-3456-7890"):
    return UserFactory.build(username="petugas", phone=phone, notify_whatsapp=True)


def test_it_posts_number_text_and_token_like_the_indonesian_gateways(gateway):
    get_channel("whatsapp").send(recipient=person(), message=MESSAGE)
    (request,) = gateway.requests
    assert request["headers"]["Authorization"] == "token-rahasia"
    assert request["form"]["target"] == "6281234567890" == request["form"]["phone"]
    assert request["form"]["message"] == MESSAGE.short


@pytest.mark.parametrize("status", [400, 401, 403, 404, 422])
def test_a_4xx_answer_is_permanent(gateway, status):
    gateway.respond(status, {"status": False, "reason": "rejected"})
    with pytest.raises(ChannelError) as failure:
        get_channel("whatsapp").send(recipient=person(), message=MESSAGE)
    assert failure.value.permanent and str(status) in failure.value.message


@pytest.mark.parametrize("status", [429, 500, 502, 503])
def test_a_5xx_or_429_answer_is_temporary(gateway, status):
    gateway.respond(status, {"status": False})
    with pytest.raises(ChannelError) as failure:
        get_channel("whatsapp").send(recipient=person(), message=MESSAGE)
    assert not failure.value.permanent


def test_a_200_with_status_false_is_a_failure_too(gateway):
    gateway.respond(200, {"status": False, "reason": "invalid token"})
    with pytest.raises(ChannelError) as failure:
        get_channel("whatsapp").send(recipient=person(), message=MESSAGE)
    assert failure.value.permanent
    gateway.respond(200, {"status": False, "reason": "device disconnected"})
    with pytest.raises(ChannelError) as failure:
        get_channel("whatsapp").send(recipient=person(), message=MESSAGE)
    assert not failure.value.permanent


def test_an_unreachable_gateway_is_temporary(settings):
    settings.WHATSAPP_GATEWAY_URL = "http://127.0.0.1:9/send"  # discard port: nothing listens
    with pytest.raises(ChannelError) as failure:
        get_channel("whatsapp").send(recipient=person(), message=MESSAGE)
    assert not failure.value.permanent


def test_a_bad_number_is_permanent_and_nothing_is_posted(gateway):
    with pytest.raises(ChannelError) as failure:
        get_channel("whatsapp").send(recipient=person("12"), message=MESSAGE)
    assert failure.value.permanent
    assert gateway.requests == []


@pytest.mark.django_db
def test_a_case_event_reaches_the_officer_on_whatsapp_and_failures_are_recorded(any_hour, gateway):
    world = any_hour
    officer = world.opd_user
    officer.notify_whatsapp = True
    officer.save()
    case = make_case(world)
    step(case, world.kecamatan_user, "escalate", "Mohon bantuan.")
    step(case, world.pokja_user, "assign", "Mohon penyuluh dijadwalkan.", opd=world.opd_a_tani,
         due_date=timezone.localdate() + timezone.timedelta(days=10), assignee=officer)
    gateway.respond(500, {"status": False, "reason": "server error"})
    deliver_due_notifications()
    failed = Delivery.objects.get(recipient=officer, channel="whatsapp")
    assert (failed.status, failed.attempts, failed.permanent_failure) == ("pending", 1, False)
    assert "500" in failed.last_error
    deliver_due_notifications(now=failed.next_attempt_at)
    sent = Delivery.objects.get(pk=failed.pk)
    assert sent.status == "sent" and sent.attempts == 2
    assert len(gateway.requests) == 2
    assert gateway.requests[-1]["form"]["target"] == "6281234567890"
    assert f"Kasus #{case.pk}" in gateway.requests[-1]["form"]["message"]
