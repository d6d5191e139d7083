"""Shared by the excel management commands: the user whose scope applies, preview printing, refusals."""
from __future__ import annotations

from contextlib import contextmanager

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.http import Http404
from django.utils import translation

from excel.safety import FileRejected
from excel.services.common import ImportRefused

USER_HELP = "Nama pengguna yang wilayahnya berlaku (wajib): impor dan ekspor hanya di dalam wilayah pengguna ini."


def get_user(username: str):
    try:
        return get_user_model().objects.get(username=username, is_active=True)
    except get_user_model().DoesNotExist:
        raise CommandError(f"Pengguna '{username}' tidak ditemukan atau tidak aktif.") from None


@contextmanager
def refusals():
    """Turn the refusals users see on the web into a non-zero exit with the reasons listed."""
    with translation.override("id"):
        try:
            yield
        except Http404:
            raise CommandError("Data tidak ditemukan atau di luar wilayah pengguna ini.") from None
        except ImportRefused as exc:
            raise CommandError("Berkas ditolak:\n  " + "\n  ".join(exc.lines())) from None
        except FileRejected as exc:
            raise CommandError(f"Berkas ditolak: {exc.message}") from None


def write_preview(stdout, preview: dict) -> None:
    for p in preview.get("warnings", []):
        stdout.write(f"  PERHATIAN {p['text']}")
    if preview.get("kind") == "plan" and preview.get("goals"):
        s = preview["summary"]
        stdout.write(f"Rencana Desa {preview['desa']} (Kecamatan {preview['kecamatan']}), periode {preview['period']}, "
                     f"versi baru {preview['version']} — tata letak {preview['layout']}: {s['goals']} tujuan, "
                     f"{s['intermediate']} tujuan antara, {s['activities']} kegiatan.")
        for i, g in enumerate(preview["goals"], start=1):
            stdout.write(f"  {i}. {g['statement']}" + (f" [target: {g['target']}]" if g["target"] else ""))
            for ig in g["intermediate"]:
                stdout.write(f"     ~ {ig['statement']}" + (f" [{ig['target_value']}]" if ig["target_value"] else ""))
            for a in g["activities"]:
                funding = ", ".join(a["funding"]) or "-"
                stdout.write(f"     • {a['name']} (sumber: {funding})")
        if s["new_funding_sources"]:
            stdout.write("  Sumber pembiayaan baru: " + ", ".join(s["new_funding_sources"]))
    if preview.get("kind") == "meeting" and "creates" in preview:
        s = preview["summary"]
        stdout.write(f"Pertemuan {preview['meeting']}: {s['creates']} kasus baru, {s['updates']} diperbarui, "
                     f"{s['unchanged']} tidak berubah.")
        for c in preview["creates"]:
            stdout.write(f"  + [{c['sheet']} baris {c['row']}] {c['desa']}: {c['obstacle']}")
        for u in preview["updates"]:
            fields = ", ".join(ch["label"] for ch in u["changes"])
            stdout.write(f"  ~ [{u['sheet']} baris {u['row']}] kasus #{u['case_id']}: {fields}")


def refuse_if_problems(preview: dict) -> None:
    if preview.get("problems"):
        lines = [p["text"] for p in preview["problems"]]
        raise CommandError("Berkas ditolak, tidak ada yang disimpan:\n  " + "\n  ".join(lines))


def write_export(path, writer, **kwargs):
    """Run an export writer into ``path``; a refused export leaves no half-written file behind."""
    from pathlib import Path

    path = Path(path)
    try:
        with refusals(), path.open("wb") as fh:
            return writer(fh=fh, **kwargs)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
