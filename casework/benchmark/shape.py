"""The size of the synthetic country and the names of the records the measurements use."""
from __future__ import annotations

from dataclasses import dataclass

MARKER_PROVINCE = "BENCHMARK"
NATIONAL = {"kabupaten": 500, "kecamatan": 7_200, "desa": 75_000, "cases": 1_000_000}
# One kabupaten holds a tenth of everything, so that at 1,000,000 cases a Pokja chair can export a
# register of ~100,000 cases (the export target). The pages are measured on a typical kabupaten.
BIG_SHARE = 0.10
OPDS_PER_KABUPATEN = 8
POKJA_PER_KABUPATEN = 2
LONG_TIMELINE_EVENTS = 200
LONG_TIMELINE_MARK = "[BENCHMARK] Riwayat panjang:"
# Share of cases in each state (the rest of the history follows from it).
STATE_MIX = (("closed", 0.42), ("withdrawn", 0.04), ("resolved", 0.08), ("assigned", 0.24),
             ("escalated", 0.05), ("raised", 0.17))
# Of the open cases, this share has a deadline that has passed or is about to (≈5% of all cases).
DUE_SHARE_OF_OPEN = 0.075
MEETINGS_BACK = 6  # past meetings per kecamatan, one every MEETING_EVERY_DAYS
MEETING_EVERY_DAYS = 60


@dataclass(frozen=True)
class Shape:
    cases: int
    kabupaten: int
    kecamatan: int
    desa: int

    @classmethod
    def for_cases(cls, n: int) -> "Shape":
        """National proportions, scaled down with the number of cases (never below a small usable country)."""
        scale = min(1.0, n / NATIONAL["cases"])
        kab = max(3, round(NATIONAL["kabupaten"] * scale))
        kec = max(kab * 2, round(NATIONAL["kecamatan"] * scale))
        desa = max(kec * 3, round(NATIONAL["desa"] * scale))
        return cls(cases=n, kabupaten=kab, kecamatan=kec, desa=desa)


def kabupaten_name(index: int) -> str:
    return "Kabupaten Bench Besar" if index == 0 else f"Kabupaten Bench {index:03d}"


# Usernames of the people whose pages are measured (ids filled in by the generator).
def admin_username() -> str:
    return "bench-admin-1"


def pokja_username(kab_id: int, n: int = 1) -> str:
    return f"bench-pokja-{kab_id}-{n}"


def kecamatan_username(kec_id: int) -> str:
    return f"bench-kec-{kec_id}"


def opd_username(opd_id: int) -> str:
    return f"bench-opd-{opd_id}"
