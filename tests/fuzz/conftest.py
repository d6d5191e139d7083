"""Hypothesis profiles for the fuzz tests, chosen by HYPOTHESIS_PROFILE (default: "ci" under CI=true, else "dev").

"dev" keeps a local run short; "ci" runs about three times as many examples (thousands in total) and
is still bounded: every test sets its own ``max_examples`` through ``examples()``, and no example has a
deadline (a request on a loaded machine may take a second without being wrong).
"""
from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

SCALE = {"dev": 1, "ci": 3}
_COMMON = {
    "deadline": None,
    "database": None,  # no .hypothesis/ directory in the checkout; failures print a reproduction blob instead
    "print_blob": True,
    # The world is built once per module and each example runs in a savepoint that is rolled back.
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                              HealthCheck.data_too_large, HealthCheck.large_base_example],
}
settings.register_profile("dev", **_COMMON)
settings.register_profile("ci", **_COMMON)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI", "").lower() == "true" else "dev")
if PROFILE not in SCALE:
    raise RuntimeError(f"HYPOTHESIS_PROFILE must be one of {sorted(SCALE)}, not {PROFILE!r}")
settings.load_profile(PROFILE)


def examples(dev: int) -> int:
    """``max_examples`` for a test: ``dev`` locally, three times that under the ci profile."""
    return dev * SCALE[PROFILE]
