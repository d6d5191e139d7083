"""Who may do what to a case: pure rules over ids, no database access.

Role decides the kind of action, scope decides the case. ``casework.scoping``
decides what a user may *see*; these rules decide what they may *do* with what
they see. Both are tested without a database in tests/casework/test_rules.py.
"""
from __future__ import annotations

from typing import Any

KECAMATAN_ACTIONS = frozenset({
    "escalate", "resolve_locally", "withdraw", "confirm", "reopen", "re_escalate", "edit", "review",
})
POKJA_ACTIONS = frozenset({"send_back", "assign"})
OPD_ACTIONS = frozenset({"return_case", "resolve", "acknowledge"})
SHARED_ACTIONS = frozenset({"progress", "comment"})
ALL_ACTIONS = KECAMATAN_ACTIONS | POKJA_ACTIONS | OPD_ACTIONS | SHARED_ACTIONS


def _is_admin(user: Any) -> bool:
    return bool(getattr(user, "is_superuser", False) or getattr(user, "role", None) == "admin")


def in_scope(user: Any, case: Any) -> bool:
    """May this user see this case at all?"""
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", True):
        return False
    if _is_admin(user):
        return True
    role = getattr(user, "role", None)
    if role == "kecamatan":
        return user.kecamatan_id is not None and user.kecamatan_id == case.kecamatan_id
    if role == "pokja":
        return user.kabupaten_id is not None and user.kabupaten_id == case.kabupaten_id
    if role == "opd":
        return user.opd_id is not None and user.opd_id == case.opd_id
    return False


def can_act(user: Any, case: Any, action: str) -> bool:
    """May this user take ``action`` on ``case``? (The state machine decides whether the state allows it.)"""
    if action not in ALL_ACTIONS or not in_scope(user, case):
        return False
    if _is_admin(user):
        return True
    role = user.role
    if action in KECAMATAN_ACTIONS:
        return role == "kecamatan"
    if action in POKJA_ACTIONS:
        return role == "pokja"
    if action in OPD_ACTIONS:
        return role == "opd"
    return True  # progress and comment: anyone who can see the case
