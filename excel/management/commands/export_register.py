"""Export the case register of the user's scope as a filterable table."""
from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils import timezone

from excel.management.commands._common import USER_HELP, get_user, write_export
from excel.services.exports import export_register


class Command(BaseCommand):
    help = ("Ekspor register kasus: setiap kasus dalam wilayah pengguna dengan desa, kecamatan, kendala, status, OPD, "
            "tanggal setiap langkah, batas waktu dan hari terlambat. Ditulis bertahap (memori tetap rendah).")

    def add_arguments(self, parser):
        parser.add_argument("--user", required=True, help=USER_HELP)
        parser.add_argument("--kecamatan", type=int, help="Hanya satu kecamatan (id) dalam wilayah pengguna.")
        parser.add_argument("-o", "--output", help="Berkas tujuan (.xlsx); bawaan: register-kasus-YYYYMMDD.xlsx.")

    def handle(self, *args, **opts):
        user = get_user(opts["user"])
        target = Path(opts["output"] or f"register-kasus-{timezone.localdate():%Y%m%d}.xlsx")
        n = write_export(target, export_register, user=user, kecamatan_id=opts["kecamatan"])
        self.stdout.write(self.style.SUCCESS(f"Ditulis: {target} ({n} kasus)"))
