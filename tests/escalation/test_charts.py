"""The SVG chart helper: accessible, escaped, linked, scaled."""
from __future__ import annotations

import re

from escalation.charts import Bar, bar_chart


def test_it_draws_labelled_linked_bars_scaled_to_the_largest():
    svg = bar_chart([Bar("Dieskalasi", 4, "/kasus/?state=escalated"), Bar("Ditugaskan", 2, "/kasus/?state=assigned")],
                    title="Kasus terbuka", bar_width=300)
    assert svg.startswith("<svg") and 'role="group"' in svg and "aria-labelledby" in svg
    assert '<title id="' in svg and ">Kasus terbuka</title>" in svg
    assert '<a href="/kasus/?state=escalated"' in svg
    assert "<title>Dieskalasi: 4</title>" in svg and ">Dieskalasi</text>" in svg
    widths = [float(w) for w in re.findall(r'<rect class="chart-bar [^"]*" x="\d+" y="\d+" width="([\d.]+)"', svg)]
    assert widths == [300.0, 150.0]


def test_it_escapes_labels_and_handles_no_data():
    svg = bar_chart([Bar("<script>x</script>", 1)], title="T")
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert 'class="empty"' in bar_chart([], title="T", empty_text="Tidak ada data")
