"""OPDs (agencies), the deadline policy of each kabupaten, and its holiday calendar."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Sector(models.TextChoices):
    GOVERNANCE = "governance", _("Pemerintahan desa")
    AGRICULTURE = "agriculture", _("Pertanian")
    PLANNING = "planning", _("Perencanaan")
    FISHERIES = "fisheries", _("Kelautan dan perikanan")
    HEALTH = "health", _("Kesehatan")
    PUBLIC_WORKS = "public_works", _("Pekerjaan umum")
    SOCIAL = "social", _("Sosial")
    ECONOMY = "economy", _("Koperasi, UMKM dan perdagangan")
    FACILITATION = "facilitation", _("Pendampingan desa")
    OTHER = "other", _("Lainnya")


class OPD(models.Model):
    kabupaten = models.ForeignKey("casework.Kabupaten", verbose_name=_("kabupaten"), on_delete=models.PROTECT,
                                  related_name="opds")
    name = models.CharField(_("nama"), max_length=200)
    short_name = models.CharField(_("singkatan"), max_length=60)
    sector = models.CharField(_("sektor"), max_length=20, choices=Sector.choices, default=Sector.OTHER)
    active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("OPD")
        verbose_name_plural = _("OPD")
        ordering = ["kabupaten__name", "short_name"]
        constraints = [models.UniqueConstraint(fields=["kabupaten", "short_name"], name="opd_unique_short_name")]

    def __str__(self) -> str:
        return self.short_name


def _days(label, default, help_text=""):
    return models.PositiveIntegerField(label, default=default, help_text=help_text,
                                       validators=[MinValueValidator(1), MaxValueValidator(365)])


class DeadlinePolicy(models.Model):
    """How long a case may stay in each state, per kabupaten.

    Defaults follow LAPOR!-SP4N practice (verify and forward within 3 working
    days; the agency decides within 5) and the kecamatan meeting cycle.
    """

    kabupaten = models.OneToOneField("casework.Kabupaten", on_delete=models.CASCADE, related_name="deadline_policy")
    raised_days = _days(_("diputuskan kecamatan dalam (hari kalender)"), 30)
    escalated_working_days = _days(_("ditugaskan Pokja dalam (hari kerja)"), 5)
    acknowledge_working_days = _days(_("diterima OPD dalam (hari kerja)"), 3)
    update_interval_days = _days(_("pembaruan OPD setiap (hari)"), 14)
    default_due_days = _days(_("batas penyelesaian bawaan (hari)"), 30)
    remind_before_days = _days(_("pengingat sebelum tenggat (hari)"), 3)
    overdue_repeat_days = _days(_("pengingat ulang saat terlambat (hari)"), 7)
    overdue_escalate_days = _days(_("lapor ke Pokja setelah terlambat (hari)"), 7)
    meeting_reminder_days = _days(_("pengingat pertemuan sebelum (hari)"), 3)
    working_hours_start = models.PositiveSmallIntegerField(_("jam kerja mulai"), default=8,
                                                           validators=[MaxValueValidator(23)])
    working_hours_end = models.PositiveSmallIntegerField(_("jam kerja selesai"), default=16,
                                                         validators=[MaxValueValidator(23)])
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("kebijakan tenggat")
        verbose_name_plural = _("kebijakan tenggat")

    def __str__(self) -> str:
        return f"{_('Kebijakan tenggat')} {self.kabupaten}"


class Holiday(models.Model):
    """A day off: national (no kabupaten) or local to one kabupaten. Includes cuti bersama."""

    date = models.DateField(_("tanggal"))
    name = models.CharField(_("nama"), max_length=200)
    kabupaten = models.ForeignKey("casework.Kabupaten", verbose_name=_("kabupaten"), null=True, blank=True,
                                  on_delete=models.CASCADE, related_name="holidays",
                                  help_text=_("Kosongkan untuk libur nasional/cuti bersama"))

    class Meta:
        verbose_name = _("hari libur")
        verbose_name_plural = _("hari libur")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["date", "kabupaten"], name="holiday_once_per_kabupaten"),
            models.UniqueConstraint(fields=["date"], condition=models.Q(kabupaten__isnull=True),
                                    name="holiday_once_national"),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d-%m-%Y} {self.name}"


class Rakor(models.Model):
    """A periodic coordination meeting of the kabupaten working group (Pokja), as a date to count from."""

    kabupaten = models.ForeignKey("casework.Kabupaten", verbose_name=_("kabupaten"), on_delete=models.CASCADE,
                                  related_name="rakor")
    date = models.DateField(_("tanggal Rakor"))
    notes = models.TextField(_("catatan"), blank=True)
    created_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Rakor Pokja")
        verbose_name_plural = _("Rakor Pokja")
        ordering = ["-date", "-id"]
        constraints = [models.UniqueConstraint(fields=["kabupaten", "date"], name="rakor_once_per_day")]

    def __str__(self) -> str:
        return f"Rakor {self.kabupaten} {self.date:%d-%m-%Y}"


class PolicyChangeQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionDenied(_("Riwayat perubahan kebijakan tidak dapat diubah."))

    def delete(self):
        raise PermissionDenied(_("Riwayat perubahan kebijakan tidak dapat dihapus."))


class PolicyChange(models.Model):
    """Audit row for an edit of a kabupaten's deadline policy: who, when, old and new values. Append-only."""

    kabupaten = models.ForeignKey("casework.Kabupaten", verbose_name=_("kabupaten"), on_delete=models.PROTECT,
                                  related_name="+")
    changed_by = models.ForeignKey("accounts.User", verbose_name=_("oleh"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(_("waktu"), auto_now_add=True, db_index=True)
    old_values = models.JSONField(_("nilai lama"), default=dict)
    new_values = models.JSONField(_("nilai baru"), default=dict)

    objects = PolicyChangeQuerySet.as_manager()

    class Meta:
        verbose_name = _("perubahan kebijakan tenggat")
        verbose_name_plural = _("perubahan kebijakan tenggat")
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kabupaten} {self.changed_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionDenied(_("Riwayat perubahan kebijakan tidak dapat diubah."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied(_("Riwayat perubahan kebijakan tidak dapat dihapus."))

    @property
    def changes(self) -> list[tuple[str, object, object]]:
        """(field label, old, new) for each field that changed."""
        result = []
        for name, new in self.new_values.items():
            old = self.old_values.get(name)
            if old != new:
                try:
                    label = DeadlinePolicy._meta.get_field(name).verbose_name
                except Exception:  # noqa: BLE001 - a field removed since the row was written
                    label = name
                result.append((str(label), old, new))
        return result


class DashboardSnapshot(models.Model):
    """Figures too costly to compute per page view (the programme-wide dashboard), refreshed by the beat."""

    key = models.CharField(_("kunci"), max_length=40, unique=True)
    data = models.JSONField(_("data"), default=dict)
    computed_at = models.DateTimeField(_("dihitung pada"))
    duration_ms = models.PositiveIntegerField(_("lama perhitungan (ms)"), default=0)

    class Meta:
        verbose_name = _("cuplikan dasbor")
        verbose_name_plural = _("cuplikan dasbor")

    def __str__(self) -> str:
        return f"{self.key} {self.computed_at:%Y-%m-%d %H:%M}"
