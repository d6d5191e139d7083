from .cases import (  # noqa: F401
    ENDED_STATES,
    OPEN_STATES,
    Case,
    CaseEvent,
    CaseState,
    DeadlineKind,
    EventKind,
    SupportFrom,
)
from .meetings import AgendaItem, Meeting, MeetingDesa, MeetingStatus, Participant, ParticipantKind, ReviewOutcome  # noqa: F401
from .plans import Activity, FundingSource, IntermediateGoal, MainGoal, Plan  # noqa: F401
from .regions import TIMEZONE_CHOICES, Desa, Kabupaten, Kecamatan, Province  # noqa: F401
