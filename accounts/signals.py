"""Receivers that feed the role audit trail (``accounts.audit``) from every ``User.save()``."""
from __future__ import annotations

from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from accounts import audit
from accounts.models import User

_UNSET = object()


@receiver(pre_save, sender=User, dispatch_uid="accounts.audit.before")
def remember_access_before_save(sender, instance: User, update_fields=None, **kwargs) -> None:
    # A save limited to other fields (last_login on every login) cannot change access: skip the query.
    if update_fields is not None and not audit.AUDITED_FIELDS.intersection(update_fields):
        instance._audit_before = _UNSET
        return
    instance._audit_before = audit.snapshot_from_db(instance)


@receiver(post_save, sender=User, dispatch_uid="accounts.audit.after")
def record_access_change(sender, instance: User, **kwargs) -> None:
    before = instance.__dict__.pop("_audit_before", _UNSET)
    actor = instance.__dict__.pop("_audit_actor", None)
    if before is _UNSET:
        return
    audit.record_if_changed(user=instance, old=before, new=audit.snapshot(instance), changed_by=actor)
