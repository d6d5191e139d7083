"""Region, plan and case model constraints."""
import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from casework.models import Case, CaseEvent, CaseState, Desa, Kabupaten, Kecamatan, Plan, Province
from tests.conftest import make_case
from tests.factories import DesaFactory, KecamatanFactory, PlanFactory


def test_it_allows_many_blank_region_codes(world):
    DesaFactory(kecamatan=world.kec_a1, name="Satu", code="")
    DesaFactory(kecamatan=world.kec_a1, name="Dua", code="")
    assert Desa.objects.filter(code="").count() >= 2


def test_it_refuses_a_duplicate_official_code(world):
    DesaFactory(kecamatan=world.kec_a1, name="Satu", code="8105011001")
    with pytest.raises(IntegrityError), transaction.atomic():
        DesaFactory(kecamatan=world.kec_a2, name="Dua", code="8105011001")


def test_it_refuses_two_kecamatan_of_the_same_name_in_one_kabupaten(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        KecamatanFactory(kabupaten=world.kab_a, name="Pulau Gorom")
    # ...but the same name in another kabupaten is fine.
    assert KecamatanFactory(kabupaten=world.kab_b, name="Pulau Gorom").pk


def test_it_keeps_each_plan_version(world):
    PlanFactory(desa=world.desa_a1, period="2024", version=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        PlanFactory(desa=world.desa_a1, period="2024", version=2)
    assert world.desa_a1.current_plan().version == 2


def test_it_knows_each_kabupaten_time_zone(world):
    assert world.kab_a.tz_abbreviation == "WIT"
    assert world.kab_b.tz_abbreviation == "WITA"


def test_it_denormalises_the_region_of_a_case(world):
    case = make_case(world)
    assert (case.kecamatan_id, case.kabupaten_id) == (world.kec_a1.pk, world.kab_a.pk)


def test_it_refuses_to_set_the_state_directly(world):
    case = make_case(world)
    with pytest.raises(AttributeError):
        case.state = CaseState.CLOSED
    assert Case.objects.get(pk=case.pk).state == CaseState.RAISED


def test_it_keeps_history_append_only(world):
    case = make_case(world)
    event = case.events.get()
    event.note = "diubah"
    with pytest.raises(PermissionDenied):
        event.save()
    with pytest.raises(PermissionDenied):
        event.delete()
    with pytest.raises(PermissionDenied):
        CaseEvent.objects.filter(case=case).update(note="x")
    with pytest.raises(PermissionDenied):
        CaseEvent.objects.filter(case=case).delete()
    assert CaseEvent.objects.get(pk=event.pk).note != "diubah"


def test_it_protects_regions_that_still_have_records(world):
    make_case(world)
    with pytest.raises(Exception):
        with transaction.atomic():
            Desa.objects.filter(pk=world.desa_a1.pk).delete()
    assert Desa.objects.filter(pk=world.desa_a1.pk).exists()
    assert Kabupaten.objects.count() == 2 and Province.objects.exists() and Kecamatan.objects.count() == 3
    assert Plan.objects.filter(desa=world.desa_a1).exists()
