"""Labels for state and action codes in templates (timeline rows store the codes)."""
from django import template

from casework.models import CaseState, ReviewOutcome
from casework.services.cases import ACTION_LABELS

register = template.Library()


@register.filter
def state_label(code: str) -> str:
    try:
        return CaseState(code).label
    except ValueError:
        return code or ""


@register.filter
def action_label(code: str) -> str:
    return str(ACTION_LABELS.get(code, code or ""))


@register.filter
def outcome_label(code: str) -> str:
    try:
        return ReviewOutcome(code).label
    except ValueError:
        return code or ""


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters replaced (for sort links that keep the filters)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        params[key] = value
    params.pop("page", None)
    return params.urlencode()
