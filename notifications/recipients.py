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

    @classmethod
    def everyone(cls) -> Directory:
        """Every active kecamatan staff member, OPD officer and Pokja member, in one query.

        For the reminder sweep, which reaches most scopes: asking per chunk of cases repeated three
        queries per chunk. The size follows the number of users, not of cases.
        """
        directory = cls.__new__(cls)
        directory.kecamatan, directory.opd, directory.pokja = defaultdict(list), defaultdict(list), defaultdict(list)
        # Each role is grouped by the scope field _group uses for it.
        for user_id, role, kecamatan_id, opd_id, kabupaten_id in (
                User.objects.filter(is_active=True, role__in=[Role.KECAMATAN, Role.OPD, Role.POKJA]).order_by("pk")
                .values_list("pk", "role", "kecamatan_id", "opd_id", "kabupaten_id")):
            group, key = {Role.KECAMATAN: (directory.kecamatan, kecamatan_id), Role.OPD: (directory.opd, opd_id),
                          Role.POKJA: (directory.pokja, kabupaten_id)}[role]
            if key:
                group[key].append(user_id)
        return directory

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
