"""Export the meeting sheet (Matriks 2) of a meeting: one desa, or a sheet per participating desa."""
from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand

from excel.management.commands._common import USER_HELP, get_user, write_export
from excel.services.exports import export_meeting_sheet


class Command(BaseCommand):
    help = ("Ekspor lembar pertemuan (Matriks 2) dari rencana desa, siap diproyeksikan atau dicetak (A4 mendatar): "
            "satu lembar per desa peserta, atau satu desa saja dengan --desa.")

    def add_arguments(self, parser):
        parser.add_argument("--meeting", type=int, required=True, help="Id pertemuan koordinasi kecamatan.")
        parser.add_argument("--desa", type=int, help="Id desa peserta (bila hanya satu desa).")
        parser.add_argument("--user", required=True, help=USER_HELP)
        parser.add_argument("-o", "--output", help="Berkas tujuan (.xlsx); bawaan: nama berkas standar di folder ini.")

    def handle(self, *args, **opts):
        user = get_user(opts["user"])
        tmp = Path(opts["output"] or "matriks2.xlsx.part")
        name = write_export(tmp, export_meeting_sheet, user=user, meeting_id=opts["meeting"], desa_id=opts["desa"])
        target = Path(opts["output"]) if opts["output"] else Path(name)
        if target != tmp:
            tmp.replace(target)
        self.stdout.write(self.style.SUCCESS(f"Ditulis: {target}"))
