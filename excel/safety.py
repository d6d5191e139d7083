"""Checks an uploaded spreadsheet before openpyxl parses it, so a bad file gets a message, never a server error.

Order matters: cheap checks on the bytes first (size, signatures), then the
zip directory (member count, declared sizes, compression ratio), then a
streamed pass over every XML part that counts the bytes really inflated
(declared sizes can lie) and refuses DTDs and entity declarations. Only then
does openpyxl load the workbook, and defusedxml (active whenever it is
installed, see ``openpyxl.DEFUSEDXML``) guards the parse a second time.
"""
from __future__ import annotations

import re
import zipfile
import zlib
from pathlib import Path

import openpyxl
from django.utils.translation import gettext as _

from excel import conf

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # CFB: encrypted OOXML or the old binary .xls
ZIP_SIGNATURE = b"PK\x03\x04"
SHEET_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
MACRO_CONTENT_TYPE = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
_DTD_PATTERNS = [p.encode(enc) for p in ("<!doctype", "<!entity") for enc in ("ascii", "utf-16-le", "utf-16-be")]
_XML_SUFFIXES = (".xml", ".rels", ".vml")

assert openpyxl.DEFUSEDXML, "defusedxml must be installed so openpyxl parses with it"  # noqa: S101


class FileRejected(Exception):
    """The file cannot be imported; ``message`` says why, in Bahasa Indonesia."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def check_upload(path: Path, *, size_limit: int | None = None) -> None:
    """Raise FileRejected unless ``path`` is a plain, reasonably sized .xlsx workbook."""
    path = Path(path)
    size = path.stat().st_size
    limit = size_limit or conf.upload_max_bytes()
    if size == 0:
        raise FileRejected(_("Berkas kosong (0 bita). Pilih berkas Excel yang berisi data."))
    if size > limit:
        raise FileRejected(_("Berkas terlalu besar (%(size)s MB; paling besar %(limit)s MB). "
                             "Bagi berkas menjadi beberapa bagian.")
                           % {"size": f"{size / 1048576:.1f}", "limit": f"{limit / 1048576:.0f}"})
    with path.open("rb") as fh:
        head = fh.read(8)
    if head == OLE_SIGNATURE:
        raise FileRejected(_("Berkas ini terenkripsi (dilindungi kata sandi) atau berformat Excel lama (.xls). "
                             "Buka di Excel, hapus kata sandinya, lalu simpan sebagai .xlsx."))
    if not head.startswith(ZIP_SIGNATURE):
        raise FileRejected(_("Berkas ini bukan berkas Excel .xlsx. Simpan sebagai 'Excel Workbook (.xlsx)' "
                             "lalu unggah kembali."))
    try:
        with zipfile.ZipFile(path) as zf:
            _check_members(zf)
    except zipfile.BadZipFile:
        raise FileRejected(_("Berkas .xlsx ini rusak dan tidak dapat dibuka.")) from None
    except (zipfile.LargeZipFile, NotImplementedError, RuntimeError, OSError, EOFError, zlib.error):
        # zlib.error: a member whose deflate stream is corrupt (found by tests/fuzz/test_excel_fuzz.py).
        raise FileRejected(_("Berkas .xlsx ini tidak dapat dibaca (format arsip tidak didukung).")) from None


def _bomb() -> FileRejected:
    return FileRejected(_("Isi berkas terlalu besar setelah dibuka (kemungkinan 'zip bomb'). "
                          "Berkas ditolak demi keamanan."))


def _check_members(zf: zipfile.ZipFile) -> None:
    infos = zf.infolist()
    if len(infos) > conf.max_members():
        raise FileRejected(_("Berkas berisi terlalu banyak bagian (%(n)d). Berkas ditolak demi keamanan.")
                           % {"n": len(infos)})
    names = {i.filename for i in infos}
    if "[Content_Types].xml" not in names:
        raise FileRejected(_("Berkas ini bukan berkas Excel .xlsx (tidak ada [Content_Types].xml)."))
    if any(i.flag_bits & 0x1 for i in infos):
        raise FileRejected(_("Berkas ini terenkripsi. Hapus kata sandinya di Excel lalu simpan ulang."))
    declared = sum(i.file_size for i in infos)
    if declared > conf.max_uncompressed_bytes():
        raise _bomb()
    for info in infos:
        if info.file_size > 1024 * 1024 and info.file_size > conf.max_ratio() * max(info.compress_size, 1):
            raise _bomb()
    total = 0
    for info in infos:
        if not info.filename.lower().endswith(_XML_SUFFIXES):
            continue
        total += _scan_member(zf, info, conf.max_uncompressed_bytes() - total)
    content_types = zf.read("[Content_Types].xml").decode("utf-8", "replace")
    if MACRO_CONTENT_TYPE in content_types:
        raise FileRejected(_("Berkas berisi makro (.xlsm) dan tidak diterima. Simpan sebagai .xlsx biasa."))
    if SHEET_CONTENT_TYPE not in content_types:
        raise FileRejected(_("Berkas ini bukan lembar kerja Excel .xlsx (mungkin dokumen Word atau PowerPoint)."))


def _scan_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, budget: int) -> int:
    """Inflate one part in chunks, counting real bytes; refuse DTD/entity declarations. Returns bytes read."""
    read = 0
    tail = b""
    with zf.open(info) as fh:
        while True:
            chunk = fh.read(64 * 1024)
            if not chunk:
                break
            read += len(chunk)
            if read > budget or read > info.file_size + 1024:
                raise _bomb()
            window = (tail + chunk).lower()
            if any(p in window for p in _DTD_PATTERNS):
                raise FileRejected(
                    _("Bagian '%(part)s' berisi deklarasi DTD/entitas XML yang tidak diizinkan. "
                      "Berkas ditolak demi keamanan; simpan ulang dari Excel.") % {"part": info.filename})
            tail = chunk[-32:]
    return read


def load_workbook(path: Path):
    """Open a checked file with openpyxl, keeping formulas (data_only=False) so they can be reported."""
    from defusedxml import DefusedXmlException

    try:
        return openpyxl.load_workbook(Path(path), read_only=False, data_only=False, keep_links=False)
    except DefusedXmlException:
        raise FileRejected(_("Berkas berisi deklarasi DTD/entitas XML yang tidak diizinkan. "
                             "Berkas ditolak demi keamanan.")) from None
    except Exception as exc:  # noqa: BLE001 - any parse failure is the file's fault, not ours
        cause = exc
        while cause is not None:  # openpyxl wraps defusedxml's refusal in its own error
            if isinstance(cause, DefusedXmlException):
                raise FileRejected(_("Berkas berisi deklarasi DTD/entitas XML yang tidak diizinkan. "
                                     "Berkas ditolak demi keamanan.")) from None
            cause = cause.__cause__ or cause.__context__
        detail = re.sub(r"\s+", " ", str(exc))[:120]
        raise FileRejected(_("Berkas Excel tidak dapat dibaca: %(detail)s") % {"detail": detail}) from None
