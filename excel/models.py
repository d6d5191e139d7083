"""One row per import or export, so a long job can run in Celery while the page polls its progress."""
from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class JobKind(models.TextChoices):
    PLAN_IMPORT = "plan_import", _("Impor rencana desa (Matriks 1)")
    MEETING_IMPORT = "meeting_import", _("Impor lembar pertemuan (Matriks 2)")
    REGISTER_EXPORT = "register_export", _("Ekspor register kasus kabupaten")

    @property
    def is_import(self) -> bool:
        return self in (JobKind.PLAN_IMPORT, JobKind.MEETING_IMPORT)


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Menunggu diproses")
    WORKING = "working", _("Sedang diproses")
    PREVIEW = "preview", _("Pratinjau siap, menunggu konfirmasi")
    REJECTED = "rejected", _("Berkas ditolak")
    CONFIRMED = "confirmed", _("Dikonfirmasi, menunggu disimpan")
    COMMITTING = "committing", _("Sedang disimpan")
    DONE = "done", _("Selesai")
    FAILED = "failed", _("Gagal")
    CANCELLED = "cancelled", _("Dibatalkan")


RUNNING_STATUSES = (JobStatus.QUEUED, JobStatus.WORKING, JobStatus.CONFIRMED, JobStatus.COMMITTING)


class ExcelJob(models.Model):
    # The URL names the job by an unguessable token; the view also checks the owner.
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="excel_jobs")
    kind = models.CharField(_("jenis"), max_length=20, choices=JobKind.choices)
    status = models.CharField(_("status"), max_length=12, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("kemajuan (%)"), default=0)
    params = models.JSONField(default=dict, blank=True)
    original_name = models.CharField(_("nama berkas"), max_length=255, blank=True)
    # Relative to MEDIA_ROOT (outside the web root); uploads are never served back.
    upload_path = models.CharField(max_length=255, blank=True)
    preview = models.JSONField(default=dict, blank=True)
    result = models.JSONField(default=dict, blank=True)
    result_path = models.CharField(max_length=255, blank=True)
    result_name = models.CharField(max_length=255, blank=True)
    message = models.TextField(_("pesan"), blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("tugas Excel")
        verbose_name_plural = _("tugas Excel")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"], name="exceljob_user_created")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.get_status_display()}"

    @property
    def is_running(self) -> bool:
        return self.status in RUNNING_STATUSES

    @property
    def is_import(self) -> bool:
        return JobKind(self.kind).is_import
