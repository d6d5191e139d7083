"""Writes. Views, commands and tasks call these; none of them saves a case or meeting directly."""
from .errors import CaseConflict, CaseError, ValidationFailed  # noqa: F401
