"""Time and peak memory of the register export for many cases, in throwaway regions rolled back afterwards."""
from __future__ import annotations

import os
import random
import resource
import secrets
import tempfile
import time
import tracemalloc
from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from casework.models import Case, CaseEvent, CaseState, Desa, EventKind, Kabupaten, Kecamatan, Province
from excel.writers.reports import write_register


class _Rollback(Exception):
    pass


class Command(BaseCommand):
    help = ("Ukur waktu dan memori puncak ekspor register kasus. Membuat wilayah sementara (1 kabupaten, 10 kecamatan, "
            "100 desa) dan N kasus dengan bulk_create, mengekspor sebagai Pokja kabupaten itu, lalu membatalkan "
            "semuanya (rollback) sehingga basis data kembali seperti semula.")

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=100_000, help="Jumlah kasus (bawaan 100000).")
        parser.add_argument("--batch", type=int, default=5000, help="Ukuran batch bulk_create.")
        parser.add_argument("--no-tracemalloc", action="store_true",
                            help="Jangan ukur alokasi Python (lebih cepat; hanya RSS puncak proses).")
        parser.add_argument("-o", "--output", help="Simpan berkas hasil ekspor di sini (bawaan: dibuang).")

    def handle(self, *args, **opts):
        try:
            with transaction.atomic():
                user = self._generate(opts["cases"], opts["batch"])
                self._export(user, opts)
                raise _Rollback
        except _Rollback:
            self.stdout.write("Data benchmark dibatalkan (rollback); basis data tidak berubah.")

    def _generate(self, n: int, batch: int):
        from accounts.models import User

        started = time.perf_counter()
        tag = secrets.token_hex(4)
        province = Province.objects.create(name=f"Benchmark {tag}")
        kab = Kabupaten.objects.create(province=province, name=f"Kabupaten Benchmark {tag}", timezone="Asia/Jayapura")
        kecs = [Kecamatan.objects.create(kabupaten=kab, name=f"Kecamatan {i}") for i in range(10)]
        desas = Desa.objects.bulk_create(Desa(kecamatan=kecs[i % 10], name=f"Desa {i}") for i in range(100))
        user = User.objects.create(username=f"benchmark-{tag}", role="pokja", kabupaten=kab)
        rng = random.Random(42)
        now = timezone.now()
        states = [CaseState.RAISED] * 4 + [CaseState.ESCALATED] * 2 + [CaseState.ASSIGNED] * 2 + [
            CaseState.RESOLVED, CaseState.CLOSED]
        made = 0
        while made < n:
            size = min(batch, n - made)
            cases = []
            for i in range(made, made + size):
                desa = desas[i % 100]
                state = rng.choice(states)
                cases.append(Case(
                    kabupaten=kab, kecamatan_id=desa.kecamatan_id, desa=desa, state=state,
                    obstacle=f"Kendala nomor {i}: penyuluh pertanian belum hadir di kelompok tani jagung desa.",
                    cause="Belum ada jadwal kunjungan" if i % 3 else "", solution="Minta jadwal ke dinas",
                    support_needed="Penyuluh pertanian" if i % 2 else "", support_from="kabupaten",
                    deadline_at=now + timedelta(days=rng.randint(-30, 30)), state_changed_at=now,
                    due_date=(now + timedelta(days=14)).date() if state == CaseState.ASSIGNED else None))
            cases = Case.objects.bulk_create(cases, batch_size=batch)
            events = []
            for case in cases:
                events.append(CaseEvent(case=case, kind=EventKind.CREATED, to_state=CaseState.RAISED))
                if case.state != CaseState.RAISED:
                    events.append(CaseEvent(case=case, kind=EventKind.TRANSITION, action="escalate",
                                            from_state=CaseState.RAISED, to_state=CaseState.ESCALATED))
                if case.state in (CaseState.ASSIGNED, CaseState.RESOLVED, CaseState.CLOSED):
                    events.append(CaseEvent(case=case, kind=EventKind.TRANSITION, action="assign",
                                            from_state=CaseState.ESCALATED, to_state=CaseState.ASSIGNED))
                if case.state in (CaseState.RESOLVED, CaseState.CLOSED):
                    events.append(CaseEvent(case=case, kind=EventKind.TRANSITION, action="resolve",
                                            from_state=CaseState.ASSIGNED, to_state=CaseState.RESOLVED))
                if case.state == CaseState.CLOSED:
                    events.append(CaseEvent(case=case, kind=EventKind.TRANSITION, action="confirm",
                                            from_state=CaseState.RESOLVED, to_state=CaseState.CLOSED))
            CaseEvent.objects.bulk_create(events, batch_size=batch)
            made += size
        self.stdout.write(f"Dibuat {n} kasus dalam {time.perf_counter() - started:.1f} dtk.")
        return user

    def _export(self, user, opts) -> None:
        """Two passes over the same data: one timed, one under tracemalloc (which slows Python several-fold)."""
        path = opts["output"] or tempfile.mkstemp(suffix=".xlsx")[1]
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        started = time.perf_counter()
        with open(path, "wb") as fh:
            rows = write_register(fh, user=user, scope_label="benchmark")
        elapsed = time.perf_counter() - started
        rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        size = os.path.getsize(path)
        self.stdout.write(self.style.SUCCESS(
            f"Ekspor register: {rows} baris dalam {elapsed:.1f} dtk ({rows / max(elapsed, 1e-9):,.0f} baris/dtk), "
            f"berkas {size / 1048576:.1f} MB."))
        self.stdout.write(f"RSS puncak proses (getrusage): {rss_after / 1024:.0f} MB; sebelum ekspor "
                          f"{rss_before / 1024:.0f} MB (puncak itu dari pembuatan data).")
        if not opts["no_tracemalloc"]:
            tracemalloc.start()
            with open(path, "wb") as fh:
                write_register(fh, user=user, scope_label="benchmark")
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            self.stdout.write(f"Memori puncak alokasi Python selama ekspor (tracemalloc, putaran kedua): "
                              f"{peak / 1048576:.1f} MB")
        if not opts["output"]:
            os.unlink(path)
