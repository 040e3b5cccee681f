"""Server-rendered SVG charts as data: pure functions that turn numbers into a chart description.

Every coordinate is computed here, so the templates in `templates/components/charts/` only print values:

    {% include "components/charts/line_chart.html" with chart=chart %}

Each description is a plain dict with `id`, `title`, `description`, `width`, `height` (the SVG viewBox) and a
`table` (`caption`, `headers`, `rows`) that the templates render as the chart's text alternative. Values shown to
readers are formatted with the active language (`number_format`: "3,12" in Bahasa Indonesia, "3.12" in English),
so build the chart inside the request (or `translation.override`) whose language it is shown in. Coordinates are
plain floats; the templates print them with `{% localize off %}` so SVG never receives a decimal comma.
"""

import hashlib
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _  # charts are built per request, in its language

LINE_STYLES = ("official", "demo", "national", "province")
BAR_STYLES = ("region", "national", "province")
LEVELS = (1, 2, 3, 4, 5)

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


def _r(value: float) -> float:
    """Coordinates to one decimal: plenty for SVG, small HTML."""
    return round(float(value), 1)


def _scale(d0: float, d1: float, r0: float, r1: float):
    """Linear map of [d0, d1] onto [r0, r1], clamping values outside the domain to its edges."""
    span = (d1 - d0) or 1.0

    def scale(value: float) -> float:
        value = min(max(float(value), d0), d1)
        return _r(r0 + (value - d0) / span * (r1 - r0))

    return scale


def _y_ticks(y_min: float, y_max: float, scale) -> list[dict]:
    ticks = range(math.ceil(y_min), math.floor(y_max) + 1)
    return [{"value": t, "label": str(t), "y": scale(t)} for t in ticks]


def _marker_path(shape: str, x: float, y: float, r: float) -> str:
    """An SVG path for a marker centred on (x, y): circles as two arcs, squares and diamonds as polygons."""
    if shape == "square":
        return f"M{_r(x - r)} {_r(y - r)}h{_r(2 * r)}v{_r(2 * r)}h{_r(-2 * r)}Z"
    if shape == "diamond":
        return f"M{_r(x)} {_r(y - r)}L{_r(x + r)} {_r(y)}L{_r(x)} {_r(y + r)}L{_r(x - r)} {_r(y)}Z"
    return f"M{_r(x - r)} {_r(y)}a{r} {r} 0 1 0 {_r(2 * r)} 0a{r} {r} 0 1 0 {_r(-2 * r)} 0Z"


def _check_style(style: str, allowed: Sequence[str]) -> None:
    if style not in allowed:
        raise ValueError(f"unknown chart style {style!r}; expected one of {', '.join(allowed)}")


def _check_range(y_min: float, y_max: float) -> None:
    if not y_max > y_min:
        raise ValueError("y_max must be greater than y_min")


def _base(kind: str, title, description, width: int, height: int) -> dict:
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
    chart = _base("line", title, description, width, height)
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
    chart["label_y"] = _r(bottom + 8)  # year labels hang below the plot
    chart["tick_label_x"] = _r(left - 8)  # value labels end left of the plot

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
    chart = _base("bar", title, description, width, height)
    left, right, top, bottom = 44.0, width - 12.0, 14.0, height - 36.0
    chart["plot"] = {"left": left, "right": right, "top": top, "bottom": bottom}
    y_of = _scale(y_min, y_max, bottom, top)
    chart["y_ticks"] = _y_ticks(y_min, y_max, y_of)
    chart["label_y"] = _r(bottom + 8)
    chart["tick_label_x"] = _r(left - 8)

    band = (right - left) / max(len(cats), 1)
    group_width = band * 0.76
    bar_pitch = group_width / max(len(groups), 1)
    bar_width = max(bar_pitch - 2.0, 1.0)  # a 2-unit gap between neighbouring bars

    chart["categories"] = [
        {"short": short, "full": full, "x": _r(left + (i + 0.5) * band)} for i, (short, full) in enumerate(cats)
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
                    "x": _r(left + ci * band + (band - group_width) / 2 + gi * bar_pitch + 1),
                    "y": y,
                    "width": _r(bar_width),
                    "height": _r(bottom - y),
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


def _row(row) -> tuple[str, str | None]:
    if isinstance(row, tuple | list):
        label, url = (list(row) + [None])[:2]
        return str(label), url or None
    return str(row), None


def _level(value) -> int | None:
    if value is None:
        return None
    level = int(value)
    if level != value or level not in LEVELS:
        raise ValueError(f"heatmap levels are whole numbers 1–5, not {value!r}")
    return level


def _truncate(text: str, max_chars: int) -> str:
    return text if len(text) <= max_chars else text[: max(max_chars - 1, 1)].rstrip() + "…"


def _table_cells_html(values: list[str | None]) -> str:
    """A heatmap table row's cells as ready markup (the table alternative has ~300 of them)."""
    missing = '<td class="num"><span aria-hidden="true">—</span><span class="visually-hidden">{}</span></td>'.format(
        escape(_("tidak ada data"))
    )
    return mark_safe("".join(f'<td class="num">{escape(v)}</td>' if v is not None else missing for v in values))  # noqa: S308


def _cells_svg(row_cells: list[dict], cell: float, y: float) -> str:
    """One row of heatmap cells as ready, compact SVG markup: ~300 cells through the template engine cost ~40 ms
    a page, and a tooltip per cell doubled the dashboard's weight. The row is one group moved to its place, so a
    cell needs only its x; alignment and size come from the stylesheet. The level in each cell, the visible row
    and column labels and the table alternative say what a tooltip would.

    Only numbers and our own class names go in: nothing from outside.
    """
    parts = [
        f'<rect class="cell {c["css_class"]}" x="{c["x"]}" width="{cell}" height="{cell}"/>'
        f'<text class="cell-text {c["css_class"]}" x="{c["cx"]}" y="{_r(cell / 2)}">{c["text"]}</text>'
        for c in row_cells
    ]
    return mark_safe(f'<g transform="translate(0 {y})">{"".join(parts)}</g>')  # noqa: S308 — our own numbers


def heatmap(
    rows: Sequence[tuple[str, str | None] | str],
    columns: Iterable,
    cells: dict[tuple[int, int], int | None],
    *,
    title,
    description,
    cell: int = 22,
    row_header=None,
) -> dict:
    """A grid of levels 1–5: one row per (label, url), one column per year, each cell numbered and coloured."""
    row_list = [_row(r) for r in rows]
    col_list = [str(c) for c in columns]
    levels = {key: _level(value) for key, value in cells.items()}

    char_width, font_gap = 6.6, 10.0  # ~0.55em of a 12px system font
    longest = max((len(label) for label, _url in row_list), default=4)
    label_width = _r(min(max(longest * char_width + font_gap, 60.0), 220.0))
    max_chars = int((label_width - font_gap) / char_width)
    gap = 2.0
    pitch = cell + gap
    rotate = pitch < 34  # four-digit years do not fit under narrow columns: tilt them
    header = 44.0 if rotate else 24.0
    width = int(math.ceil(label_width + len(col_list) * pitch + (26 if rotate else 4)))
    height = int(math.ceil(header + len(row_list) * pitch + 2))

    chart = _base("heatmap", title, description, width, height)
    chart["cell"] = cell
    chart["columns"] = []
    for ci, label in enumerate(col_list):
        x, y = _r(label_width + ci * pitch + cell / 2), _r(header - 8)
        chart["columns"].append(
            {"label": label, "x": x, "y": y, "transform": f"rotate(-45 {x} {y})" if rotate else "", "rotated": rotate}
        )
    chart["rows"] = []
    for ri, (label, url) in enumerate(row_list):
        y = header + ri * pitch
        row_cells = []
        for ci in range(len(col_list)):
            level = levels.get((ri, ci))
            row_cells.append(
                {
                    "level": level,
                    "css_class": f"lvl-{level}" if level else "lvl-none",
                    "text": str(level) if level else "–",
                    "x": _r(label_width + ci * pitch),
                    "y": _r(y),
                    "cx": _r(label_width + ci * pitch + cell / 2),
                    "cy": _r(y + cell / 2),
                }
            )
        chart["rows"].append(
            {
                "label": _truncate(label, max_chars),
                "full_label": label,
                "truncated": len(label) > max_chars,
                "url": url,
                "x": _r(label_width - 8),
                "y": _r(y + cell / 2),
                "cells": row_cells,
                # The cells as ready markup: ~300 cells through the template engine cost ~40 ms a page.
                "cells_svg": _cells_svg(row_cells, cell, _r(y)),
            }
        )
    chart["legend"] = [
        {"level": lvl, "css_class": f"lvl-{lvl}", "text": str(lvl), "label": _("Tingkat %(level)s") % {"level": lvl}}
        for lvl in LEVELS
    ] + [{"level": None, "css_class": "lvl-none", "text": "–", "label": _("Tidak ada data")}]
    chart["table"] = {
        "caption": title,
        "headers": [row_header or _("Indikator"), *col_list],
        "rows": [
            {
                "header": label,
                "url": url,
                "cells": (
                    row_values := [
                        str(levels[(ri, ci)]) if levels.get((ri, ci)) else None for ci in range(len(col_list))
                    ]
                ),
                "cells_html": _table_cells_html(row_values),
            }
            for ri, (label, url) in enumerate(row_list)
        ],
    }
    return chart
