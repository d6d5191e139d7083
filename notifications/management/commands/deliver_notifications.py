from django.core.management.base import BaseCommand

from notifications.delivery import deliver_due_notifications


class Command(BaseCommand):
    help = "Kirim sekarang semua notifikasi yang sudah waktunya (satu ringkasan per orang dan saluran)."

    def handle(self, *args, **options):
        report = deliver_due_notifications()
        self.stdout.write(
            f"Pesan terkirim: {report['messages']} (notifikasi: {report['sent']}), "
            f"dicoba ulang nanti: {report['retry']}, gagal: {report['failed']}, dilewati: {report['skipped']}"
        )
