"""Export the kecamatan summary (Matriks 4) of a meeting, for the kabupaten working-group meeting."""
from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand

from excel.management.commands._common import USER_HELP, get_user, write_export
from excel.services.exports import export_matriks4


class Command(BaseCommand):
    help = ("Ekspor ringkasan pelaporan kecamatan (Matriks 4) dari satu pertemuan: satu baris per desa dengan tujuan, "
            "tantangan beserta penyebabnya, dan tindak lanjut atau dukungan yang dibutuhkan.")

    def add_arguments(self, parser):
        parser.add_argument("--meeting", type=int, required=True, help="Id pertemuan koordinasi kecamatan.")
        parser.add_argument("--user", required=True, help=USER_HELP)
        parser.add_argument("-o", "--output", help="Berkas tujuan (.xlsx); bawaan: nama berkas standar di folder ini.")

    def handle(self, *args, **opts):
        user = get_user(opts["user"])
        tmp = Path(opts["output"] or "matriks4.xlsx.part")
        name = write_export(tmp, export_matriks4, user=user, meeting_id=opts["meeting"])
        target = Path(opts["output"]) if opts["output"] else Path(name)
        if target != tmp:
            tmp.replace(target)
        self.stdout.write(self.style.SUCCESS(f"Ditulis: {target}"))
