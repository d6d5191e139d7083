"""Fuzzing every form: random field values POSTed by the right user never give a server error, and any
answer other than a success redirect leaves every data table as it was.

Each target draws (role, url, POST data) from the real objects of the matrix world: meaningful values
(the case's current version, OPDs of both kabupaten, desa ids, dates) mixed with odd text, huge
numbers, NUL characters, very long strings and markup. Every example runs in a savepoint that is
rolled back, so each starts from the same world.
"""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from hypothesis import event, given, settings
from hypothesis import strategies as st

from casework.models import ReviewOutcome, SupportFrom
from casework.services.cases import ACTION_LABELS
from escalation.services import POLICY_FIELDS
from tests.fuzz.conftest import examples
from tests.fuzz.strategies import field_value, odd_text
from tests.security.matrix import mw  # noqa: F401 - the module-scoped world fixture
from tests.security.urlwalk import db_fingerprint

pytestmark = pytest.mark.django_db

ROLE_FOR_ACTION = {"assign": "pokja", "send_back": "pokja", "resolve": "opd", "return_case": "opd"}
SOON = [(date.today() + timedelta(days=d)).isoformat() for d in (0, 1, 14, 400)]


def _ids(mw):
    w = mw.world
    return {
        "opd": [w.opd_a_tani.pk, w.opd_a_dpmd.pk, w.opd_b_tani.pk, 0, 999_999],
        "desa": [w.desa_a1.pk, w.desa_a1b.pk, w.desa_a2.pk, w.desa_b1.pk],
        "kab": [w.kab_a.pk, w.kab_b.pk],
        "kec": [w.kec_a1.pk, w.kec_a2.pk, w.kec_b1.pk],
        "users": [w.opd_user.pk, w.opd_outsider.pk, w.opd_other_kab.pk],
        "cases": [mw.inside.case.pk, mw.outside.case.pk],
    }


def form(draw, fields: dict) -> dict:
    """Draw a value for each field, leaving some out (a browser never sends some, an attacker any)."""
    return draw(st.fixed_dictionaries({}, optional=fields))


@st.composite
def case_action(draw, mw):
    case, ids = mw.inside.case, _ids(mw)
    action = draw(st.sampled_from(sorted(ACTION_LABELS)))
    data = form(draw, {f"{action}-{k}": v for k, v in {
        "version": field_value(case.version, case.version - 1), "note": field_value(),
        "resolved_by": field_value("Pemerintah Desa X"), "opd": field_value(*ids["opd"]),
        "due_date": field_value(*SOON)}.items()})
    role = draw(st.sampled_from([ROLE_FOR_ACTION.get(action, "kec"), "admin"]))
    return role, reverse("casework:case_action", args=[case.pk, action]), data


@st.composite
def case_notes(draw, mw):
    case = mw.inside.case
    name, prefix = draw(st.sampled_from([("case_progress", "progress"), ("case_comment", "comment"),
                                         ("case_acknowledge", "")]))
    fields = {"version": field_value(case.version), "note": field_value()}
    data = form(draw, {(f"{prefix}-{k}" if prefix else k): v for k, v in fields.items()})
    return draw(st.sampled_from(["opd", "kec", "pokja"])), reverse(f"casework:{name}", args=[case.pk]), data


@st.composite
def case_edit(draw, mw):
    case = mw.inside.case
    text = {f"edit-{k}": field_value() for k in ("obstacle", "cause", "solution", "support_needed")}
    data = form(draw, {**text, "edit-version": field_value(case.version),
                       "edit-support_from": field_value(*SupportFrom.values)})
    return "kec", reverse("casework:case_edit", args=[case.pk]), data


def _meeting_fields(mw):
    ids = _ids(mw)
    fields = {"kecamatan": field_value(*ids["kec"]), "date": field_value(*SOON), "place": field_value("Kantor Camat"),
              "chair": field_value("Camat"), "next_meeting_date": field_value(*SOON),
              "version": field_value(mw.inside.meeting.version)}
    fields.update({name: field_value("Ni Luh Ayu, Desa X\nYohanis, Ondor") for name in
                   ("participants_desa", "participants_opd", "participants_facilitator")})
    fields.update({f"urutan_{pk}": field_value(1, 2, 3) for pk in ids["desa"]})
    return fields


@st.composite
def meeting_forms(draw, mw):
    m = mw.inside.meeting
    name = draw(st.sampled_from(["meeting_create", "meeting_edit", "meeting_order", "meeting_prepare",
                                 "meeting_finalise"]))
    url = reverse(f"casework:{name}") if name == "meeting_create" else reverse(f"casework:{name}", args=[m.pk])
    return draw(st.sampled_from(["kec", "admin"])), url, form(draw, _meeting_fields(mw))


@st.composite
def meeting_record(draw, mw):
    m, plan = mw.inside.meeting, mw.inside.plan
    goal = plan.goals.first()
    targets = [f"goal:{goal.pk}", f"activity:{goal.activities.first().pk}", "goal:999999", "activity:x", ""]
    fields = {k: field_value() for k in ("obstacle", "cause", "solution", "support_needed")}
    fields.update(target=field_value(*targets), support_from=field_value(*SupportFrom.values), cari=field_value("1"))
    desa = draw(st.sampled_from([mw.inside.desa.pk, mw.world.desa_a1b.pk]))
    return "kec", reverse("casework:meeting_record", args=[m.pk, desa]), form(draw, fields)


@st.composite
def meeting_review(draw, mw):
    m, case = mw.inside.meeting, mw.inside.case
    p = f"r{case.pk}"
    data = form(draw, {f"{p}-outcome": field_value(*ReviewOutcome.values), f"{p}-note": field_value(),
                       f"{p}-version": field_value(case.version)})
    return "kec", reverse("casework:meeting_review_case", args=[m.pk, case.pk]), data


@st.composite
def pokja_forms(draw, mw):
    case, ids = mw.inside.case, _ids(mw)
    p = f"c{case.pk}"
    name = draw(st.sampled_from(["assign", "send_back", "bulk_assign", "policy", "holiday_create", "rakor_create"]))
    common = {"kabupaten": field_value(*ids["kab"]), "note": field_value(), "date": field_value(*SOON),
              "name": field_value("Hari raya"), "national": field_value("on"), "notes": field_value(),
              "opd": field_value(*ids["opd"]), "assignee": field_value(*ids["users"]),
              "due_date": field_value(*SOON)}
    common.update({f"{p}-{k}": field_value(*values) for k, values in {
        "expected_version": [case.version], "opd": ids["opd"], "assignee": ids["users"], "due_date": SOON,
        "note": []}.items()})
    common.update({f: field_value(0, 1, 7, 23, 24) for f in POLICY_FIELDS})
    data = form(draw, common)
    if name == "bulk_assign":
        data["cases"] = draw(st.lists(field_value(*ids["cases"]), max_size=3))
        data.update({f"version_{pk}": draw(field_value(case.version)) for pk in ids["cases"]})
    url = reverse(f"escalation:{name}", args=[case.pk]) if name in ("assign", "send_back") \
        else reverse(f"escalation:{name}")
    return draw(st.sampled_from(["pokja", "admin"])), url, data


@st.composite
def workspace_act(draw, mw):
    case = mw.inside.case
    action = draw(st.sampled_from(["acknowledge", "progress", "resolve", "return", "lain"]))
    p = f"c{case.pk}"
    data = form(draw, {f"{p}-expected_version": field_value(case.version), f"{p}-note": field_value()})
    return "opd", f"/eskalasi/opd/kasus/{case.pk}/{action}/", data


@st.composite
def notification_forms(draw, mw):
    role = draw(st.sampled_from(["kec", "opd", "pokja"]))
    user = mw.user(role)
    name = draw(st.sampled_from(["preferences", "read", "read_all"]))
    fields = {"phone": field_value("0812-3456-7890", "+6281234567890"), "notify_email": field_value("on"),
              "notify_whatsapp": field_value("on"),
              "next": field_value("/kasus/", "https://contoh.invalid/", "//contoh.invalid", "/\\contoh.invalid")}
    url = reverse("notifications:read", args=[mw.inside.notifications[user.pk].pk]) if name == "read" \
        else reverse(f"notifications:{name}")
    return role, url, form(draw, fields)


@st.composite
def excel_forms(draw, mw):
    ids = _ids(mw)
    name = draw(st.sampled_from(["plan_upload", "meeting_upload", "register_export"]))
    data = form(draw, {"desa": field_value(*ids["desa"]), "period": field_value("2024", "2024-2026"),
                       "kecamatan": field_value(*ids["kec"])})
    if draw(st.booleans()):
        data["file"] = SimpleUploadedFile(draw(odd_text)[:100].replace("\x00", "") + ".xlsx",
                                          draw(st.binary(max_size=200)))
    url = reverse("excel:meeting_upload", args=[mw.inside.meeting.pk]) if name == "meeting_upload" \
        else reverse(f"excel:{name}")
    return draw(st.sampled_from(["kec", "pokja"])), url, data


TARGETS = {
    "case_action": case_action, "case_notes": case_notes, "case_edit": case_edit, "meeting_forms": meeting_forms,
    "meeting_record": meeting_record, "meeting_review": meeting_review, "pokja_forms": pokja_forms,
    "workspace_act": workspace_act, "notification_forms": notification_forms, "excel_forms": excel_forms,
}


@pytest.mark.parametrize("target", sorted(TARGETS))
def test_it_never_fails_or_half_writes_on_random_form_input(mw, target):
    before = db_fingerprint()  # every example is rolled back, so each starts from here

    @settings(max_examples=examples(40))
    @given(drawn=TARGETS[target](mw))
    def run(drawn):
        role, url, data = drawn
        with transaction.atomic():
            response = mw.clients[role].post(url, data)
            status = response.status_code
            changed = status != 302 and db_fingerprint() != before
            transaction.set_rollback(True)
        event(f"{url.split('/')[1]} {url.split('/')[-2]} -> {status}")
        assert status < 500, f"POST {url} as {role} answered {status}"
        assert not changed, f"POST {url} as {role} answered {status} but changed data"
        if status == 302:
            location = response["Location"]
            assert location.startswith("/") and not location.startswith(("//", "/\\")), location

    run()


@st.composite
def list_filters(draw, mw):
    ids = _ids(mw)
    url = draw(st.sampled_from(["/kasus/", "/pertemuan/", "/notifikasi/", "/rencana/", "/eskalasi/dasbor/",
                                f"/pertemuan/{mw.inside.meeting.pk}/cetak/", "/eskalasi/pokja/", "/excel/",
                                f"/pertemuan/{mw.inside.meeting.pk}/desa/{mw.inside.desa.pk}/pembelajaran/",
                                "/eskalasi/hari-libur/", "/eskalasi/rakor/", "/excel/rencana/impor/"]))
    params = form(draw, {
        "q": field_value(), "status": field_value("open", "ended", "raised"), "kabupaten": field_value(*ids["kab"]),
        "kecamatan": field_value(*ids["kec"]), "desa": field_value(*ids["desa"]), "opd": field_value(*ids["opd"]),
        "pertemuan": field_value(), "terlambat": field_value("on"), "urut": field_value("tenggat", "desa"),
        "page": field_value(1, 2, -1, 10**30), "kind": field_value("progress"), "obstacle": field_value(),
        "kertas": field_value("A3"), "tahun": field_value(2024, 10**20), "period": field_value()})
    return draw(st.sampled_from(["kec", "pokja", "admin", "opd"])), url, params


def test_it_never_fails_on_random_list_filters(mw):
    """The GET forms (filters, search, pagination, paper size) too: never a server error."""

    @settings(max_examples=examples(60))
    @given(drawn=list_filters(mw))
    def run(drawn):
        role, url, params = drawn
        with transaction.atomic():
            status = mw.clients[role].get(url, params).status_code
            transaction.set_rollback(True)
        assert status in (200, 302, 403, 404), f"GET {url} {params} as {role}: {status}"

    run()
