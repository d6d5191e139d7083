"""Load Indonesia's national holidays and cuti bersama for one year. Safe to run again."""
from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from casework.models import Kabupaten
from escalation.services import holidays_load, recompute_kabupaten_deadlines


class Command(BaseCommand):
    help = ("Muat libur nasional dan cuti bersama Indonesia untuk satu tahun dari pustaka `holidays`. "
            "Idempoten: menjalankan ulang tidak menggandakan data.")

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="Tahun, mis. 2025")
        parser.add_argument("--no-recompute", action="store_true",
                            help="Jangan hitung ulang tenggat kasus terbuka setelah memuat.")

    def handle(self, *args, year: int, no_recompute: bool = False, **options):
        if not 2000 <= year <= 2100:
            raise CommandError("Tahun harus antara 2000 dan 2100.")
        created, updated = holidays_load(year=year)
        self.stdout.write(self.style.SUCCESS(
            f"{year}: {created} hari libur baru, {updated} diperbarui."))
        if created and not no_recompute:
            total = sum(recompute_kabupaten_deadlines(kabupaten_id=pk)
                        for pk in Kabupaten.objects.values_list("pk", flat=True))
            self.stdout.write(f"Tenggat dihitung ulang: {total} kasus berubah.")
