"""Every URL of the app, from the URL conf, with sample arguments taken from the database.

Shared by the "no GET changes data" and "no POST without a CSRF token" tests so that a page
added tomorrow is covered without anyone remembering to list it. Also a crawler that follows
the links a signed-in user is shown, which reaches real argument combinations (a meeting's
desa sheet, a share link) that blind sampling may miss.
"""
from __future__ import annotations

import hashlib
import itertools
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

from django.apps import apps
from django.db import models
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter, PathConverter, SlugConverter, StringConverter, UUIDConverter

# The apps whose tables hold the programme's data; a GET must leave every row of them as it was.
DATA_APPS = ("accounts", "casework", "escalation", "notifications", "excel", "ops", "admin", "auth")


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name"
    pattern: str  # for messages
    params: tuple[tuple[str, object], ...]  # (kwarg, converter or None for regex groups)
    callback: object


def iter_routes(resolver: URLResolver | None = None, prefix: str = "", namespace: str = "",
                converters: tuple = ()) -> Iterator[Route]:
    """Every named URL pattern, including those inside include()d and namespaced confs."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        own = tuple(_pattern_params(entry.pattern))
        if isinstance(entry, URLResolver):
            ns = ":".join(part for part in (namespace, entry.namespace) if part)
            yield from iter_routes(entry, prefix + str(entry.pattern), ns, converters + own)
        elif isinstance(entry, URLPattern) and entry.name:
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            yield Route(name, prefix + str(entry.pattern), converters + own, entry.callback)


def _pattern_params(pattern) -> Iterator[tuple[str, object]]:
    found = getattr(pattern, "converters", None)
    if found:
        yield from found.items()
        return
    regex = getattr(pattern, "regex", None)
    if regex is not None:
        for group in regex.groupindex:
            yield group, None


def data_models() -> list[type[models.Model]]:
    return [m for m in apps.get_models() if m._meta.app_label in DATA_APPS and not m._meta.proxy]


def db_fingerprint() -> dict[str, str]:
    """A digest of every row of every data table: equal before and after means nothing changed."""
    digest = {}
    for model in data_models():
        rows = model._base_manager.order_by("pk").values_list()
        digest[model._meta.label] = hashlib.sha256(repr(list(rows)).encode()).hexdigest()
    return digest


@dataclass
class Samples:
    ints: list[int]
    strings: list[str]
    uuids: list[str]

    @classmethod
    def from_database(cls) -> Samples:
        """Small, deterministic argument values: low ids, each table's newest id, tokens, choice keys."""
        ints: set[int] = {1, 2, 3}
        strings: set[str] = {"x"}
        uuids: set[str] = {str(uuid.UUID(int=0))}
        for model in data_models():
            last = model._base_manager.order_by("-pk").values_list("pk", flat=True).first()
            if isinstance(last, int):
                ints.add(last)
            for field in model._meta.concrete_fields:
                if field.choices and isinstance(field, models.CharField):
                    strings.update(str(key) for key, _label in field.flatchoices if key)
                if isinstance(field, models.UUIDField) or re.search(r"token|key", field.name):
                    for value in model._base_manager.exclude(**{field.attname: None}).values_list(
                            field.attname, flat=True)[:3]:
                        if isinstance(value, uuid.UUID):
                            uuids.add(str(value))
                        if value not in ("", None):
                            strings.add(str(value))
        from casework.rules import ALL_ACTIONS  # noqa: PLC0415 - the action slugs of case_action URLs

        strings.update(ALL_ACTIONS)
        return cls(sorted(ints), sorted(strings), sorted(uuids))

    def for_param(self, converter) -> list[str]:
        if isinstance(converter, IntConverter):
            return [str(i) for i in self.ints]
        if isinstance(converter, UUIDConverter):
            return self.uuids
        if isinstance(converter, SlugConverter):
            return [s for s in self.strings if re.fullmatch(r"[-a-zA-Z0-9_]+", s)]
        if isinstance(converter, (StringConverter, PathConverter)) or converter is None:
            return [str(i) for i in self.ints[:4]] + self.strings
        return [str(i) for i in self.ints]


def sample_urls(route: Route, samples: Samples, limit: int = 8) -> list[str]:
    """Up to ``limit`` reversible URLs for the route, spread over the argument combinations."""
    if not route.params:
        try:
            return [reverse(route.name)]
        except NoReverseMatch:
            return []
    names = [name for name, _conv in route.params]
    choices = [samples.for_param(conv) for _name, conv in route.params]
    combos = list(itertools.product(*choices))
    step = max(1, len(combos) // (limit * 4))
    urls: list[str] = []
    for combo in combos[::step]:
        try:
            urls.append(reverse(route.name, kwargs=dict(zip(names, combo))))
        except NoReverseMatch:
            continue
        if len(urls) >= limit:
            break
    return urls


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def crawl(client, start: str = "/", budget: int = 150, skip_prefixes: tuple[str, ...] = ("/admin/",)) -> list[tuple[str, int]]:
    """Follow every same-site link the signed-in client is shown (GET only), breadth first."""
    seen: set[str] = set()
    queue = [start]
    visited: list[tuple[str, int]] = []
    while queue and len(visited) < budget:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        visited.append((url, response.status_code))
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        parser = _Links()
        parser.feed(response.content.decode(errors="replace"))
        for href in parser.hrefs:
            href = urldefrag(href)[0]
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not href.startswith("/") or href.startswith(skip_prefixes):
                continue
            if href not in seen:
                queue.append(href)
    return visited
