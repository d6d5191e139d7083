"""A NUL character (which PostgreSQL cannot store) is refused by the services themselves, with nothing written."""
import pytest

from casework.models import Case, CaseEvent
from casework.services.cases import case_add_comment, case_add_progress, case_update_text
from casework.services.errors import ValidationFailed
from tests.conftest import make_case, step


def test_a_nul_in_any_text_is_refused_and_nothing_changes(world):
    with pytest.raises(ValidationFailed) as refused:
        make_case(world, obstacle="Kendala\x00tersembunyi")
    assert "null" in refused.value.message
    assert not Case.objects.exists()
    case = make_case(world)
    events = CaseEvent.objects.count()
    for call in (
        lambda: case_update_text(user=world.kecamatan_user, case_id=case.pk, expected_version=case.version,
                                 cause="Penyebab\x00"),
        lambda: step(case, world.kecamatan_user, "escalate", "Dukungan\x00"),
        lambda: case_add_progress(user=world.kecamatan_user, case_id=case.pk, note="\x00"),
        lambda: case_add_comment(user=world.kecamatan_user, case_id=case.pk, note="a\x00b"),
    ):
        with pytest.raises(ValidationFailed):
            call()
    case.refresh_from_db()
    assert case.state == "raised" and case.version == 1 and case.cause == ""
    assert CaseEvent.objects.count() == events
