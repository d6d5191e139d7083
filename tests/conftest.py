"""Shared fixtures: one world, one user per role, and an outsider for each.

``world`` holds two kabupaten in different time zones. Kabupaten A (WIT) has
kecamatan A1 and A2; kabupaten B (WITA) has B1. Each role gets a user inside A
(or A1) and an outsider who must never see A1's records.
"""
from __future__ import annotations

import os
from dataclasses import dataclass

import pytest

from tests.factories import (
    ActivityFactory,
    DesaFactory,
    KabupatenFactory,
    KecamatanFactory,
    MainGoalFactory,
    OPDFactory,
    PlanFactory,
    UserFactory,
)

IN_CI = os.environ.get("CI", "").lower() == "true"


@dataclass
class World:
    kab_a: object
    kab_b: object
    kec_a1: object
    kec_a2: object
    kec_b1: object
    desa_a1: object
    desa_a1b: object
    desa_a2: object
    desa_b1: object
    opd_a_tani: object
    opd_a_dpmd: object
    opd_b_tani: object
    plan_a1: object
    goal_a1: object
    activity_a1: object
    kecamatan_user: object
    kecamatan_outsider: object
    opd_user: object
    opd_outsider: object
    opd_other_kab: object
    pokja_user: object
    pokja_outsider: object
    admin_user: object


@pytest.fixture
def world(db) -> World:
    return build_world()


def build_world() -> World:
    """The world's rows, for fixtures of any scope (tests/security/matrix.py builds it once per module)."""
    kab_a = KabupatenFactory(name="Seram Bagian Timur", timezone="Asia/Jayapura")
    kab_b = KabupatenFactory(name="Sumba Barat Daya", timezone="Asia/Makassar")
    kec_a1 = KecamatanFactory(kabupaten=kab_a, name="Pulau Gorom")
    kec_a2 = KecamatanFactory(kabupaten=kab_a, name="Pulau Panjang")
    kec_b1 = KecamatanFactory(kabupaten=kab_b, name="Kodi Balaghar")
    desa_a1 = DesaFactory(kecamatan=kec_a1, name="X")
    desa_a1b = DesaFactory(kecamatan=kec_a1, name="Ondor")
    desa_a2 = DesaFactory(kecamatan=kec_a2, name="Argam")
    desa_b1 = DesaFactory(kecamatan=kec_b1, name="Wainyapu")
    opd_a_tani = OPDFactory(kabupaten=kab_a, short_name="Dinas Pertanian", sector="agriculture")
    opd_a_dpmd = OPDFactory(kabupaten=kab_a, short_name="DPMD", sector="governance")
    opd_b_tani = OPDFactory(kabupaten=kab_b, short_name="Dinas Pertanian", sector="agriculture")
    plan_a1 = PlanFactory(desa=desa_a1)
    goal_a1 = MainGoalFactory(plan=plan_a1, statement="Semua warga terbebas dari hutang pada rentenir")
    activity_a1 = ActivityFactory(main_goal=goal_a1, name="Penyerahan modal Desa di BUMDES")
    return World(
        kab_a=kab_a, kab_b=kab_b, kec_a1=kec_a1, kec_a2=kec_a2, kec_b1=kec_b1,
        desa_a1=desa_a1, desa_a1b=desa_a1b, desa_a2=desa_a2, desa_b1=desa_b1,
        opd_a_tani=opd_a_tani, opd_a_dpmd=opd_a_dpmd, opd_b_tani=opd_b_tani,
        plan_a1=plan_a1, goal_a1=goal_a1, activity_a1=activity_a1,
        kecamatan_user=UserFactory(username="kec_a1", role="kecamatan", kecamatan=kec_a1),
        kecamatan_outsider=UserFactory(username="kec_a2", role="kecamatan", kecamatan=kec_a2),
        opd_user=UserFactory(username="opd_tani_a", role="opd", opd=opd_a_tani, phone="+6281234567890"),
        opd_outsider=UserFactory(username="opd_dpmd_a", role="opd", opd=opd_a_dpmd),
        opd_other_kab=UserFactory(username="opd_tani_b", role="opd", opd=opd_b_tani),
        pokja_user=UserFactory(username="pokja_a", role="pokja", kabupaten=kab_a),
        pokja_outsider=UserFactory(username="pokja_b", role="pokja", kabupaten=kab_b),
        admin_user=UserFactory(username="admin_prog", role="admin", is_staff=True, is_superuser=True),
    )


def make_case(world: World, *, desa=None, user=None, **fields):
    """A case recorded through the real service (state ``raised``)."""
    from casework.services.cases import case_create

    fields.setdefault("obstacle", "Penyuluh pertanian tidak hadir pada pertemuan kelompok tani.")
    return case_create(user=user or world.kecamatan_user, desa=desa or world.desa_a1, **fields)


def step(case, user, action, note="", **fields):
    """Take one transition through the real service, with the version the user saw."""
    from casework.services.cases import case_transition

    case.refresh_from_db()
    return case_transition(user=user, case_id=case.pk, action=action, expected_version=case.version, note=note,
                           **fields)


@pytest.fixture
def case_factory(world):
    def _make(**fields):
        return make_case(world, **fields)

    return _make


def require_service(name: str, url: str | None) -> str:
    """The service URL, or a skip outside CI; under CI=true a missing service fails the run."""
    if url:
        return url
    if IN_CI:
        pytest.fail(f"{name} is required under CI=true but its URL is not set")
    pytest.skip(f"{name} not configured (set {name})")


@pytest.fixture
def redis_url() -> str:
    url = require_service("REDIS_URL", os.environ.get("REDIS_URL"))
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=3).ping()
    except Exception as exc:  # noqa: BLE001
        if IN_CI:
            pytest.fail(f"Redis at {url} is unreachable under CI=true: {exc}")
        pytest.skip(f"Redis unreachable: {exc}")
    return url


@pytest.fixture
def postgres_db(settings):
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        require_service("DATABASE_URL", None)
    return settings.DATABASES["default"]
