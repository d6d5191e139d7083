"""Small programs the fault tests run in a fresh process against a given DATABASE_URL.

    python -m tests.faults.app_scripts seed     # a small world on an empty, migrated database; prints JSON
    python -m tests.faults.app_scripts census   # every case with its history, and a checksum; prints JSON

``census`` is also imported by the tests to count the test database itself.
"""
from __future__ import annotations

import hashlib
import json
import sys

PASSWORD = "rahasia-123"  # tests.factories.UserFactory's password


def seed() -> dict:
    """Kabupaten, kecamatan, two desa with a plan, one user per role, and a prepared meeting — through the
    factories and the real meeting services, as the rest of the suite builds its world."""
    from datetime import timedelta

    from django.utils import timezone

    from casework.services.meetings import meeting_create, meeting_prepare
    from tests.factories import (
        DesaFactory,
        KabupatenFactory,
        KecamatanFactory,
        MainGoalFactory,
        OPDFactory,
        PlanFactory,
        UserFactory,
    )

    kab = KabupatenFactory(name="Seram Bagian Timur", timezone="Asia/Jayapura")
    kec = KecamatanFactory(kabupaten=kab, name="Pulau Gorom")
    desa = [DesaFactory(kecamatan=kec, name="X"), DesaFactory(kecamatan=kec, name="Ondor")]
    MainGoalFactory(plan=PlanFactory(desa=desa[0]), statement="Semua warga terbebas dari hutang pada rentenir")
    opd = OPDFactory(kabupaten=kab, short_name="Dinas Pertanian", sector="agriculture")
    staff = UserFactory(username="kec_gorom", role="kecamatan", kecamatan=kec)
    pokja = UserFactory(username="pokja_sbt", role="pokja", kabupaten=kab)
    officer = UserFactory(username="opd_tani", role="opd", opd=opd)
    meeting = meeting_create(user=staff, kecamatan_id=kec.pk, date=timezone.localdate() + timedelta(days=1),
                             place="Kantor Camat", desa_ids=[d.pk for d in desa])
    meeting_prepare(user=staff, meeting_id=meeting.pk)
    return {"meeting": meeting.pk, "desa": [d.pk for d in desa], "opd": opd.pk, "password": PASSWORD,
            "kecamatan_user": staff.username, "pokja_user": pokja.username, "opd_user": officer.username}


def census(using: str = "default") -> dict:
    """Every case with its history: counts, a checksum of (case id, events, state, last event's state),
    and the cases whose history does not agree with them (must be none)."""
    from casework.models import Case, CaseEvent

    events: dict[int, list[tuple[str, str]]] = {}
    for case_id, kind, to_state in (CaseEvent.objects.using(using).order_by("at", "pk")
                                    .values_list("case_id", "kind", "to_state")):
        events.setdefault(case_id, []).append((kind, to_state))
    rows, without_created, disagreeing = [], [], []
    for pk, state, obstacle in Case.objects.using(using).order_by("pk").values_list("pk", "state", "obstacle"):
        history = events.get(pk, [])
        states = [to for _kind, to in history if to]
        if [kind for kind, _to in history].count("created") != 1:
            without_created.append(pk)
        if not states or states[-1] != state:
            disagreeing.append(pk)
        rows.append([pk, len(history), state, states[-1] if states else "", obstacle])
    checksum = hashlib.sha256(json.dumps(rows, ensure_ascii=False).encode()).hexdigest()
    return {"cases": len(rows), "events": sum(len(v) for v in events.values()), "checksum": checksum,
            "tables": table_counts(using),
            "rows": rows, "without_created": without_created, "disagreeing": disagreeing,
            "orphan_events": sorted(set(events) - {r[0] for r in rows})}


def table_counts(using: str = "default") -> dict[str, int]:
    """Rows per model of the project's own apps."""
    from django.apps import apps

    return {model._meta.label: model._default_manager.using(using).count()
            for name in ("accounts", "casework", "escalation", "notifications", "excel")
            for model in apps.get_app_config(name).get_models()}


def main(argv: list[str]) -> None:
    import django

    django.setup()
    command = argv[1] if len(argv) > 1 else ""
    if command == "seed":
        result = seed()
    elif command == "census":
        result = census()
    else:
        raise SystemExit(f"unknown command {command!r}")
    sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main(sys.argv)
