from django.core.management.base import BaseCommand

from notifications.models import NotificationKind
from notifications.sweep import sweep_reminders


class Command(BaseCommand):
    help = "Jalankan penyisiran pengingat sekali (yang juga dijalankan beat setiap 5 menit) dan cetak hasilnya."

    def handle(self, *args, **options):
        created = sweep_reminders()
        if not created:
            self.stdout.write("Tidak ada pengingat baru.")
        for kind, count in sorted(created.items()):
            self.stdout.write(f"{NotificationKind(kind).label}: {count}")
