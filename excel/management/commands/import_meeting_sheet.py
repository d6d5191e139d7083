"""Import a filled meeting sheet (Matriks 2): new rows become cases, known rows update their case."""
from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from excel.management.commands._common import USER_HELP, get_user, refusals, refuse_if_problems, write_preview
from excel.services.meetings import meeting_import_commit, meeting_import_preview


class Command(BaseCommand):
    help = ("Impor lembar pertemuan (Matriks 2) yang sudah diisi: baris baru menjadi kasus, kasus yang sudah ada "
            "diperbarui (lewat kolom Ref tersembunyi). Mengimpor berkas yang sama dua kali tidak mengubah apa pun. "
            "Berkas bermasalah ditolak seluruhnya dengan kode keluar bukan nol.")

    def add_arguments(self, parser):
        parser.add_argument("file", help="Berkas .xlsx lembar pertemuan.")
        parser.add_argument("--meeting", type=int, required=True, help="Id pertemuan koordinasi kecamatan.")
        parser.add_argument("--user", required=True, help=USER_HELP)
        parser.add_argument("--dry-run", action="store_true", help="Hanya cetak pratinjau; tidak menyimpan apa pun.")

    def handle(self, *args, **opts):
        user = get_user(opts["user"])
        path = Path(opts["file"])
        if not path.is_file():
            raise CommandError(f"Berkas '{path}' tidak ada.")
        with refusals():
            preview = meeting_import_preview(user=user, meeting_id=opts["meeting"], path=path)
            write_preview(self.stdout, preview)
            refuse_if_problems(preview)
            if opts["dry_run"]:
                self.stdout.write("Uji coba (--dry-run): tidak ada yang disimpan.")
                return
            result = meeting_import_commit(user=user, meeting_id=opts["meeting"], path=path)
        self.stdout.write(self.style.SUCCESS(f"Tersimpan: {result['created']} kasus baru, {result['updated']} "
                                             f"diperbarui, {result['unchanged']} tidak berubah."))
