"""Users with one role and one scope.

The role decides what a user may do; the scope (one kecamatan, one OPD, one
kabupaten, or everything) decides which records they may see. Both are read
by ``casework.scoping`` and nowhere else.
"""
from __future__ import annotations

from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    KECAMATAN = "kecamatan", _("Staf kecamatan")
    OPD = "opd", _("Petugas OPD")
    POKJA = "pokja", _("Ketua/Sekretariat Pokja kabupaten")
    ADMIN = "admin", _("Admin program")


class User(AbstractUser):
    role = models.CharField(_("peran"), max_length=16, choices=Role.choices, default=Role.KECAMATAN)
    kecamatan = models.ForeignKey(
        "casework.Kecamatan", verbose_name=_("kecamatan"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="staff",
    )
    opd = models.ForeignKey(
        "escalation.OPD", verbose_name=_("OPD"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="officers",
    )
    kabupaten = models.ForeignKey(
        "casework.Kabupaten", verbose_name=_("kabupaten"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="pokja_members",
    )
    phone = models.CharField(_("nomor WhatsApp/HP"), max_length=20, blank=True,
                             help_text=_("Format internasional, mis. +6281234567890"))
    notify_email = models.BooleanField(_("kirim lewat email"), default=True)
    notify_whatsapp = models.BooleanField(_("kirim lewat WhatsApp/SMS"), default=False)

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.role == Role.KECAMATAN and not self.kecamatan_id:
            errors["kecamatan"] = _("Staf kecamatan harus terikat pada satu kecamatan.")
        if self.role == Role.OPD and not self.opd_id:
            errors["opd"] = _("Petugas OPD harus terikat pada satu OPD.")
        if self.role == Role.POKJA and not self.kabupaten_id:
            errors["kabupaten"] = _("Pokja harus terikat pada satu kabupaten.")
        if self.phone:
            from notifications.phone import normalise_phone

            try:
                self.phone = normalise_phone(self.phone)
            except ValueError as exc:
                errors["phone"] = str(exc)
        if errors:
            raise ValidationError(errors)

    # --- scope helpers, used by casework.scoping ---------------------------------
    @property
    def is_programme_admin(self) -> bool:
        return self.is_superuser or self.role == Role.ADMIN

    @property
    def home_kabupaten_id(self) -> int | None:
        """The kabupaten this user belongs to, whatever their role."""
        if self.role == Role.KECAMATAN and self.kecamatan_id:
            return self.kecamatan.kabupaten_id
        if self.role == Role.OPD and self.opd_id:
            return self.opd.kabupaten_id
        if self.role == Role.POKJA:
            return self.kabupaten_id
        return None

    @property
    def tzinfo(self) -> ZoneInfo:
        kab_id = self.home_kabupaten_id
        if kab_id:
            from casework.models import Kabupaten

            tz = Kabupaten.objects.filter(pk=kab_id).values_list("timezone", flat=True).first()
            if tz:
                return ZoneInfo(tz)
        return ZoneInfo(settings.TIME_ZONE)

    def scope_label(self) -> str:
        if self.is_programme_admin:
            return str(_("Seluruh program"))
        if self.role == Role.KECAMATAN and self.kecamatan_id:
            return f"{_('Kecamatan')} {self.kecamatan.name}"
        if self.role == Role.OPD and self.opd_id:
            return f"{self.opd.short_name} · {self.opd.kabupaten.name}"
        if self.role == Role.POKJA and self.kabupaten_id:
            return f"{_('Kabupaten')} {self.kabupaten.name}"
        return str(_("Tanpa wilayah"))
