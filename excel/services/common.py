"""Shared pieces of the import services."""
from __future__ import annotations

from excel.readers.grid import Problem


class ImportRefused(Exception):
    """The import cannot go ahead; ``message`` (Bahasa Indonesia) and the ``problems`` say why. Nothing was saved."""

    def __init__(self, message: str, *, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.message = str(message)
        self.problems = list(problems or [])

    def lines(self) -> list[str]:
        return [self.message] + [str(p) for p in self.problems]


def rejected_preview(kind: str, message: str) -> dict:
    """The preview of a file that could not even be opened: one problem, nothing to import."""
    return {"kind": kind, "ok": False, "rejected": True, "problems": [Problem(message).as_dict()],
            "warnings": [], "summary": {}}
