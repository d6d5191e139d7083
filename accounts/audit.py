"""The audit trail of roles and scopes: who changed whose access, when, from what to what.

A user's role and scope decide everything they may see (``casework.scoping``), so every change
to them is kept in ``accounts.RoleChange``, an append-only table. Changes are caught where they
happen in the ORM — ``accounts.signals`` around every ``User.save()`` and ``UserQuerySet.update``
for bulk updates — so the admin, the shell and management commands are all covered. Whoever
changes a user on behalf of a signed-in person says so with ``set_actor`` (the admin does).
"""
from __future__ import annotations

from typing import Any

# The fields that decide what a user may see or do. ``*_id`` are the attribute names that a
# queryset ``update()`` may use instead of the field names.
SCOPE_FIELDS = ("kecamatan", "opd", "kabupaten")
FLAG_FIELDS = ("is_superuser", "is_staff")
AUDITED_FIELDS = frozenset(("role", *SCOPE_FIELDS, *FLAG_FIELDS, *(f"{name}_id" for name in SCOPE_FIELDS)))

Snapshot = dict[str, Any]


def set_actor(user, actor) -> None:
    """Mark the signed-in person responsible for the next ``save()`` of ``user``."""
    user._audit_actor = actor if actor is not None and actor.is_authenticated else None


def snapshot(user) -> Snapshot:
    """Role, scope and privilege flags of ``user`` as plain data (ids and names)."""
    scope: dict[str, Any] = {}
    for name in SCOPE_FIELDS:
        pk = getattr(user, f"{name}_id")
        scope[name] = {"id": pk, "name": _label(user, name)} if pk else None
    for name in FLAG_FIELDS:
        scope[name] = bool(getattr(user, name))
    return {"role": user.role or "", "scope": scope}


def snapshot_from_db(user) -> Snapshot | None:
    """The stored row's snapshot, or None when the user is not in the database yet."""
    if user.pk is None:
        return None
    stored = type(user)._base_manager.filter(pk=user.pk).first()
    return snapshot(stored) if stored is not None else None


def _comparable(snap: Snapshot | None) -> tuple | None:
    if snap is None:
        return None
    scope = snap["scope"]
    ids = tuple((scope.get(name) or {}).get("id") for name in SCOPE_FIELDS)
    return (snap["role"], ids, tuple(scope.get(name) for name in FLAG_FIELDS))


def record_if_changed(*, user, old: Snapshot | None, new: Snapshot, changed_by=None):
    """Append a RoleChange when role, scope or privilege flags differ (a new user always counts)."""
    from accounts.models import RoleChange

    if old is not None and _comparable(old) == _comparable(new):
        return None
    return RoleChange.objects.create(
        user=user,
        changed_by=changed_by,
        old_role=(old or {}).get("role", ""),
        new_role=new["role"],
        old_scope=(old or {}).get("scope", {}),
        new_scope=new["scope"],
    )


def _label(user, name: str) -> str:
    try:
        return str(getattr(user, name))
    except Exception:  # noqa: BLE001 — raw fixture loads may save before the related row exists
        return ""
