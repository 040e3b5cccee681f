"""Server-rendered SVG charts as data: pure functions that turn numbers into a chart description.

Every coordinate is computed here, so the templates in `templates/components/charts/` only print values:

    {% include "components/charts/line_chart.html" with chart=chart %}

Line and bar charts here; the heatmap of levels in casestudies.dashboard.heatmap.

Each description is a plain dict with `id`, `title`, `description`, `width`, `height` (the SVG viewBox) and a
`table` (`caption`, `headers`, `rows`) that the templates render as the chart's text alternative. Values shown to
readers are formatted with the active language (`number_format`: "3,12" in Bahasa Indonesia, "3.12" in English),
so build the chart inside the request (or `translation.override`) whose language it is shown in. Coordinates are
plain floats; the templates print them with `{% localize off %}` so SVG never receives a decimal comma.
"""

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.text import slugify
from django.utils.translation import gettext as _  # charts are built per request, in its language

LINE_STYLES = ("official", "demo", "national", "province")
BAR_STYLES = ("region", "national", "province")

# Marker shape per line style, so series differ by shape and dash as well as colour.
LINE_MARKERS = {"official": "circle", "demo": "circle", "national": "square", "province": "diamond"}
MARKER_RADIUS = {"official": 4.0, "demo": 4.0, "national": 3.0, "province": 4.5}
# Bars other than the region's are filled with a pattern (hatching, dots) defined in the chart's <defs>.
BAR_PATTERNS = {"region": False, "national": True, "province": True}


@dataclass(frozen=True)
class Series:
    """One line: `points` are (year, value) pairs; a value of None (or a missing year) breaks the line."""

    label: str
    points: list[tuple[int, float | None]]
    style: str = "official"


@dataclass(frozen=True)
class BarGroup:
    """One bar per category, in the order of the chart's categories; None draws no bar."""

    label: str
    values: list[float | None]
    style: str = "region"


def chart_id(kind: str, title, description="") -> str:
    """A deterministic, page-unique-enough id: the title's slug plus a short hash of kind, title and description."""
    slug = slugify(str(title))[:48].strip("-") or kind
    digest = hashlib.sha256(f"{kind}\n{title}\n{description}".encode()).hexdigest()[:6]
    return f"chart-{slug}-{digest}"


def format_value(value) -> str:
    """A value as readers see it in the active language: 3,12 (id) or 3.12 (en)."""
    return number_format(value, 2)


def coord(value: float) -> float:
    """Coordinates to one decimal: plenty for SVG, small HTML."""
    return round(float(value), 1)


def _scale(d0: float, d1: float, r0: float, r1: float):
    """Linear map of [d0, d1] onto [r0, r1], clamping values outside the domain to its edges."""
    span = (d1 - d0) or 1.0

    def scale(value: float) -> float:
        value = min(max(float(value), d0), d1)
        return coord(r0 + (value - d0) / span * (r1 - r0))

    return scale


def _y_ticks(y_min: float, y_max: float, scale) -> list[dict]:
    ticks = range(math.ceil(y_min), math.floor(y_max) + 1)
    return [{"value": t, "label": str(t), "y": scale(t)} for t in ticks]


def _marker_path(shape: str, x: float, y: float, r: float) -> str:
    """An SVG path for a marker centred on (x, y): circles as two arcs, squares and diamonds as polygons."""
    if shape == "square":
        return f"M{coord(x - r)} {coord(y - r)}h{coord(2 * r)}v{coord(2 * r)}h{coord(-2 * r)}Z"
    if shape == "diamond":
        return (
            f"M{coord(x)} {coord(y - r)}L{coord(x + r)} {coord(y)}L{coord(x)} {coord(y + r)}L{coord(x - r)} {coord(y)}Z"
        )
    return f"M{coord(x - r)} {coord(y)}a{r} {r} 0 1 0 {coord(2 * r)} 0a{r} {r} 0 1 0 {coord(-2 * r)} 0Z"


def _check_style(style: str, allowed: Sequence[str]) -> None:
    if style not in allowed:
        raise ValueError(f"unknown chart style {style!r}; expected one of {', '.join(allowed)}")


def _check_range(y_min: float, y_max: float) -> None:
    if not y_max > y_min:
        raise ValueError("y_max must be greater than y_min")


def chart_base(kind: str, title, description, width: int, height: int) -> dict:
    cid = chart_id(kind, title, description)
    return {
        "kind": kind,
        "id": cid,
        "title_id": f"{cid}-title",
        "desc_id": f"{cid}-desc",
        "title": title,
        "description": description,
        "width": width,
        "height": height,
    }


def line_chart(
    series: Sequence[Series],
    *,
    title,
    description,
    y_min: float = 1.0,
    y_max: float = 5.0,
    width: int = 640,
    height: int = 260,
) -> dict:
    """Lines over years (the union of all series' years), y ticks at each whole number between y_min and y_max."""
    _check_range(y_min, y_max)
    for s in series:
        _check_style(s.style, LINE_STYLES)
    chart = chart_base("line", title, description, width, height)
    left, right, top, bottom = 44.0, width - 16.0, 14.0, height - 36.0
    pad = 24.0  # keeps the first and last points off the axes
    chart["plot"] = {"left": left, "right": right, "top": top, "bottom": bottom}

    years = sorted({year for s in series for year, _value in s.points})
    if len(years) > 1:
        x_of = _scale(years[0], years[-1], left + pad, right - pad)
    else:  # one year: its points sit in the middle
        x_of = _scale(0, 1, (left + right) / 2, (left + right) / 2)
    y_of = _scale(y_min, y_max, bottom, top)

    step = math.ceil(len(years) / 12) if years else 1  # at most a dozen year labels
    chart["x_ticks"] = [
        {"year": year, "label": str(year), "x": x_of(year), "show_label": i % step == 0} for i, year in enumerate(years)
    ]
    chart["y_ticks"] = _y_ticks(y_min, y_max, y_of)
    chart["label_y"] = coord(bottom + 8)  # year labels hang below the plot
    chart["tick_label_x"] = coord(left - 8)  # value labels end left of the plot

    chart["series"] = []
    for index, s in enumerate(series):
        values = dict(s.points)
        shape, radius = LINE_MARKERS[s.style], MARKER_RADIUS[s.style]
        points, segments, run = [], [], []
        for year in years:
            value = values.get(year)
            if value is None:
                if run:
                    segments.append(run)
                run = []
                continue
            x, y = x_of(year), y_of(value)
            label = format_value(value)
            point = {
                "year": year,
                "value": value,
                "label": label,
                "x": x,
                "y": y,
                "marker": _marker_path(shape, x, y, radius),
                "title": _("%(series)s, %(year)s: %(value)s") % {"series": s.label, "year": year, "value": label},
            }
            points.append(point)
            run.append(point)
        if run:
            segments.append(run)
        path = " ".join(
            "M" + " L".join(f"{p['x']} {p['y']}" for p in segment) for segment in segments if len(segment) > 1
        )
        chart["series"].append(
            {
                "index": index,
                "label": s.label,
                "style": s.style,
                "marker_shape": shape,
                "points": points,
                "segments": [[(p["x"], p["y"]) for p in segment] for segment in segments],
                "path": path,
                "key_marker": _marker_path(shape, 16, 6, min(radius, 4.0)),
            }
        )

    chart["table"] = {
        "caption": title,
        "headers": [_("Tahun"), *(s.label for s in series)],
        "rows": [
            {
                "header": str(year),
                "url": None,
                "cells": [_value_label(dict(s.points).get(year)) for s in series],
            }
            for year in years
        ],
    }
    return chart


def _value_label(value) -> str | None:
    return None if value is None else format_value(value)


def _category(category) -> tuple[str, str]:
    if isinstance(category, tuple | list):
        short, full = (list(category) + [""])[:2]
        return str(short), str(full or "")
    return str(category), ""


def bar_chart(
    categories: Sequence[tuple[str, str] | str],
    groups: Sequence[BarGroup],
    *,
    title,
    description,
    y_min: float = 0.0,
    y_max: float = 5.0,
    width: int = 640,
    height: int = 280,
    category_header=None,
) -> dict:
    """Grouped vertical bars: for each category (short label, full label) one bar per group."""
    _check_range(y_min, y_max)
    cats = [_category(c) for c in categories]
    for g in groups:
        _check_style(g.style, BAR_STYLES)
        if len(g.values) != len(cats):
            raise ValueError(f"group {g.label!r} has {len(g.values)} values for {len(cats)} categories")
    chart = chart_base("bar", title, description, width, height)
    left, right, top, bottom = 44.0, width - 12.0, 14.0, height - 36.0
    chart["plot"] = {"left": left, "right": right, "top": top, "bottom": bottom}
    y_of = _scale(y_min, y_max, bottom, top)
    chart["y_ticks"] = _y_ticks(y_min, y_max, y_of)
    chart["label_y"] = coord(bottom + 8)
    chart["tick_label_x"] = coord(left - 8)

    band = (right - left) / max(len(cats), 1)
    group_width = band * 0.76
    bar_pitch = group_width / max(len(groups), 1)
    bar_width = max(bar_pitch - 2.0, 1.0)  # a 2-unit gap between neighbouring bars

    chart["categories"] = [
        {"short": short, "full": full, "x": coord(left + (i + 0.5) * band)} for i, (short, full) in enumerate(cats)
    ]
    chart["groups"] = []
    for gi, g in enumerate(groups):
        bars = []
        for ci, value in enumerate(g.values):
            if value is None:
                continue
            short, full = cats[ci]
            y = y_of(value)
            label = format_value(value)
            name = f"{short} {full}".strip()
            bars.append(
                {
                    "category": short,
                    "value": value,
                    "label": label,
                    "x": coord(left + ci * band + (band - group_width) / 2 + gi * bar_pitch + 1),
                    "y": y,
                    "width": coord(bar_width),
                    "height": coord(bottom - y),
                    "title": _("%(series)s, %(category)s: %(value)s")
                    % {"series": g.label, "category": name, "value": label},
                }
            )
        chart["groups"].append(
            {
                "index": gi,
                "label": g.label,
                "style": g.style,
                "pattern_id": f"{chart['id']}-pat-{g.style}" if BAR_PATTERNS[g.style] else "",
                "bars": bars,
            }
        )
    chart["patterns"] = sorted({g.style for g in groups if BAR_PATTERNS[g.style]})

    chart["table"] = {
        "caption": title,
        "headers": [category_header or _("Kategori"), *(g.label for g in groups)],
        "rows": [
            {
                "header": f"{short} — {full}" if full else short,
                "url": None,
                "cells": [_value_label(g.values[ci]) for g in groups],
            }
            for ci, (short, full) in enumerate(cats)
        ],
    }
    return chart
