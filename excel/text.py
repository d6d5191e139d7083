"""Text rules shared by the readers and writers: headers, bullet lists, funding sources, Indonesian dates.

Pure functions, no database: tested directly in tests/excel/test_text.py.
"""
from __future__ import annotations

import re
from datetime import date, datetime

MONTHS_ID = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
             "November", "Desember"]
_MONTH_LOOKUP = {m.lower(): i for i, m in enumerate(MONTHS_ID, start=1)}
_MONTH_LOOKUP.update({m.lower()[:3]: i for i, m in enumerate(MONTHS_ID, start=1)})
_MONTH_LOOKUP.update({"agu": 8, "agt": 8, "ags": 8, "okt": 10, "nop": 11, "nov": 11, "des": 12, "peb": 2,
                      "pebruari": 2, "nopember": 11})
_MONTH_LOOKUP.update({m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"], start=1)})


def tanggal(value: date | datetime | None) -> str:
    """28 Maret 2024 — the guide's way of writing a date, independent of the active locale."""
    if value is None:
        return ""
    return f"{value.day} {MONTHS_ID[value.month - 1]} {value.year}"


class DateNotUnderstood(ValueError):
    pass


def parse_date(value: object) -> date:
    """A date from a cell: a real date, or text as '28 Maret 2024', '28/03/2024', '28-03-2024' or ISO '2024-03-28'.

    Raises DateNotUnderstood for anything else (including impossible dates such as 31 Februari).
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = re.sub(r"\s+", " ", str(value or "")).strip().rstrip(".")
    if not text:
        raise DateNotUnderstood(text)
    try:
        m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?", text)
        if m:
            return date(int(m[1]), int(m[2]), int(m[3]))
        m = re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})", text)
        if m:  # Indonesian order: day first
            return date(int(m[3]), int(m[2]), int(m[1]))
        m = re.fullmatch(r"(?:[A-Za-z]+,\s*)?(\d{1,2})\s+([A-Za-z]+)\.?\s+(\d{4})", text)
        if m and m[2].lower() in _MONTH_LOOKUP:
            return date(int(m[3]), _MONTH_LOOKUP[m[2].lower()], int(m[1]))
    except ValueError:
        pass
    raise DateNotUnderstood(text)


def compact(text: object) -> str:
    """Header text reduced to lowercase letters and digits: 'Sasaran - Sasaran yang perlu di-capai' → 'sasaransasaranyangperludicapai'."""
    text = str(text or "").lower().replace("&", "dan")
    return re.sub(r"[^a-z0-9]", "", text)


def clean(value: object) -> str:
    """Cell value as text: trimmed, Windows line ends unified, non-breaking spaces made plain."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).replace("\r\n", "\n").replace("\r", "\n").replace("\xa0", " ")
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in text.split("\n")]
    return "\n".join(line for line in lines if line).strip()


def same_text(a: str, b: str) -> bool:
    """Equal ignoring case and whitespace: how a re-uploaded row is matched to the case it created."""
    return re.sub(r"\s+", " ", (a or "")).strip().lower() == re.sub(r"\s+", " ", (b or "")).strip().lower()


# A bullet at the start of a line: •, -, *, –, ·, ▪, ○, ◦, ►, ✓, or a number/letter with . or ) — "1.", "2)", "a."
_BULLET = re.compile(r"^(?:[•\-\*–—·▪○◦►➢✓]+\s*|\(?\d{1,2}[.)]\s+|\(?[a-zA-Z][.)]\s+)(?=\S)")
_INLINE_BULLET = re.compile(r"\s+[•▪◦►➢]\s*")
_PLACEHOLDER = {"", "-", "--", "—", "–", "n/a", "na", "tidak ada", "dst", "dst."}


def split_items(value: object, *, keep_placeholders: bool = False) -> list[str]:
    """Split a cell holding several bullet items into one string per item.

    Lines that start with a bullet or a number start a new item; other lines
    continue the item above (a long item wrapped by hand). A cell without any
    bullet gives one item per line. Bullets run together on one line
    ('• a • b') are split too. Placeholders ('-', 'dst.') are dropped.
    """
    text = clean(value)
    if not text:
        return []
    lines: list[str] = []
    for line in text.split("\n"):
        parts = _INLINE_BULLET.split(line)
        if len(parts) > 1:
            lines.extend(("• " + p) if i else p for i, p in enumerate(parts) if p.strip())
        else:
            lines.append(line)
    has_bullets = any(_BULLET.match(line) for line in lines)
    items: list[str] = []
    for line in lines:
        m = _BULLET.match(line)
        if m:
            items.append(line[m.end():].strip())
        elif has_bullets and items:
            items[-1] = f"{items[-1]} {line}".strip()
        else:
            items.append(line.strip())
    items = [i.rstrip(",;").strip() for i in items]
    if keep_placeholders:  # '-' holds a place in a column paired item by item with another
        return ["" if i.lower() in _PLACEHOLDER else i for i in items]
    return [i for i in items if i.lower() not in _PLACEHOLDER]


def strip_number(text: str) -> str:
    """'1 Semua warga …' or '1. Semua warga …' → 'Semua warga …' (the guide numbers its goals)."""
    return re.sub(r"^\(?\d{1,2}[.)]?\s+(?=\D)", "", text.strip())


_YEAR = re.compile(r"\b(20\d{2})\b")


def split_target(text: str) -> tuple[str, str, int | None]:
    """Split 'Statement (target …)' into statement, target and the target year if one is named.

    'Semua warga terbebas dari hutang pada rentenir (di tahun 2025).' →
    ('Semua warga terbebas dari hutang pada rentenir', 'di tahun 2025', 2025).
    A line starting with 'Target' is the target as well.
    """
    text = strip_number(clean(text))
    statement, target = text, ""
    lines = text.split("\n")
    target_lines = [ln for ln in lines if re.match(r"^target\b", ln, re.I)]
    if target_lines:
        statement = " ".join(ln for ln in lines if ln not in target_lines).strip()
        target = " ".join(re.sub(r"^target( capaian)?\s*[:\-]?\s*", "", ln, flags=re.I) for ln in target_lines)
    else:
        m = re.match(r"^(?P<s>[^(]{3,}?)\s*\((?P<t>.+?)\)?\s*\.?\s*$", " ".join(lines), re.S)
        if m:
            statement, target = m["s"].strip().rstrip("."), m["t"].strip().rstrip(").").strip()
        else:
            statement = " ".join(lines).rstrip(".").strip()
    years = _YEAR.findall(target) or _YEAR.findall(statement)
    return statement, target, (int(years[-1]) if years else None)


# --- funding sources ------------------------------------------------------------------------
_ACRONYMS = {"csr": "CSR", "bumdes": "BUMDES", "dd": "DD", "add": "ADD", "apbd": "APBD", "apbn": "APBN",
             "apbdes": "APBDes", "opd": "OPD", "dpmd": "DPMD", "pkk": "PKK", "kur": "KUR", "bumn": "BUMN",
             "ngo": "NGO", "lsm": "LSM", "p3md": "P3MD", "dkp": "DKP"}
_SMALL = {"dan", "di", "dari", "ke", "untuk", "yang"}
_FUNDING_SPLIT = re.compile(r"\s*(?:&|,|;|/|\+|\bdan\b|\n)\s*", re.I)


def _title(word: str) -> str:
    low = word.lower()
    if low in _ACRONYMS:
        return _ACRONYMS[low]
    if low in _SMALL:
        return low
    if word.isupper() and len(word) <= 5:
        return word  # an acronym we do not know yet
    return word[:1].upper() + word[1:].lower()


def funding_names(text: object) -> list[str]:
    """'CSR & Operasional BUMDES' → ['CSR', 'Operasional BUMDES']; 'Swadaya, Dinas pertanian' → ['Swadaya', 'Dinas Pertanian'].

    Parentheses are notes, not names ('Dinas pertanian (penyuluh)' → 'Dinas Pertanian'); '-' means none.
    """
    raw = re.sub(r"\([^)]*\)?", ",", clean(text))  # a note in parentheses also ends a name
    names: list[str] = []
    for part in _FUNDING_SPLIT.split(raw):
        part = re.sub(r"^(?:[•\-\*–·]|\d+[.)])\s*", "", part.strip()).strip(" .-")
        if not part or part.lower() in _PLACEHOLDER:
            continue
        name = " ".join(_title(w) for w in part.split())
        name = name[:1].upper() + name[1:]
        if name.lower() not in {n.lower() for n in names}:
            names.append(name[:120])
    return names
