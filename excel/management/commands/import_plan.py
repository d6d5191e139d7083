"""Import a village plan (Matriks 1) from .xlsx as a new version, after showing what it will create."""
from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from casework.scoping import desa_for
from excel.management.commands._common import USER_HELP, get_user, refusals, refuse_if_problems, write_preview
from excel.services.plans import plan_import_commit, plan_import_preview


class Command(BaseCommand):
    help = ("Impor rencana penghidupan desa (Matriks 1) dari berkas .xlsx — tata letak panduan atau Matriks 10 — "
            "sebagai versi baru untuk desa dan periode itu. Pratinjau dicetak dulu; berkas bermasalah ditolak "
            "seluruhnya (kode keluar bukan nol) dan tidak ada yang disimpan.")

    def add_arguments(self, parser):
        parser.add_argument("file", help="Berkas .xlsx rencana desa.")
        parser.add_argument("--desa", required=True,
                            help="Desa: id, nama, atau 'Kecamatan/Desa' bila nama desa tidak unik di wilayah Anda.")
        parser.add_argument("--period", required=True, help="Periode rencana: 2024 atau 2024-2026.")
        parser.add_argument("--user", required=True, help=USER_HELP)
        parser.add_argument("--dry-run", action="store_true", help="Hanya cetak pratinjau; tidak menyimpan apa pun.")

    def handle(self, *args, **opts):
        user = get_user(opts["user"])
        path = Path(opts["file"])
        if not path.is_file():
            raise CommandError(f"Berkas '{path}' tidak ada.")
        with refusals():
            desa = self._desa(user, opts["desa"])
            preview = plan_import_preview(user=user, desa_id=desa.pk, period=opts["period"], path=path)
            write_preview(self.stdout, preview)
            refuse_if_problems(preview)
            if opts["dry_run"]:
                self.stdout.write("Uji coba (--dry-run): tidak ada yang disimpan.")
                return
            plan = plan_import_commit(user=user, desa_id=desa.pk, period=opts["period"], path=path,
                                      source_name=path.name)
        self.stdout.write(self.style.SUCCESS(f"Tersimpan: rencana #{plan.pk} Desa {desa.name} {plan.period} "
                                             f"versi {plan.version}."))

    def _desa(self, user, value: str):
        qs = desa_for(user)
        if value.isdigit():
            match = list(qs.filter(pk=int(value)))
        elif "/" in value:
            kec, _sep, name = value.partition("/")
            match = list(qs.filter(kecamatan__name__iexact=kec.strip(), name__iexact=name.strip()))
        else:
            match = list(qs.filter(name__iexact=value.strip()))
        if len(match) != 1:
            raise CommandError(f"Desa '{value}' tidak ditemukan di wilayah pengguna ini" if not match else
                               f"Nama desa '{value}' tidak unik; tulis sebagai 'Kecamatan/Desa' atau pakai id.")
        return match[0]
