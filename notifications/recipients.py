"""Who is told: the people who must act on a case, by role and scope. One query per group of ids."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from accounts.models import Role, User


def _group(field: str, role: str, ids: Iterable[int | None]) -> dict[int, list[int]]:
    wanted = {i for i in ids if i}
    result: dict[int, list[int]] = defaultdict(list)
    if not wanted:
        return result
    for user_id, key in (User.objects.filter(is_active=True, role=role, **{f"{field}__in": wanted})
                         .order_by("pk").values_list("pk", field)):
        result[key].append(user_id)
    return result


def kecamatan_staff(kecamatan_ids: Iterable[int | None]) -> dict[int, list[int]]:
    return _group("kecamatan_id", Role.KECAMATAN, kecamatan_ids)


def opd_officers(opd_ids: Iterable[int | None]) -> dict[int, list[int]]:
    return _group("opd_id", Role.OPD, opd_ids)


def pokja_members(kabupaten_ids: Iterable[int | None]) -> dict[int, list[int]]:
    """The Pokja chair and secretariat of each kabupaten (role ``pokja``)."""
    return _group("kabupaten_id", Role.POKJA, kabupaten_ids)


class Directory:
    """The recipients of a batch of cases, loaded with one query per role for the whole batch."""

    def __init__(self, rows: list[dict]):
        self.kecamatan = kecamatan_staff(r.get("kecamatan_id") for r in rows)
        self.opd = opd_officers(r.get("opd_id") for r in rows)
        self.pokja = pokja_members(r.get("kabupaten_id") for r in rows)

    def opd_people(self, row: dict) -> list[int]:
        """The named officer when there is one, else every officer of the OPD."""
        if row.get("assignee_id"):
            return [row["assignee_id"]]
        return list(self.opd.get(row.get("opd_id"), []))

    def who_must_act(self, row: dict) -> list[int]:
        """The people the case's current deadline is waiting on (``Case.deadline_kind``)."""
        kind = row.get("deadline_kind")
        if kind in ("decide", "confirm"):
            return list(self.kecamatan.get(row["kecamatan_id"], []))
        if kind == "assign":
            return list(self.pokja.get(row["kabupaten_id"], []))
        if kind in ("acknowledge", "resolve"):
            return self.opd_people(row)
        return []
