"""Pure text rules: bullets, targets, funding names, dates, headers. No database."""
from __future__ import annotations

from datetime import date

import pytest

from excel.layout import parse_ref, parse_support
from excel.readers.plan import match_header
from excel.text import DateNotUnderstood, compact, funding_names, parse_date, split_items, split_target, tanggal


@pytest.mark.parametrize(("cell", "items"), [
    ("• a\n• b\n  lanjutan b\n- c", ["a", "b lanjutan b", "c"]),
    ("1. a\n2) b\na. c\nb) d\n* e", ["a", "b", "c", "d", "e"]),
    ("• a • b • c", ["a", "b", "c"]),
    ("satu\ndua", ["satu", "dua"]),
    ("-\n", []),
    ("3.5 ha lahan", ["3.5 ha lahan"]),
])
def test_it_splits_bullets(cell, items):
    assert split_items(cell) == items


def test_placeholders_keep_their_place_when_pairing():
    assert split_items("Dana Desa\n-\nCSR", keep_placeholders=True) == ["Dana Desa", "", "CSR"]


def test_it_splits_a_goal_from_its_target():
    assert split_target("1 Semua warga terbebas dari hutang pada rentenir (di tahun 2025).") == (
        "Semua warga terbebas dari hutang pada rentenir", "di tahun 2025", 2025)
    assert split_target("Pendapatan naik\nTarget: 20% di 2026") == ("Pendapatan naik", "20% di 2026", 2026)


def test_it_names_funding_sources():
    assert funding_names("CSR & Operasional BUMDES") == ["CSR", "Operasional BUMDES"]
    assert funding_names("Swadaya, Dinas pertanian") == ["Swadaya", "Dinas Pertanian"]
    assert funding_names("Dinas pertanian (penyuluh) Swadaya") == ["Dinas Pertanian", "Swadaya"]
    assert funding_names("dana desa / dd") == ["Dana Desa", "DD"]
    assert funding_names("-") == []


@pytest.mark.parametrize("text", ["28 Maret 2024", "28/03/2024", "2024-03-28", "Kamis, 28 Maret 2024", "28 Mar 2024",
                                  "28-03-2024"])
def test_it_reads_dates_written_as_text(text):
    assert parse_date(text) == date(2024, 3, 28)


@pytest.mark.parametrize("text", ["31 Februari 2024", "besok", "28 Maretz 2024", "13/13/2024", ""])
def test_it_rejects_nonsense_dates(text):
    with pytest.raises(DateNotUnderstood):
        parse_date(text)


def test_indonesian_month_names():
    assert tanggal(date(2024, 3, 28)) == "28 Maret 2024"


@pytest.mark.parametrize(("header", "field"), [
    ("Tujuan & Target Capaian", "goal"), ("TUJUAN KEGIATAN", "goal"), ("TARGET TUJUAN", "goal_target"),
    ("Sasaran - Sasaran yang perlu di-capai", "intermediate"), ("Tujuan Antara dan nilai target", "intermediate"),
    ("TARGET SASARAN", "ig_target"), ("KEGIATAN - KEGIATAN yang perlu di-lakukan", "activity"),
    ("Keterangan Kegiatan", "description"), ("SUMBER  PEMBIAYAAN", "funding"), ("NO", "no"), ("Nama", None),
])
def test_it_recognises_plan_headers(header, field):
    assert match_header(compact(header)) == field


def test_refs_and_support_labels():
    ref = parse_ref("g=12;a=34;c=2f1c1b7e-8a1d-4a57-9d7c-0c1b9b6f3a10")
    assert ref["g"] == 12 and ref["a"] == 34 and str(ref["c"]).startswith("2f1c")
    with pytest.raises(ValueError):
        parse_ref("g=abc")
    assert [parse_support(t) for t in ("Kabupaten/OPD", "opd", "Desa sendiri", "")] == ["kabupaten", "kabupaten",
                                                                                       "desa", None]
    with pytest.raises(ValueError):
        parse_support("Gubernur")
