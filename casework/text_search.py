"""Full-text search over the case texts: one expression, shared by the GIN index and every query.

PostgreSQL only uses an expression index when the query contains *the same*
expression, so the index (migration 0003) and the selectors both build it here:
``to_tsvector('simple', obstacle || ' ' || cause || ' ' || solution || ' ' ||
support_needed || ' ' || resolution)``. The 'simple' configuration lower-cases
and splits words without stemming: PostgreSQL has no Indonesian stemmer, and a
prefix query (``penyuluh:*``) already finds "penyuluhan". Other databases
(SQLite in development and tests) fall back to ``icontains``.
"""
from __future__ import annotations

import re

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import QuerySet

CONFIG = "simple"
FIELDS = ("obstacle", "cause", "solution", "support_needed", "resolution")
INDEX_NAME = "case_text_search"


def available() -> bool:
    return connection.vendor == "postgresql"


def document() -> SearchVector:
    """The indexed expression. Change it only together with a migration rebuilding ``case_text_search``."""
    return SearchVector(*FIELDS, config=CONFIG)


def _terms(words: list[str]) -> list[str]:
    terms: list[str] = []
    for word in words:
        # Only word characters reach the raw tsquery, so user text cannot inject query syntax.
        for part in re.findall(r"[^\W_]+", word.lower()):
            if part not in terms:
                terms.append(part)
    return terms


def query(words: list[str], *, any_word: bool) -> SearchQuery | None:
    """Prefix query: every word (``&``) or any word (``|``); None when no searchable word is left."""
    terms = _terms(words)
    if not terms:
        return None
    joined = (" | " if any_word else " & ").join(f"{term}:*" for term in terms)
    return SearchQuery(joined, config=CONFIG, search_type="raw")


def matching(qs: QuerySet, words: list[str], *, any_word: bool) -> QuerySet:
    """``qs`` narrowed to cases whose texts match the words (PostgreSQL; the caller checks ``available()``)."""
    search = query(words, any_word=any_word)
    if search is None:
        return qs.none()
    return qs.alias(text_document=document()).filter(text_document=search)
