"""Test data builders. One world with two kabupaten, so every test has an outsider to hand."""
from __future__ import annotations

import factory

from accounts.models import User
from casework.models import Activity, Desa, Kabupaten, Kecamatan, MainGoal, Plan, Province
from escalation.models import OPD


class ProvinceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Province
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Provinsi {n}")


class KabupatenFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Kabupaten

    province = factory.SubFactory(ProvinceFactory)
    name = factory.Sequence(lambda n: f"Kabupaten {n}")
    timezone = "Asia/Jayapura"


class KecamatanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Kecamatan

    kabupaten = factory.SubFactory(KabupatenFactory)
    name = factory.Sequence(lambda n: f"Kecamatan {n}")


class DesaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Desa

    kecamatan = factory.SubFactory(KecamatanFactory)
    name = factory.Sequence(lambda n: f"Desa {n}")


class OPDFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OPD

    kabupaten = factory.SubFactory(KabupatenFactory)
    short_name = factory.Sequence(lambda n: f"OPD{n}")
    name = factory.LazyAttribute(lambda o: f"Dinas {o.short_name}")
    sector = "other"


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    desa = factory.SubFactory(DesaFactory)
    period = "2024"
    version = 1


class MainGoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MainGoal

    plan = factory.SubFactory(PlanFactory)
    position = factory.Sequence(lambda n: n)
    statement = factory.Sequence(lambda n: f"Tujuan {n}")
    target = "Target"


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    main_goal = factory.SubFactory(MainGoalFactory)
    position = factory.Sequence(lambda n: n)
    name = factory.Sequence(lambda n: f"Kegiatan {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.test")
    password = factory.PostGenerationMethodCall("set_password", "rahasia-123")

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        if create:
            instance.save()
