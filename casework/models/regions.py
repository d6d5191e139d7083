"""Province → kabupaten → kecamatan → desa. Codes are the official region codes, unique where given."""
from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

TIMEZONE_CHOICES = [
    ("Asia/Jakarta", _("WIB (Asia/Jakarta)")),
    ("Asia/Makassar", _("WITA (Asia/Makassar)")),
    ("Asia/Jayapura", _("WIT (Asia/Jayapura)")),
]
TIMEZONE_ABBREVIATIONS = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}


def _code_unique(model: str) -> models.UniqueConstraint:
    # Blank means "not known yet": only real codes must be unique.
    return models.UniqueConstraint(fields=["code"], condition=~Q(code=""), name=f"{model}_code_unique_where_given")


class Province(models.Model):
    name = models.CharField(_("nama"), max_length=100, unique=True)
    code = models.CharField(_("kode wilayah"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("provinsi")
        verbose_name_plural = _("provinsi")
        ordering = ["name"]
        constraints = [_code_unique("province")]

    def __str__(self) -> str:
        return self.name


class Kabupaten(models.Model):
    province = models.ForeignKey(Province, verbose_name=_("provinsi"), on_delete=models.PROTECT, related_name="kabupaten")
    name = models.CharField(_("nama"), max_length=100)
    code = models.CharField(_("kode wilayah"), max_length=20, blank=True)
    timezone = models.CharField(_("zona waktu"), max_length=40, choices=TIMEZONE_CHOICES, default="Asia/Jakarta")

    class Meta:
        verbose_name = _("kabupaten")
        verbose_name_plural = _("kabupaten")
        ordering = ["name"]
        constraints = [
            _code_unique("kabupaten"),
            models.UniqueConstraint(fields=["province", "name"], name="kabupaten_unique_name_in_province"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def tz_abbreviation(self) -> str:
        return TIMEZONE_ABBREVIATIONS.get(self.timezone, self.timezone)


class Kecamatan(models.Model):
    kabupaten = models.ForeignKey(Kabupaten, verbose_name=_("kabupaten"), on_delete=models.PROTECT, related_name="kecamatan")
    name = models.CharField(_("nama"), max_length=100)
    code = models.CharField(_("kode wilayah"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("kecamatan")
        verbose_name_plural = _("kecamatan")
        ordering = ["name"]
        constraints = [
            _code_unique("kecamatan"),
            models.UniqueConstraint(fields=["kabupaten", "name"], name="kecamatan_unique_name_in_kabupaten"),
        ]

    def __str__(self) -> str:
        return self.name


class Desa(models.Model):
    kecamatan = models.ForeignKey(Kecamatan, verbose_name=_("kecamatan"), on_delete=models.PROTECT, related_name="desa")
    name = models.CharField(_("nama"), max_length=100)
    code = models.CharField(_("kode wilayah"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("desa")
        verbose_name_plural = _("desa")
        ordering = ["name"]
        constraints = [
            _code_unique("desa"),
            models.UniqueConstraint(fields=["kecamatan", "name"], name="desa_unique_name_in_kecamatan"),
        ]

    def __str__(self) -> str:
        return self.name

    def current_plan(self):
        """The newest version of the newest period, or None.

        Uses ``prefetch_related("plans")`` when the caller made one, so a list of desa costs
        one query for all their plans instead of one per desa.
        """
        cached = getattr(self, "_prefetched_objects_cache", {}).get("plans")
        if cached is not None:
            return max(cached, key=lambda plan: (plan.period, plan.version), default=None)
        return self.plans.order_by("-period", "-version").first()
