"""The demo data gives every escalation page something real to show."""
from __future__ import annotations

import pytest
from django.core.management import call_command

from accounts.models import User


@pytest.fixture
def demo(db):
    call_command("seed_demo", "--quiet")


def test_every_escalation_page_has_something_to_show(client, demo):
    client.force_login(User.objects.get(username="pokja.sbt"))
    inbox = client.get("/eskalasi/pokja/")
    cases = [c for g in inbox.context["groups"] for d in g.desa_groups for c in d.cases]
    assert len(cases) >= 2
    assert any(c.returned for c in cases) and any(c.overdue_now for c in cases)
    rakor = client.get("/eskalasi/rakor/").context
    assert rakor["last_rakor"] is not None
    assert rakor["totals"]["open"] >= 2 and rakor["totals"]["overdue"] >= 1 and rakor["totals"]["resolved_since"] >= 1
    assert client.get("/eskalasi/rakor/cetak/").status_code == 200
    dash = client.get("/eskalasi/dasbor/").context
    assert dash["totals"]["overdue"] >= 1 and dash["medians"] and dash["carried_by_meeting"] is not None
    assert client.get("/eskalasi/kebijakan/").status_code == 200
    assert client.get("/eskalasi/hari-libur/").context["holidays"]

    client.force_login(User.objects.get(username="opd.pertanian"))
    ws = client.get("/eskalasi/opd/").context["ws"]
    assert ws.overdue and ws.in_progress

    admin = User.objects.filter(is_superuser=True).first()
    client.force_login(admin)
    for url in ("/eskalasi/pokja/", "/eskalasi/dasbor/", "/eskalasi/rakor/", "/eskalasi/kebijakan/",
                "/eskalasi/hari-libur/"):
        assert client.get(url).status_code == 200, url
