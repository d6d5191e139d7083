"""Limits of the Excel import/export, overridable in settings (EXCEL_*)."""
from __future__ import annotations

from django.conf import settings


def limit(name: str, default: int) -> int:
    return int(getattr(settings, f"EXCEL_{name}", default))


def upload_max_bytes() -> int:
    return int(getattr(settings, "UPLOAD_MAX_BYTES", 10 * 1024 * 1024))


# An .xlsx has a dozen members; thousands mean something odd.
def max_members() -> int:
    return limit("MAX_MEMBERS", 2000)


# Everything openpyxl would have to hold, uncompressed.
def max_uncompressed_bytes() -> int:
    return limit("MAX_UNCOMPRESSED_BYTES", 100 * 1024 * 1024)


# Spreadsheet XML compresses about 10-30x; a bomb compresses 1000x.
def max_ratio() -> int:
    return limit("MAX_COMPRESSION_RATIO", 150)


# Imports smaller than this run inline; larger ones go to Celery.
def inline_import_bytes() -> int:
    return limit("INLINE_IMPORT_BYTES", 512 * 1024)


# Register exports with fewer cases than this run inline.
def inline_export_rows() -> int:
    return limit("INLINE_EXPORT_ROWS", 2000)


def chunk_size() -> int:
    return limit("CHUNK_SIZE", 2000)
