"""Recompute the programme-wide dashboard snapshot now (the beat does it every 10 minutes)."""
from __future__ import annotations

from django.core.management.base import BaseCommand

from escalation.dashboard import refresh_national_snapshot


class Command(BaseCommand):
    help = ("Hitung ulang angka dasbor seluruh program sekarang. Beat menjalankannya setiap 10 menit; "
            "jalankan manual setelah impor besar atau bila worker lama mati.")

    def handle(self, *args, **options):
        snap = refresh_national_snapshot()
        totals = snap.data["totals"]
        self.stdout.write(self.style.SUCCESS(
            f"Dasbor seluruh program dihitung dalam {snap.duration_ms} ms: "
            f"{totals['open']} kasus terbuka, {totals['overdue']} melewati tenggat."))
