"""``manage.py benchmark --cases N``: generate a national-shaped data set, then measure the product on it.

See docs/performance.md for what is measured, how, and the results on the reference machine.
"""
from __future__ import annotations

import json
import sys
import traceback

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.utils import override_settings

from casework.benchmark.data import ForeignData, check_only_ours, reset_ledger, wipe
from casework.benchmark.measure import Result, Unavailable, format_table, run
from casework.benchmark.scenarios import HEAVY, SCENARIOS, World
from casework.models import Case


class Command(BaseCommand):
    help = ("Bangun data uji berskala nasional (PostgreSQL) lalu ukur waktu, jumlah query dan memori halaman, "
            "penyisiran pengingat dan ekspor. Hanya berjalan pada basis data kosong atau berisi data benchmark.")

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=10_000, help="jumlah kasus (mis. 10000, 100000, 1000000)")
        parser.add_argument("--json", dest="json_path", help="tulis satu objek JSON per pengukuran ke berkas ini")
        parser.add_argument("--repeat", type=int, default=20, help="pengulangan tiap pengukuran (setelah pemanasan)")
        parser.add_argument("--heavy-repeat", type=int, default=None,
                            help="pengulangan untuk penyisiran, pengiriman dan ekspor register (bawaan: --repeat)")
        parser.add_argument("--only", default="", help="hanya pengukuran ini, dipisah koma")
        parser.add_argument("--keep", action="store_true", help="biarkan data benchmark setelah selesai")
        parser.add_argument("--drop", action="store_true", help="hapus data benchmark lalu berhenti")
        parser.add_argument("--no-measure", action="store_true", help="hanya bangun data")
        parser.add_argument("--seed", type=int, default=7)
        parser.add_argument("--allow-sqlite", action="store_true",
                            help="izinkan SQLite (hanya untuk uji asap yang sangat kecil)")

    def handle(self, *args, **opts):
        if connection.vendor != "postgresql" and not opts["allow_sqlite"]:
            raise CommandError("Benchmark ini untuk PostgreSQL: jalankan dengan DATABASE_URL=postgres://... "
                               "(SQLite hanya untuk uji asap dengan --allow-sqlite).")
        try:
            province = check_only_ours()
        except ForeignData as exc:
            raise CommandError(str(exc)) from None
        if opts["drop"]:
            if province:
                wipe(province)
            self.stdout.write("Data benchmark dihapus." if province else "Tidak ada data benchmark.")
            return
        n = opts["cases"]
        if n < 100:
            raise CommandError("--cases minimal 100.")
        only = [name.strip() for name in opts["only"].split(",") if name.strip()]
        unknown = [name for name in only if name not in SCENARIOS]
        if unknown:
            raise CommandError(f"Pengukuran tidak dikenal: {', '.join(unknown)}. Pilihan: {', '.join(SCENARIOS)}")

        results: list[Result] = []
        existing = Case.objects.filter(kabupaten__province=province).count() if province else 0
        if province and existing == n:
            self.stdout.write(f"Memakai data benchmark yang sudah ada ({n:,} kasus).")
        else:
            if province:
                self.stdout.write(f"Menghapus data benchmark lama ({existing:,} kasus) ...")
                wipe(province)
            from casework.benchmark.generate import generate

            self.stdout.write(f"Membangun data untuk {n:,} kasus ...")
            generated = generate(n, seed=opts["seed"], log=lambda line: self.stdout.write(f"  {line}"))
            shape = generated.shape
            self.stdout.write(f"Selesai dalam {generated.seconds:.1f} s: " + ", ".join(
                f"{label.split('.')[-1]} {count:,}" for label, count in sorted(generated.counts.items())))
            results.append(Result(
                name="generate", n_cases=n, median_ms=round(generated.seconds * 1000, 1),
                p95_ms=round(generated.seconds * 1000, 1), queries=None, peak_rss_mb=None, repeat=1,
                note=f"{shape.kabupaten} kab, {shape.kecamatan} kec, {shape.desa} desa",
                detail={k.split(".")[-1]: v for k, v in generated.counts.items()}))
        province = check_only_ours()

        try:
            if not opts["no_measure"]:
                reset_ledger(province)
                results += self.measure(opts, only)
        finally:
            if not opts["keep"]:
                self.stdout.write("Menghapus data benchmark (pakai --keep untuk menyimpannya) ...")
                wipe(province)
        self.stdout.write("")
        self.stdout.write(format_table(results))
        if opts["json_path"]:
            with open(opts["json_path"], "a", encoding="utf-8") as fh:
                for result in results:
                    fh.write(json.dumps(result.as_json(), default=str) + "\n")
            self.stdout.write(f"JSON: {opts['json_path']}")

    def measure(self, opts, only: list[str]) -> list[Result]:
        # As in production: DEBUG off. The test client's host name is allowed, and static URLs come from the
        # plain storage so that no collectstatic manifest is needed to render a page.
        measuring = override_settings(
            DEBUG=False, ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"],
            STORAGES={**settings.STORAGES, "staticfiles": {
                "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}})
        with measuring:
            return self._measure(opts, only)

    def _measure(self, opts, only: list[str]) -> list[Result]:
        world = World.find()
        repeat = opts["repeat"]
        heavy_repeat = opts["heavy_repeat"] or repeat
        results = []
        for name, build in SCENARIOS.items():
            if only and name not in only:
                continue
            reps = heavy_repeat if name in HEAVY else repeat
            self.stdout.write(f"  {name} × {reps} ...")
            scenario = None
            try:
                scenario = build(world)
                result = run(name, world.n_cases, scenario.fn, repeat=reps, rollback=scenario.rollback,
                             note=scenario.note, between=scenario.between)
            except (Unavailable, ImportError) as exc:
                result = Result(name=name, n_cases=world.n_cases, available=False, note=str(exc))
            except Exception as exc:  # noqa: BLE001 - one failing measurement must not hide the others
                if opts.get("traceback"):
                    traceback.print_exc(file=sys.stderr)
                result = Result(name=name, n_cases=world.n_cases, available=False,
                                note=f"GAGAL: {type(exc).__name__}: {exc}"[:200])
            finally:
                if scenario is not None and scenario.cleanup:
                    scenario.cleanup()
            results.append(result)
            if result.available:
                self.stdout.write(f"    median {result.median_ms} ms, p95 {result.p95_ms} ms, "
                                  f"{result.queries} queries, {result.detail}")
        return results
