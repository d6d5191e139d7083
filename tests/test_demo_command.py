"""The demo command builds a believable slice of the programme, and running it twice changes nothing."""
from django.core.management import call_command

from accounts.models import User
from casework.models import Case, CaseEvent, Desa, Kabupaten, Kecamatan, Meeting, Plan
from escalation.models import OPD, Holiday


def counts():
    return {m.__name__: m.objects.count() for m in (User, Kabupaten, Kecamatan, Desa, OPD, Plan, Meeting, Case,
                                                    CaseEvent, Holiday)}


def test_it_is_idempotent(db):
    call_command("seed_demo", "--quiet")
    first = counts()
    call_command("seed_demo", "--quiet")
    assert counts() == first


def test_it_loads_the_places_and_people_of_the_seeds(db):
    call_command("seed_demo", "--quiet")
    sbt = Kabupaten.objects.get(name="Seram Bagian Timur")
    assert sbt.timezone == "Asia/Jayapura"
    assert Kabupaten.objects.get(name="Sumba Barat Daya").timezone == "Asia/Makassar"
    assert set(sbt.kecamatan.values_list("name", flat=True)) >= {"Pulau Panjang", "Pulau Gorom", "Gorom Timur",
                                                                  "Teluk Waru"}
    assert Desa.objects.filter(name="Namaandan", kecamatan__name="Teluk Waru").exists()
    assert set(OPD.objects.filter(kabupaten=sbt).values_list("short_name", flat=True)) >= {
        "DPMD", "Dinas Pertanian", "Bappeda", "P3MD", "DKP", "Dinas Kesehatan"}
    assert set(User.objects.values_list("role", flat=True)) == {"admin", "pokja", "kecamatan", "opd"}
    for user in User.objects.all():
        assert user.check_password("bangkit-demo-2024")


def test_it_includes_the_guides_desa_x_plan(db):
    call_command("seed_demo", "--quiet")
    plan = Desa.objects.get(name="X").current_plan()
    goals = list(plan.goals.order_by("position"))
    assert "rentenir" in goals[0].statement and goals[0].target_year == 2025
    assert "hama" in goals[1].statement.lower()
    assert goals[0].activities.filter(name__icontains="BUMDES").count() >= 5


def test_it_has_cases_in_the_states_every_page_needs(db):
    from django.utils import timezone

    call_command("seed_demo", "--quiet")
    states = set(Case.objects.values_list("state", flat=True))
    assert {"raised", "escalated", "assigned", "resolved"} <= states
    assert Case.objects.filter(deadline_at__lte=timezone.now(), state="assigned").exists()  # overdue
    assert Meeting.objects.filter(status="finalised").exists()


def test_it_prints_the_logins(db, capsys):
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert "kec.gorom" in out and "pokja.sbt" in out and "opd.pertanian" in out and "bangkit-demo-2024" in out
