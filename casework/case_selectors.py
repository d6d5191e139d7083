"""Reads for the case pages: the filtered list, one case with its timeline, and lessons from other villages.

Every function starts from ``casework.scoping`` so what it returns is already in the user's scope.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from casework import rules, text_search
from casework.models import ENDED_STATES, OPEN_STATES, Case, CaseEvent, CaseState
from casework.scoping import cases_for, get_in_scope_or_404, lessons_for

# Sort keys offered on the list page (the value in ?urut=).
SORTS: dict[str, tuple] = {
    "terbaru": ("-created_at", "-id"),
    "terlama": ("created_at", "id"),
    "tenggat": (F("deadline_at").asc(nulls_last=True), "-id"),
    "desa": ("desa__name", "-created_at", "-id"),
    "status": ("state", "-created_at", "-id"),
    "diubah": ("-updated_at", "-id"),
}
DEFAULT_SORT = "terbaru"

# Words too common to say anything about an obstacle; searching on them would match everything.
STOPWORDS = frozenset("""
yang dan di ke dari untuk dengan pada dalam tidak belum sudah karena oleh ini itu atau juga akan bisa dapat para
desa hal tersebut masih lebih sebagai agar bagi ada kami kita mereka saat telah harus perlu sangat serta maupun
sehingga namun tetapi antara setiap semua baru lain lainnya secara kegiatan warga
""".split())
TEXT_FIELDS = ("obstacle", "cause", "solution", "support_needed", "resolution")


def search_words(text: str, *, min_length: int = 4, limit: int = 12) -> list[str]:
    """Meaningful lower-case words of a free text, in order, without duplicates or stopwords."""
    words: list[str] = []
    for word in re.findall(r"[\w-]+", (text or "").lower()):
        word = word.strip("-_")
        if len(word) >= min_length and word not in STOPWORDS and word not in words:
            words.append(word)
    return words[:limit]


@dataclass
class CaseFilters:
    state: str = ""
    kabupaten_id: int | None = None
    desa_id: int | None = None
    kecamatan_id: int | None = None
    opd_id: int | None = None
    meeting_id: int | None = None
    overdue: bool = False
    q: str = ""
    sort: str = DEFAULT_SORT
    extra: dict = field(default_factory=dict)


def case_list(user: Any, filters: CaseFilters, *, now=None) -> QuerySet[Case]:
    """The cases this user may see, narrowed by the list page's filters, sorted."""
    qs = cases_for(user).select_related("desa", "kecamatan", "opd")
    if filters.state == "open":
        qs = qs.filter(state__in=OPEN_STATES)
    elif filters.state == "ended":
        qs = qs.filter(state__in=ENDED_STATES)
    elif filters.state in CaseState.values:
        qs = qs.filter(state=filters.state)
    if filters.kabupaten_id:
        qs = qs.filter(kabupaten_id=filters.kabupaten_id)
    if filters.desa_id:
        qs = qs.filter(desa_id=filters.desa_id)
    if filters.kecamatan_id:
        qs = qs.filter(kecamatan_id=filters.kecamatan_id)
    if filters.opd_id:
        qs = qs.filter(opd_id=filters.opd_id)
    if filters.meeting_id:
        # Raised at that meeting, or carried onto its agenda for review.
        qs = qs.filter(Q(meeting_id=filters.meeting_id) | Q(agenda_items__meeting_id=filters.meeting_id)).distinct()
    if filters.overdue:
        qs = qs.filter(state__in=OPEN_STATES, deadline_at__lte=now or timezone.now())
    qs = apply_text_search(qs, filters.q)
    return qs.order_by(*SORTS.get(filters.sort, SORTS[DEFAULT_SORT]))


def apply_text_search(qs: QuerySet[Case], q: str) -> QuerySet[Case]:
    """Every word must appear in one of the case's texts or its desa's name; "#12" finds case 12."""
    q = (q or "").strip()
    if not q:
        return qs
    number = re.fullmatch(r"#?(\d+)", q)
    if number:
        return qs.filter(pk=int(number.group(1)))
    words = search_words(q, min_length=2, limit=8) or [q.lower()]
    if text_search.available():
        return _full_text(qs, words)
    for word in words:
        condition = Q(desa__name__icontains=word)
        for name in TEXT_FIELDS:
            condition |= Q(**{f"{name}__icontains": word})
        qs = qs.filter(condition)
    return qs


DESA_NAME_MATCHES = 500


def _full_text(qs: QuerySet[Case], words: list[str]) -> QuerySet[Case]:
    """PostgreSQL: each word is a prefix match in the GIN-indexed text document, or part of the desa's name.

    The desa names matching a word are looked up first (one small query per word) so the
    condition stays ``document @@ query OR desa_id IN (...)``, which PostgreSQL answers from the
    GIN index and the desa index (BitmapOr) instead of reading every case in scope.
    """
    from casework.models import Desa

    qs = qs.alias(text_document=text_search.document())
    for word in words:
        search = text_search.query([word], any_word=False)
        condition = Q(text_document=search) if search is not None else Q(pk__in=[])
        desa_ids = list(Desa.objects.filter(name__icontains=word).values_list("pk", flat=True)[:DESA_NAME_MATCHES + 1])
        if len(desa_ids) > DESA_NAME_MATCHES:
            condition |= Q(desa__name__icontains=word)
        elif desa_ids:
            condition |= Q(desa_id__in=desa_ids)
        qs = qs.filter(condition)
    return qs


def case_for_detail(user: Any, case_id: int) -> Case:
    """The case with what its page shows.

    The relations every case has are joined; the optional ones are fetched by id, and only when set.
    Joining all nine made PostgreSQL spend ~10 ms *planning* each request (the number of join orders
    grows with every outer join) for a 0.3 ms execution.
    """
    qs = (cases_for(user).select_related("desa", "kecamatan", "kabupaten", "opd")
          .prefetch_related("assignee", "meeting", "main_goal", "activity"))
    return get_in_scope_or_404(qs, pk=case_id)


def case_timeline(case: Case) -> QuerySet[CaseEvent]:
    """The case's history, oldest first, with its actors and meetings.

    They are fetched by id rather than joined: a join hashes the whole user and meeting tables
    (50,000 meetings at national scale) to decorate a few hundred rows.
    """
    return CaseEvent.objects.filter(case=case).prefetch_related("actor", "meeting").order_by("at", "id")


@dataclass
class Lesson:
    """An obstacle recorded in another village and what was done about it, shown read-only."""

    case_id: int
    desa: str
    kecamatan: str
    obstacle: str
    cause: str
    solution: str
    resolution: str
    resolved_by: str
    state: str
    state_label: str
    may_open: bool
    score: int


def similar_lessons(user: Any, text: str, *, kabupaten_id: int | None = None, exclude_desa_id: int | None = None,
                    exclude_case_id: int | None = None, limit: int = 5) -> list[Lesson]:
    """Obstacles from other villages of the kabupaten that share words with ``text``, solved ones first.

    The point of the meeting is sharing lessons between villages ("Desa Y solved
    this — how?"), so the search looks at the obstacle, its cause and, above all,
    at resolutions. Portable across SQLite and PostgreSQL: a word-OR prefilter in
    the database, then a small ranking in Python over at most 200 candidates.
    """
    words = search_words(text)
    if not words:
        return []
    qs = lessons_for(user)
    if text_search.available():
        # Any of the words, as a prefix, in the GIN-indexed document (obstacle, cause, solution, resolution, ...).
        qs = text_search.matching(qs, words, any_word=True)
    else:
        condition = Q()
        for word in words:
            condition |= Q(obstacle__icontains=word) | Q(cause__icontains=word)
        qs = qs.filter(condition)
    qs = qs.exclude(state=CaseState.WITHDRAWN)
    if kabupaten_id:  # the meeting's kabupaten, also for a programme admin who could see every kabupaten
        qs = qs.filter(kabupaten_id=kabupaten_id)
    qs = qs.exclude(Q(solution="") & Q(resolution=""))  # nothing to learn from yet
    if exclude_desa_id:
        qs = qs.exclude(desa_id=exclude_desa_id)
    if exclude_case_id:
        qs = qs.exclude(pk=exclude_case_id)
    candidates = qs.select_related("desa", "kecamatan").order_by("-updated_at")[:200]
    lessons = []
    for case in candidates:
        haystack = f"{case.obstacle} {case.cause}".lower()
        learned = f"{case.solution} {case.resolution}".lower()  # a word met only in what was done counts less
        score = sum(2 if w in haystack else 1 if w in learned else 0 for w in words)
        if case.state in (CaseState.RESOLVED, CaseState.CLOSED) and case.resolution:
            score += 3  # a solution that worked is what the facilitator wants to ask about
        lessons.append(Lesson(
            case_id=case.pk, desa=case.desa.name, kecamatan=case.kecamatan.name, obstacle=case.obstacle,
            cause=case.cause, solution=case.solution, resolution=case.resolution,
            resolved_by=case.resolved_by_text, state=case.state, state_label=case.get_state_display(),
            may_open=rules.in_scope(user, case), score=score,
        ))
    lessons.sort(key=lambda lesson: -lesson.score)
    return lessons[:limit]
