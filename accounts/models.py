"""Users with one role and one scope.

The role decides what a user may do; the scope (one kecamatan, one OPD, one
kabupaten, or everything) decides which records they may see. Both are read
by ``casework.scoping`` and nowhere else.
"""
from __future__ import annotations

from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    KECAMATAN = "kecamatan", _("Staf kecamatan")
    OPD = "opd", _("Petugas OPD")
    POKJA = "pokja", _("Ketua/Sekretariat Pokja kabupaten")
    ADMIN = "admin", _("Admin program")


class UserQuerySet(models.QuerySet):
    def update(self, **kwargs):
        """A bulk update that touches a role or scope field is audited row by row, like ``save()``."""
        from accounts import audit

        if not audit.AUDITED_FIELDS.intersection(kwargs):
            return super().update(**kwargs)
        with transaction.atomic():
            # Lock the rows so the "before" we record is the one the update overwrites.
            pks = list(self.select_for_update().values_list("pk", flat=True))
            before = {u.pk: audit.snapshot(u) for u in self.model._base_manager.filter(pk__in=pks)}
            count = super().update(**kwargs)
            for user in self.model._base_manager.filter(pk__in=pks):
                audit.record_if_changed(user=user, old=before[user.pk], new=audit.snapshot(user), changed_by=None)
        return count


class UserManager(DjangoUserManager.from_queryset(UserQuerySet)):
    use_in_migrations = True


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

    objects = UserManager()

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


class RoleChangeQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionDenied(_("Riwayat perubahan peran tidak dapat diubah."))

    def delete(self):
        raise PermissionDenied(_("Riwayat perubahan peran tidak dapat dihapus."))


class RoleChange(models.Model):
    """One change of a user's role or scope: who changed it, when, and from what to what.

    Append-only, like ``casework.CaseEvent``: written by ``accounts.signals`` on every save of a
    user (the admin, the shell, a command) and by ``UserQuerySet.update``; never updated, never
    deleted. ``changed_by`` is empty when no signed-in person made the change (shell, command).
    Scopes are stored as ``{"kecamatan": {"id": 3, "name": "Pulau Gorom"}, ...}`` so the history
    stays readable after a place is renamed.
    """

    user = models.ForeignKey(User, verbose_name=_("pengguna"), on_delete=models.PROTECT, related_name="role_changes")
    changed_by = models.ForeignKey(User, verbose_name=_("diubah oleh"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("waktu"), auto_now_add=True, db_index=True)
    old_role = models.CharField(_("peran lama"), max_length=16, blank=True)
    new_role = models.CharField(_("peran baru"), max_length=16, blank=True)
    old_scope = models.JSONField(_("wilayah dan hak lama"), default=dict, blank=True)
    new_scope = models.JSONField(_("wilayah dan hak baru"), default=dict, blank=True)

    objects = RoleChangeQuerySet.as_manager()

    class Meta:
        verbose_name = _("perubahan peran")
        verbose_name_plural = _("riwayat perubahan peran")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.old_role or '-'} → {self.new_role}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise PermissionDenied(_("Riwayat perubahan peran tidak dapat diubah."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied(_("Riwayat perubahan peran tidak dapat dihapus."))
