"""The meeting sheet (Matriks 2) layout, shared by its writer and its reader.

Column headers are the guide's words in Bahasa Indonesia and are not
translated, so a sheet exported in one UI language imports in any other.
The last column, "Ref", is hidden: it carries the ids the import needs
(``g=`` main goal, ``a=`` activity, ``c=`` case ref UUID; ``g=0`` marks rows
not tied to a goal). Cell H1 carries ``meeting=<id>;desa=<id>``.
"""
from __future__ import annotations

import re
import uuid

MEETING_COLUMNS = [
    # field, header, width
    ("goal", "Tujuan dan target", 34),
    ("activity", "Kegiatan atau aktivitas", 34),
    ("obstacle", "Kendala/Tantangan yang dihadapi dan pembelajaran", 40),
    ("cause", "Penyebab", 28),
    ("solution", "Gagasan solusi & tindak lanjut", 36),
    ("support_needed", "Dukungan yang dibutuhkan", 28),
    ("support_from", "Dukungan dari", 16),
    ("ref", "Ref", 14),
]
FIELDS = [f for f, _h, _w in MEETING_COLUMNS]
COL = {f: i + 1 for i, f in enumerate(FIELDS)}
HEADER_ROW = 5
EXTRA_ROWS_PER_GOAL = 3
TEXT_FIELDS = ("obstacle", "cause", "solution", "support_needed")

SUPPORT_CHOICES = [("desa", "Desa sendiri"), ("kecamatan", "Kecamatan"), ("kabupaten", "Kabupaten/OPD")]
SUPPORT_LABEL = dict(SUPPORT_CHOICES)
_SUPPORT_WORDS = {"desa": "desa", "desasendiri": "desa", "sendiri": "desa", "kecamatan": "kecamatan",
                  "kabupaten": "kabupaten", "opd": "kabupaten", "kabupatenopd": "kabupaten", "dinas": "kabupaten",
                  "pokja": "kabupaten"}


def parse_support(text: str) -> str | None:
    """'Kabupaten/OPD', 'opd', 'Desa sendiri' → the SupportFrom value; '' → None; unknown → ValueError."""
    key = re.sub(r"[^a-z0-9]", "", (text or "").lower())
    if not key:
        return None
    if key in _SUPPORT_WORDS:
        return _SUPPORT_WORDS[key]
    raise ValueError(text)


def make_ref(*, goal_id: int | None = None, activity_id: int | None = None, case_ref: uuid.UUID | None = None,
             no_goal: bool = False) -> str:
    parts = []
    if no_goal:
        parts.append("g=0")
    elif goal_id:
        parts.append(f"g={goal_id}")
    if activity_id:
        parts.append(f"a={activity_id}")
    if case_ref:
        parts.append(f"c={case_ref}")
    return ";".join(parts)


def parse_ref(text: str) -> dict:
    """'g=12;a=34;c=<uuid>' → {'g': 12, 'a': 34, 'c': UUID}. Raises ValueError on anything malformed."""
    result: dict = {}
    for part in filter(None, (p.strip() for p in re.split(r"[;\s]+", text or ""))):
        key, sep, value = part.partition("=")
        if not sep or key not in ("g", "a", "c", "meeting", "desa"):
            raise ValueError(part)
        result[key] = uuid.UUID(value) if key == "c" else int(value)
    return result
