from __future__ import annotations

from typing import Any


class CaseError(Exception):
    """A refusal the user should read: the message is already in Bahasa Indonesia (gettext)."""

    def __init__(self, message: Any, *, field_errors: dict[str, Any] | None = None) -> None:
        super().__init__(str(message))
        self.message = str(message)
        self.field_errors = {k: str(v) for k, v in (field_errors or {}).items()}


class ValidationFailed(CaseError):
    """Required notes or fields are missing or wrong; nothing was changed."""


class CaseConflict(CaseError):
    """Someone else changed the record since the form was opened; nothing was changed."""

    def __init__(self, message: Any, *, current: Any) -> None:
        super().__init__(message)
        self.current = current
