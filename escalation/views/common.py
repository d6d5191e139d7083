"""Helpers shared by the escalation views: role gates and the re-render-on-failure record."""
from __future__ import annotations

from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied


def pokja_required(view):
    """The Pokja chair/secretariat or the programme admin; everyone else is refused (403)."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not (request.user.is_programme_admin or request.user.role == "pokja"):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def opd_required(view):
    """An OPD officer bound to an OPD; everyone else is refused (403)."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.role != "opd" or not request.user.opd_id:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


@dataclass
class Failed:
    """A form that was refused, to be shown again with what the user typed."""

    case_id: int
    action: str
    form: Any
    message: str
    conflict: bool = False
    current: Any = None  # the case as it is now (after a conflict)


def apply_field_errors(form, field_errors: dict[str, str]) -> None:
    for name, message in field_errors.items():
        form.add_error(name if name in form.fields else None, message)


def with_current_version(data, prefix: str | None, version: int):
    """The POSTed data, unchanged except for the version: after a conflict the form carries the version now shown."""
    data = data.copy()
    data[f"{prefix}-expected_version" if prefix else "expected_version"] = str(version)
    return data
