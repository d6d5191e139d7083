"""Pagination whose cost does not grow with the number of matching rows.

Django's ``Paginator`` counts every matching row (``COUNT(*)``) and loads a page
with all its joins evaluated before the ``LIMIT``. At a million cases both grow
with the database. ``BoundedPaginator``:

- counts at most ``count_limit`` rows (``SELECT COUNT(*) FROM (… LIMIT n+1)``); beyond that the page says
  "more than 1.000" and ``is_bounded`` is true;
- reads a page in two steps: the ids of the page in the list's order (the
  database can walk an index in that order and stop after one page), then those
  rows with their ``select_related`` joins — so the joins touch 50 rows, not
  every match.
"""
from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.utils.functional import cached_property

COUNT_LIMIT = 1_000


class BoundedPaginator(Paginator):
    def __init__(self, object_list, per_page, *, count_limit: int = COUNT_LIMIT, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.count_limit = count_limit

    @cached_property
    def count(self) -> int:
        n = self.object_list.order_by().values("pk")[: self.count_limit + 1].count()
        self._bounded = n > self.count_limit
        return min(n, self.count_limit)

    @property
    def is_bounded(self) -> bool:
        """True when there are more rows than were counted ("more than 1.000")."""
        return self.count >= self.count_limit and self._bounded

    def page(self, number) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        ids = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        rows = {obj.pk: obj for obj in self.object_list.order_by().filter(pk__in=ids)}
        return self._get_page([rows[pk] for pk in ids if pk in rows], number, self)
