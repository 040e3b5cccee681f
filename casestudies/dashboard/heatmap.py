"""The heatmap of indicator levels 1–5 per year, as a chart description (see casestudies.dashboard.charts for the
shape every chart description shares)."""

import math
from collections.abc import Iterable, Sequence

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _  # charts are built per request, in its language

from .charts import chart_base, coord

LEVELS = (1, 2, 3, 4, 5)


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
        f'<text class="cell-text {c["css_class"]}" x="{c["cx"]}" y="{coord(cell / 2)}">{c["text"]}</text>'
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
    label_width = coord(min(max(longest * char_width + font_gap, 60.0), 220.0))
    max_chars = int((label_width - font_gap) / char_width)
    gap = 2.0
    pitch = cell + gap
    rotate = pitch < 34  # four-digit years do not fit under narrow columns: tilt them
    header = 44.0 if rotate else 24.0
    width = int(math.ceil(label_width + len(col_list) * pitch + (26 if rotate else 4)))
    height = int(math.ceil(header + len(row_list) * pitch + 2))

    chart = chart_base("heatmap", title, description, width, height)
    chart["cell"] = cell
    chart["columns"] = []
    for ci, label in enumerate(col_list):
        x, y = coord(label_width + ci * pitch + cell / 2), coord(header - 8)
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
                    "x": coord(label_width + ci * pitch),
                    "y": coord(y),
                    "cx": coord(label_width + ci * pitch + cell / 2),
                    "cy": coord(y + cell / 2),
                }
            )
        chart["rows"].append(
            {
                "label": _truncate(label, max_chars),
                "full_label": label,
                "truncated": len(label) > max_chars,
                "url": url,
                "x": coord(label_width - 8),
                "y": coord(y + cell / 2),
                "cells": row_cells,
                # The cells as ready markup: ~300 cells through the template engine cost ~40 ms a page.
                "cells_svg": _cells_svg(row_cells, cell, coord(y)),
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
