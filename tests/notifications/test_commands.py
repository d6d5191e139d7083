"""The management commands: send_reminders runs the sweep, deliver_notifications sends what is due."""
from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from tests.notifications.conftest import assigned_case, local_today

pytestmark = pytest.mark.django_db


def test_send_reminders_prints_what_it_created_and_deliver_sends_it(any_hour):
    world = any_hour
    assigned_case(world, due=local_today(world) + timedelta(days=2))
    call_command("deliver_notifications", stdout=StringIO())  # the escalation and assignment events
    mail.outbox.clear()
    out = StringIO()
    call_command("send_reminders", stdout=out)
    assert "Tenggat segera tiba: 1" in out.getvalue()
    out = StringIO()
    call_command("deliver_notifications", stdout=out)
    assert "Pesan terkirim: 1" in out.getvalue()
    assert [m.to for m in mail.outbox] == [[world.opd_user.email]]
    out = StringIO()
    call_command("send_reminders", stdout=out)
    assert "Tidak ada pengingat baru." in out.getvalue()
