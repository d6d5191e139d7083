"""Village livelihood plans, as the guide's Matriks 1.

A plan belongs to one desa and one period; each annual update (pemutakhiran)
adds a new version rather than editing the old one, so meeting sheets and cases
keep pointing at the goals they were raised against.
"""
from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class FundingSource(models.Model):
    name = models.CharField(_("nama"), max_length=120, unique=True)

    class Meta:
        verbose_name = _("sumber pembiayaan")
        verbose_name_plural = _("sumber pembiayaan")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Plan(models.Model):
    desa = models.ForeignKey("casework.Desa", verbose_name=_("desa"), on_delete=models.PROTECT, related_name="plans")
    period = models.CharField(_("periode"), max_length=20, help_text=_("mis. 2024 atau 2024-2026"))
    version = models.PositiveIntegerField(_("versi"), default=1)
    note = models.TextField(_("catatan"), blank=True)
    source_file = models.CharField(_("berkas asal"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    created_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("rencana penghidupan desa")
        verbose_name_plural = _("rencana penghidupan desa")
        ordering = ["desa__name", "-period", "-version"]
        constraints = [models.UniqueConstraint(fields=["desa", "period", "version"], name="plan_unique_version")]

    def __str__(self) -> str:
        return f"{self.desa} · {self.period} v{self.version}"


class MainGoal(models.Model):
    """Tujuan & target capaian."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="goals")
    position = models.PositiveIntegerField(_("urutan"), default=0)
    statement = models.TextField(_("tujuan"))
    target = models.TextField(_("target capaian"), blank=True)
    target_year = models.PositiveIntegerField(_("tahun target"), null=True, blank=True)

    class Meta:
        verbose_name = _("tujuan utama")
        verbose_name_plural = _("tujuan utama")
        ordering = ["plan", "position", "id"]

    def __str__(self) -> str:
        return self.statement[:80]


class IntermediateGoal(models.Model):
    """Tujuan antara (milestone) with its target value."""

    main_goal = models.ForeignKey(MainGoal, on_delete=models.CASCADE, related_name="intermediate_goals")
    position = models.PositiveIntegerField(_("urutan"), default=0)
    statement = models.TextField(_("tujuan antara"))
    target_value = models.TextField(_("nilai target"), blank=True)

    class Meta:
        verbose_name = _("tujuan antara")
        verbose_name_plural = _("tujuan antara")
        ordering = ["main_goal", "position", "id"]

    def __str__(self) -> str:
        return self.statement[:80]


class Activity(models.Model):
    """Kegiatan yang direncanakan, with keterangan and its funding sources."""

    main_goal = models.ForeignKey(MainGoal, on_delete=models.CASCADE, related_name="activities")
    intermediate_goal = models.ForeignKey(
        IntermediateGoal, null=True, blank=True, on_delete=models.SET_NULL, related_name="activities"
    )
    position = models.PositiveIntegerField(_("urutan"), default=0)
    name = models.TextField(_("kegiatan"))
    description = models.TextField(_("keterangan kegiatan"), blank=True)
    funding_sources = models.ManyToManyField(FundingSource, verbose_name=_("sumber pembiayaan"), blank=True)
    funding_note = models.CharField(_("catatan pembiayaan"), max_length=255, blank=True,
                                    help_text=_("Teks asli kolom sumber pembiayaan"))

    class Meta:
        verbose_name = _("kegiatan")
        verbose_name_plural = _("kegiatan")
        ordering = ["main_goal", "position", "id"]

    def __str__(self) -> str:
        return self.name[:80]
