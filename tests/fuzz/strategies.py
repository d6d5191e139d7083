"""Generated input: odd text, form values, and .xlsx files (real workbooks, broken zips, random bytes)."""
from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime, timedelta

import openpyxl
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

# Text people really type, and text meant to break things.
SPECIMENS = [
    "Ni Luh Putu Ayu Sukmawati", "I Gusti Ngurah Rai", "Yohanis Ndapa Kaka", "Maria Goreti Bulu'", "Sitti Nur'aini",
    "La Ode Muhammad Ali", "Desa Wee Patola", "Kendala: dana desa tahap I belum cair (Rp 250.000.000,-)",
    "<script>alert(1)</script>", '" onmouseover="x', "'><img src=x onerror=alert(1)>", "{{ 7*7 }}", "{% csrf_token %}",
    "%(name)s %s %d", "'; DROP TABLE casework_case; --", "\\x00", "e\u0301\u0301\u0301", "\u202eRTL override\u202c",
    "\u0627\u0644\u0639\u0631\u0628\u064a\u0629", "👩\u200d👩\u200d👧\u200d👦", "a\u200bb\u200cc\u200dd\ufeff",
    "\u00a0\u2003\u3000", "ß\u0130\u0131", "𝕳𝖊𝖑𝖑𝖔", "line\r\nbreak\rold mac\nunix", "\t\ttabbed", " ", "",
    "=1+1", "=HYPERLINK(\"http://contoh.invalid\",\"klik\")", "-", "dst.", "•", "1.", "0", "-1", "1e309", "NaN",
    "2024-02-30", "31 Februari 2024", "g=1;a=2", "c=not-a-uuid", "\x00", "nul\x00di tengah",
]


def long_text(min_size: int = 300, max_size: int = 20_000):
    return st.builds(lambda base, n: (base or "x") * (n // max(len(base), 1) + 1),
                     st.sampled_from(["kendala ", "Ab", "é", "😀", "<b>"]), st.integers(min_size, max_size)
                     ).map(lambda s: s[:max_size])


odd_chars = st.characters(codec="utf-8", exclude_categories=("Cs",))
odd_text = st.one_of(
    st.sampled_from(SPECIMENS),
    st.text(odd_chars, max_size=60),
    st.text(st.characters(min_codepoint=0, max_codepoint=0x7F), max_size=40),
    long_text(),
    st.builds(lambda a, b: a + b, st.sampled_from(SPECIMENS), st.text(odd_chars, max_size=20)),
)


def date_text():
    d = st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31))
    return st.one_of(
        d.map(lambda x: x.isoformat()),
        d.map(lambda x: x.strftime("%d/%m/%Y") if x.year >= 1000 else x.isoformat()),
        st.dates(min_value=date.today() - timedelta(days=30), max_value=date.today() + timedelta(days=400))
        .map(lambda x: x.isoformat()),
        st.sampled_from(["", "2024-02-30", "0000-00-00", "31-12-9999", "kemarin", "2024-13-01", "１２"]),
        odd_text,
    )


def number_text():
    return st.one_of(st.integers(-2**70, 2**70).map(str), st.sampled_from(["", "0", "1", "-1", "1.5", "1e3", "٣", "NaN"]),
                     odd_text)


def field_value(*extra):
    """A value for any POSTed field: odd text, numbers, dates, or one of the given meaningful values."""
    options = [odd_text, number_text(), date_text()]
    if extra:  # half of the draws are meaningful, so success paths are fuzzed too
        options = [st.sampled_from([str(e) for e in extra])] * 3 + options
    return st.one_of(*options)


# --- Excel ---------------------------------------------------------------------------------------------

def xlsx_safe(text: str) -> str:
    """openpyxl refuses XML-illegal control characters; a real file cannot hold them either."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)[:32_000]


PLAN_HEADERS = ["TUJUAN & target capaian", "Tujuan antara dan nilai target", "Kegiatan yang direncanakan",
                "KETERANGAN KEGIATAN", "Sumber Pembiayaan", "NO", "TARGET TUJUAN", "TARGET SASARAN", "Sasaran"]
MEETING_HEADERS = ["Tujuan dan target", "Kegiatan atau aktivitas", "Kendala/Tantangan yang dihadapi dan pembelajaran",
                   "Penyebab", "Gagasan solusi & tindak lanjut", "Dukungan yang dibutuhkan", "Dukungan dari", "Ref"]

cell_value = st.one_of(
    st.none(),
    odd_text.map(xlsx_safe),
    st.sampled_from(PLAN_HEADERS + MEETING_HEADERS + ["Desa: X", "Tanggal: 28 Maret 2024", "meeting=1;desa=1",
                                                      "Desa sendiri", "Kabupaten/OPD", "g=0", "• a\n• b\n• c"]),
    st.sampled_from(["=SUM(A1:A3)", "=1/0", "=A1&B1", "=CONCATENATE(\"a\",\"b\")"]),
    st.integers(-2**53, 2**53),
    st.floats(allow_nan=False, allow_infinity=False),
    st.dates(min_value=date(1900, 3, 1), max_value=date(9999, 12, 31)),
    st.datetimes(min_value=datetime(1900, 3, 1), max_value=datetime(9999, 12, 31)),
    st.booleans(),
)
sheet_title = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"), exclude_characters="[]:*?/\\'"),
                      min_size=1, max_size=31).filter(lambda t: t.strip() and t.lower() != "history")


@st.composite
def workbooks(draw) -> bytes:
    """A workbook with random cells, often a plan or meeting header at a random place, random merges."""
    wb = openpyxl.Workbook()
    titles: set[str] = set()
    for n in range(draw(st.integers(1, 3))):
        ws = wb.active if n == 0 else wb.create_sheet()
        title = draw(sheet_title)
        if title.lower() not in titles:
            ws.title = title
            titles.add(title.lower())
        rows, cols = draw(st.integers(1, 14)), draw(st.integers(1, 9))
        header = draw(st.sampled_from([None, PLAN_HEADERS[:5], PLAN_HEADERS, MEETING_HEADERS]))
        header_row = draw(st.integers(1, 22))
        header_col = draw(st.integers(1, 3))
        if header:
            for i, text in enumerate(header):
                ws.cell(row=header_row, column=header_col + i, value=text)
        for r, c in draw(st.lists(st.tuples(st.integers(1, rows + header_row), st.integers(1, cols + 2)), max_size=40)):
            ws.cell(row=r, column=c, value=draw(cell_value))
        for r, c, h, w in draw(st.lists(st.tuples(st.integers(1, 30), st.integers(1, 10), st.integers(0, 4),
                                                  st.integers(0, 2)), max_size=3)):
            if h or w:
                try:
                    ws.merge_cells(start_row=r, start_column=c, end_row=r + h, end_column=c + w)
                except ValueError:
                    pass
        if draw(st.booleans()):
            ws.row_dimensions[draw(st.integers(1, 20))].hidden = True
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@st.composite
def plan_workbooks(draw) -> bytes:
    """Plan-shaped: the clean Matriks 1 header somewhere in the first rows, then rows of odd text (often importable)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    top, left = draw(st.integers(1, 20)), draw(st.integers(1, 3))
    headers = PLAN_HEADERS[:5]
    for i, text in enumerate(headers):
        ws.cell(row=top, column=left + i, value=text)
    text = st.one_of(st.none(), odd_text.map(xlsx_safe))
    for r in range(draw(st.integers(1, 6))):
        for i in range(len(headers)):
            ws.cell(row=top + 1 + r, column=left + i, value=draw(text))
    if draw(st.booleans()):
        ws.merge_cells(start_row=top + 1, start_column=left, end_row=top + 2, end_column=left)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def zip_of(members: list[tuple[str, bytes]]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in members:
            zf.writestr(name, content)
    return buf.getvalue()


member_name = st.one_of(
    st.sampled_from(["[Content_Types].xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml", "_rels/.rels",
                     "xl/sharedStrings.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml", "../../etc/passwd",
                     "xl/vbaProject.bin"]),
    st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=1, max_size=30),
)
SHEET_TYPE = b'<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.' \
             b'spreadsheetml.sheet.main+xml"/>'
member_content = st.one_of(
    st.binary(max_size=300),
    st.sampled_from([b"", b"<?xml version='1.0'?><Types>" + SHEET_TYPE + b"</Types>", b"<worksheet/>",
                     b"<!DOCTYPE x [<!ENTITY a 'b'>]><x>&a;</x>", b"<workbook><sheets><sheet name='a' r:id='x'/>"
                     b"</sheets></workbook>", b"\xff\xfe<\x00x\x00"]),
    st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass")),
)


@st.composite
def broken_files(draw, valid: bytes) -> bytes:
    """Random bytes, a truncated or bit-flipped real workbook, or a zip with random members."""
    kind = draw(st.sampled_from(["bytes", "truncated", "flipped", "zip", "zip_members_of_real"]))
    if kind == "bytes":
        return draw(st.one_of(st.binary(max_size=2000), st.binary(max_size=20).map(lambda b: b"PK\x03\x04" + b)))
    if kind == "truncated":
        return valid[:draw(st.integers(0, len(valid) - 1))]
    if kind == "flipped":
        data = bytearray(valid)
        for pos, value in draw(st.lists(st.tuples(st.integers(0, len(data) - 1), st.integers(0, 255)), min_size=1,
                                        max_size=8)):
            data[pos] = value
        return bytes(data)
    if kind == "zip":
        return zip_of(draw(st.lists(st.tuples(member_name, member_content), max_size=6)))
    # The members of a real workbook, one of them replaced by random content.
    src = zipfile.ZipFile(io.BytesIO(valid))
    names = src.namelist()
    victim = draw(st.sampled_from(names))
    replacement = draw(member_content)
    return zip_of([(n, replacement if n == victim else src.read(n)) for n in names])


INDONESIAN_WORDS = re.compile(
    r"\b(berkas|baris|kolom|lembar|tidak|tanggal|kendala|judul|rumus|kasus|isi|desa|pertemuan|periode|bagian|dukungan|"
    r"tujuan|ditolak|rusak|terlalu|kosong|bukan|hanya|wilayah|simpan|unggah|masalah|harus|ketik|tulis)\b", re.I)


def is_indonesian_message(text: str) -> bool:
    return bool(text and text.strip() and INDONESIAN_WORDS.search(text) and "Traceback" not in text)
