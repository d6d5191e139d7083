"""``manage.py health``: the same report as ``/kesehatan/``, for the operator; exit 1 when unhealthy."""
from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from ops.health import check_health, parse_only


class Command(BaseCommand):
    help = "Laporkan kesehatan instalasi: database, Redis, detak beat, pengingat tertunda. Kode keluar 1 bila tidak sehat."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="Cetak laporan sebagai JSON.")
        parser.add_argument("--only", default="",
                            help="Komponen yang diperiksa, dipisah koma: database,redis,beat,reminders.")

    def handle(self, *args, **options):
        try:
            only = parse_only(options["only"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        report = check_health(only=only)
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), indent=2))
        else:
            for name, component in report.components.items():
                extras = ", ".join(f"{k}={v}" for k, v in component.detail.items() if v is not None)
                line = f"{name:<10} {component.status}" + (f"  ({extras})" if extras else "")
                style = self.style.ERROR if component.failing else self.style.SUCCESS
                self.stdout.write(style(line))
            self.stdout.write(_("SEHAT") if report.healthy else _("TIDAK SEHAT"))
        if not report.healthy:
            raise SystemExit(1)
