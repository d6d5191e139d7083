"""Timing, query counting and memory of one measurement, repeated after a warm-up.

- wall time: ``time.perf_counter`` around each repetition; median and p95 (nearest rank) in ms;
- queries: every statement sent through Django's connection during one repetition, counted with
  ``connection.execute_wrapper`` (exact at any size, unlike ``CaptureQueriesContext`` whose log keeps
  only the last 9,000 queries); the largest count over the repetitions is reported;
- memory: the process's peak resident set size during the measurement, from the kernel's high-water
  mark (``VmHWM`` in /proc/self/status, reset before the measurement by writing 5 to
  /proc/self/clear_refs); where that is not available, ``resource.getrusage().ru_maxrss`` (the peak
  over the whole process life). ``rss_growth_mb`` is that peak minus the RSS before the measurement.
"""
from __future__ import annotations

import math
import resource
import statistics
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

from django.db import connection, transaction


class Unavailable(Exception):
    """The piece measured has not landed yet (or cannot run here): the row says "not available"."""


@dataclass
class Result:
    name: str
    n_cases: int
    median_ms: float | None = None
    p95_ms: float | None = None
    queries: int | None = None
    peak_rss_mb: float | None = None
    rss_growth_mb: float | None = None
    repeat: int = 0
    note: str = ""
    available: bool = True
    detail: dict = field(default_factory=dict)

    def as_json(self) -> dict:
        return asdict(self)


def _status_kb(key: str) -> int | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def _reset_peak() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def _peak_mb(resettable: bool) -> float:
    if resettable:
        hwm = _status_kb("VmHWM")
        if hwm is not None:
            return hwm / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


class _Counter:
    def __init__(self):
        self.n = 0

    def __call__(self, execute, sql, params, many, context):
        self.n += 1
        return execute(sql, params, many, context)


@contextmanager
def rolled_back():
    """Run the body in a transaction that is always rolled back (measurements that write)."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def run(name: str, n_cases: int, fn: Callable[[], object], *, repeat: int, warmup: int = 1,
        rollback: bool = False, note: str = "", between: Callable[[], None] | None = None) -> Result:
    """Warm up, then time ``fn`` ``repeat`` times; each repetition in its own rolled-back transaction if asked.

    ``between`` runs after every repetition, untimed (e.g. VACUUM after a rolled-back sweep, so the next
    repetition does not wade through the dead rows of the previous one — production never rolls back).
    """

    def once() -> tuple[float, int, object]:
        counter = _Counter()
        with connection.execute_wrapper(counter):
            if rollback:
                with rolled_back():
                    start = time.perf_counter()
                    value = fn()
                    elapsed = time.perf_counter() - start
            else:
                start = time.perf_counter()
                value = fn()
                elapsed = time.perf_counter() - start
        if between is not None:
            between()
        return elapsed, counter.n, value

    for _ in range(warmup):
        once()
    before = (_status_kb("VmRSS") or 0) / 1024
    resettable = _reset_peak()
    times, counts, value = [], [], None
    for _ in range(max(1, repeat)):
        elapsed, n, value = once()
        times.append(elapsed * 1000)
        counts.append(n)
    peak = _peak_mb(resettable)
    detail = {"min_queries": min(counts)} if min(counts) != max(counts) else {}
    if isinstance(value, dict):
        detail.update({k: v for k, v in value.items() if isinstance(v, (int, float, str))})
    return Result(name=name, n_cases=n_cases, median_ms=round(statistics.median(times), 1),
                  p95_ms=round(percentile(times, 95), 1), queries=max(counts), peak_rss_mb=round(peak, 1),
                  rss_growth_mb=round(max(0.0, peak - before), 1), repeat=len(times), note=note, detail=detail)


def _cell(value, width: int) -> str:
    if value is None:
        return "-".rjust(width)
    return f"{value:>{width}.1f}" if isinstance(value, float) else f"{value:>{width}}"


def format_table(results: list[Result]) -> str:
    header = f"{'measurement':<22} {'median ms':>10} {'p95 ms':>10} {'queries':>8} {'peak RSS MB':>12} " \
             f"{'growth MB':>10} {'reps':>5}  note"
    lines = [header, "-" * len(header)]
    for r in results:
        if not r.available:
            lines.append(f"{r.name:<22} {'not available':>10}  {r.note}")
            continue
        cells = [_cell(r.median_ms, 10), _cell(r.p95_ms, 10), _cell(r.queries, 8), _cell(r.peak_rss_mb, 12),
                 _cell(r.rss_growth_mb, 10)]
        lines.append(f"{r.name:<22} {' '.join(cells)} {r.repeat:>5}  {r.note}")
    return "\n".join(lines)
