"""Uploaded files live outside the web root and are never served back (settings level)."""
from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver
from django.views.static import serve


def _all_callbacks(resolver: URLResolver):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _all_callbacks(entry)
        elif isinstance(entry, URLPattern):
            yield entry.callback


def test_it_routes_nothing_to_a_file_serving_view():
    assert all(getattr(cb, "__wrapped__", cb) is not serve for cb in _all_callbacks(get_resolver()))


def test_it_keeps_media_root_outside_everything_the_web_server_serves():
    media = Path(settings.MEDIA_ROOT).resolve()
    served = [Path(settings.STATIC_ROOT), *map(Path, settings.STATICFILES_DIRS), Path(settings.BASE_DIR) / "templates"]
    for folder in served:
        folder = folder.resolve()
        assert not media.is_relative_to(folder) and not folder.is_relative_to(media), (media, folder)


def test_it_answers_404_for_an_uploaded_file_that_exists(client, db, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "laporan.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    (tmp_path / "page.html").write_text("<script>alert(1)</script>")
    for name in ("laporan.xlsx", "page.html"):
        assert client.get(f"{settings.MEDIA_URL}{name}").status_code == 404
        assert client.get(f"/static/{name}").status_code == 404
    assert client.get("/media-not-served/anything").status_code == 404
