"""Server-rendered SVG charts: the chart descriptions as data, and the templates that draw them."""

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.test import SimpleTestCase
from django.utils import translation

from casestudies.dashboard.charts import BarGroup, Series, bar_chart, chart_id, line_chart
from casestudies.dashboard.heatmap import heatmap

SVG_NS = "{http://www.w3.org/2000/svg}"
NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def sample_line_chart(**kwargs):
    return line_chart(
        [
            Series("Kab. Sumedang (resmi)", [(2023, 3.12), (2024, 5.0)], "official"),
            Series("Kab. Sumedang (data contoh)", [(2019, 1.0), (2020, 2.3), (2021, None), (2022, 2.7)], "demo"),
            Series("Rata-rata nasional", [(2019, 2.18), (2020, 2.26), (2021, 2.24), (2022, 2.34)], "national"),
        ],
        title=kwargs.pop("title", "Indeks SPBE Kabupaten Sumedang"),
        description="Indeks naik dari 1,00 ke 5,00.",
        **kwargs,
    )


def sample_bar_chart():
    return bar_chart(
        [("A1", "Kebijakan Internal"), ("A2", "Tata Kelola"), ("A3", "Manajemen")],
        [
            BarGroup("Kab. Sumedang", [3.12, 5.0, None], "region"),
            BarGroup("Jawa Barat", [2.5, 0.0, 1.0], "province"),
            BarGroup("Nasional", [2.0, 1.5, 4.0], "national"),
        ],
        title="Nilai aspek 2024",
        description="Sumedang dibandingkan dengan provinsi dan nasional.",
        category_header="Aspek",
    )


def sample_heatmap():
    rows = [("Indikator 1", "/jelajahi/1/"), ("Indikator 2", None), ("Indikator 3", "/jelajahi/3/")]
    cells = {(0, 0): 1, (0, 1): 5, (1, 0): 3, (1, 1): None, (2, 0): 4, (2, 1): 2}
    return heatmap(rows, [2022, 2023], cells, title="Tingkat per indikator", description="Tingkat 1–5.")


def inside(chart, x, y):
    return 0 <= x <= chart["width"] and 0 <= y <= chart["height"]


class LineChartTests(SimpleTestCase):
    def test_years_are_the_sorted_union_of_all_series(self):
        chart = sample_line_chart()
        self.assertEqual([t["year"] for t in chart["x_ticks"]], [2019, 2020, 2021, 2022, 2023, 2024])
        xs = [t["x"] for t in chart["x_ticks"]]
        self.assertEqual(xs, sorted(xs))

    def test_every_coordinate_is_inside_the_viewbox(self):
        chart = sample_line_chart()
        for series in chart["series"]:
            for point in series["points"]:
                self.assertTrue(inside(chart, point["x"], point["y"]), point)
            coords = [float(n) for n in NUMBER.findall(series["path"])]
            for x, y in zip(coords[::2], coords[1::2], strict=True):
                self.assertTrue(inside(chart, x, y), (x, y))
        for tick in chart["y_ticks"]:
            self.assertTrue(inside(chart, chart["plot"]["left"], tick["y"]))

    def test_higher_values_are_drawn_higher(self):
        official, demo, _national = sample_line_chart()["series"]
        y_of_5 = official["points"][1]["y"]
        y_of_1 = demo["points"][0]["y"]
        self.assertLess(y_of_5, y_of_1)
        ticks = {t["value"]: t["y"] for t in sample_line_chart()["y_ticks"]}
        self.assertEqual(list(ticks), [1, 2, 3, 4, 5])
        self.assertEqual(ticks[5], y_of_5)
        self.assertEqual(ticks[1], y_of_1)

    def test_none_and_missing_years_break_the_line(self):
        official, demo, national = sample_line_chart()["series"]
        self.assertEqual([p["year"] for p in demo["points"]], [2019, 2020, 2022])
        self.assertEqual(len(demo["segments"]), 2)  # 2019–2020, then 2022 alone after the gap
        self.assertEqual(demo["path"].count("M"), 1)  # a lone point is a marker, not a line
        self.assertEqual(len(national["segments"]), 1)
        self.assertEqual(national["path"].count("M"), 1)
        self.assertEqual(official["path"].count("M"), 1)

    def test_styles_keep_their_markers(self):
        chart = sample_line_chart()
        self.assertEqual([s["style"] for s in chart["series"]], ["official", "demo", "national"])
        self.assertEqual([s["marker_shape"] for s in chart["series"]], ["circle", "circle", "square"])
        with self.assertRaises(ValueError):
            line_chart([Series("x", [(2020, 1.0)], "rainbow")], title="t", description="d")

    def test_values_are_formatted_in_the_active_language(self):
        with translation.override("id"):
            chart = sample_line_chart()
        self.assertEqual(chart["series"][0]["points"][0]["label"], "3,12")
        self.assertEqual(chart["series"][0]["points"][0]["title"], "Kab. Sumedang (resmi), 2023: 3,12")
        with translation.override("en"):
            chart = sample_line_chart()
        self.assertEqual(chart["series"][0]["points"][0]["label"], "3.12")
        self.assertEqual(chart["table"]["rows"][4]["cells"][0], "3.12")

    def test_table_alternative_is_complete(self):
        with translation.override("id"):
            table = sample_line_chart()["table"]
        self.assertEqual(
            table["headers"][1:], ["Kab. Sumedang (resmi)", "Kab. Sumedang (data contoh)", "Rata-rata nasional"]
        )
        self.assertEqual([r["header"] for r in table["rows"]], ["2019", "2020", "2021", "2022", "2023", "2024"])
        for row in table["rows"]:
            self.assertEqual(len(row["cells"]), len(table["headers"]) - 1)
        self.assertEqual(table["rows"][2]["cells"], [None, None, "2,24"])
        self.assertEqual(table["rows"][5]["cells"], ["5,00", None, None])

    def test_id_is_a_deterministic_slug(self):
        first, again = sample_line_chart(), sample_line_chart()
        self.assertEqual(first["id"], again["id"])
        self.assertTrue(first["id"].startswith("chart-indeks-spbe-kabupaten-sumedang-"))
        self.assertRegex(first["id"], r"^[a-z0-9-]+$")
        self.assertNotEqual(first["id"], sample_line_chart(title="Indeks SPBE Kota Bandung")["id"])
        self.assertNotEqual(chart_id("line", "Sama"), chart_id("bar", "Sama"))
        for key in ("title", "description", "width", "height", "table"):
            self.assertIn(key, first)

    def test_a_single_year_sits_in_the_middle(self):
        chart = line_chart([Series("x", [(2024, 3.0)], "official")], title="t", description="d")
        self.assertEqual(chart["series"][0]["points"][0]["x"], (chart["plot"]["left"] + chart["plot"]["right"]) / 2)
        self.assertEqual(chart["series"][0]["path"], "")


class BarChartTests(SimpleTestCase):
    def test_bars_are_inside_the_viewbox_and_stand_on_the_axis(self):
        chart = sample_bar_chart()
        bottom = chart["plot"]["bottom"]
        for group in chart["groups"]:
            for bar in group["bars"]:
                self.assertTrue(inside(chart, bar["x"], bar["y"]), bar)
                self.assertTrue(inside(chart, bar["x"] + bar["width"], bar["y"] + bar["height"]), bar)
                self.assertAlmostEqual(bar["y"] + bar["height"], bottom, places=1)

    def test_taller_values_make_taller_bars_and_none_makes_no_bar(self):
        region, province, _national = sample_bar_chart()["groups"]
        self.assertEqual([b["category"] for b in region["bars"]], ["A1", "A2"])
        self.assertGreater(region["bars"][1]["height"], region["bars"][0]["height"])
        self.assertEqual(province["bars"][1]["height"], 0)

    def test_bars_of_a_category_sit_side_by_side_within_its_band(self):
        chart = sample_bar_chart()
        a1 = [g["bars"][0] for g in chart["groups"]]
        for left, right in zip(a1, a1[1:], strict=False):
            self.assertLessEqual(left["x"] + left["width"], right["x"])
        self.assertLess(a1[-1]["x"] + a1[-1]["width"], chart["categories"][1]["x"])

    def test_groups_differ_by_pattern_as_well_as_colour(self):
        chart = sample_bar_chart()
        region, province, national = chart["groups"]
        self.assertEqual(region["pattern_id"], "")
        self.assertEqual(province["pattern_id"], f"{chart['id']}-pat-province")
        self.assertEqual(national["pattern_id"], f"{chart['id']}-pat-national")
        self.assertEqual(chart["patterns"], ["national", "province"])

    def test_table_alternative_uses_full_labels_and_formatted_values(self):
        with translation.override("id"):
            table = sample_bar_chart()["table"]
        self.assertEqual(table["headers"], ["Aspek", "Kab. Sumedang", "Jawa Barat", "Nasional"])
        self.assertEqual(
            [r["header"] for r in table["rows"]], ["A1 — Kebijakan Internal", "A2 — Tata Kelola", "A3 — Manajemen"]
        )
        self.assertEqual(table["rows"][0]["cells"], ["3,12", "2,50", "2,00"])
        self.assertEqual(table["rows"][2]["cells"], [None, "1,00", "4,00"])
        with translation.override("en"):
            self.assertEqual(sample_bar_chart()["table"]["rows"][0]["cells"][0], "3.12")

    def test_plain_category_labels_and_bad_input(self):
        chart = bar_chart(["A1", "A2"], [BarGroup("x", [1.0, 2.0], "region")], title="t", description="d")
        self.assertEqual([r["header"] for r in chart["table"]["rows"]], ["A1", "A2"])
        self.assertEqual([t["value"] for t in chart["y_ticks"]], [0, 1, 2, 3, 4, 5])
        with self.assertRaises(ValueError):
            bar_chart(["A1", "A2"], [BarGroup("x", [1.0], "region")], title="t", description="d")
        with self.assertRaises(ValueError):
            bar_chart(["A1"], [BarGroup("x", [1.0], "official")], title="t", description="d")


class HeatmapTests(SimpleTestCase):
    def test_each_level_has_its_colour_class_and_number(self):
        chart = sample_heatmap()
        classes = [[c["css_class"] for c in row["cells"]] for row in chart["rows"]]
        self.assertEqual(classes, [["lvl-1", "lvl-5"], ["lvl-3", "lvl-none"], ["lvl-4", "lvl-2"]])
        self.assertEqual([c["text"] for c in chart["rows"][1]["cells"]], ["3", "–"])
        self.assertEqual(
            [item["css_class"] for item in chart["legend"]], [*(f"lvl-{n}" for n in range(1, 6)), "lvl-none"]
        )

    def test_missing_cells_are_no_data(self):
        chart = heatmap(["Indikator 9"], [2023], {}, title="t", description="d")
        self.assertEqual(chart["rows"][0]["cells"][0]["css_class"], "lvl-none")
        self.assertEqual(chart["table"]["rows"][0]["cells"], [None])

    def test_cells_are_compact_markup_with_their_level(self):
        row = sample_heatmap()["rows"][1]
        svg = str(row["cells_svg"])
        self.assertTrue(svg.startswith(f'<g transform="translate(0 {row["y"] - 11}'), svg[:60])
        self.assertEqual(svg.count("<rect "), 2)
        self.assertIn('<rect class="cell lvl-3"', svg)
        self.assertIn(">3</text>", svg)
        self.assertIn('class="cell-text lvl-none"', svg)
        self.assertNotIn("<title>", svg, "no tooltip per cell: the labels and the table say it (page weight)")

    def test_cells_are_inside_the_viewbox(self):
        chart = sample_heatmap()
        for row in chart["rows"]:
            self.assertTrue(inside(chart, 0, row["y"]))
            for c in row["cells"]:
                self.assertTrue(inside(chart, c["x"], c["y"]))
                self.assertTrue(inside(chart, c["x"] + chart["cell"], c["y"] + chart["cell"]))
        for column in chart["columns"]:
            self.assertTrue(inside(chart, column["x"], column["y"]))

    def test_table_alternative_keeps_links_and_levels(self):
        table = sample_heatmap()["table"]
        self.assertEqual(table["headers"], ["Indikator", "2022", "2023"])
        self.assertEqual(
            [(r["header"], r["url"]) for r in table["rows"]][:2],
            [("Indikator 1", "/jelajahi/1/"), ("Indikator 2", None)],
        )
        self.assertEqual([r["cells"] for r in table["rows"]], [["1", "5"], ["3", None], ["4", "2"]])

    def test_long_labels_are_shortened_in_the_drawing_only(self):
        label = "Indikator 10 — Tingkat Kematangan Kebijakan Internal Tim Koordinasi SPBE Pemerintah Daerah"
        chart = heatmap([label], [2024], {(0, 0): 3}, title="t", description="d")
        row = chart["rows"][0]
        self.assertTrue(row["truncated"])
        self.assertTrue(row["label"].endswith("…"))
        self.assertEqual(row["full_label"], label)
        self.assertEqual(chart["table"]["rows"][0]["header"], label)

    def test_levels_outside_one_to_five_are_refused(self):
        for bad in (0, 6, 2.5):
            with self.assertRaises(ValueError):
                heatmap(["x"], [2024], {(0, 0): bad}, title="t", description="d")


class ChartTemplateTests(SimpleTestCase):
    def render(self, name, chart):
        return render_to_string(f"components/charts/{name}.html", {"chart": chart})

    def charts(self):
        return {"line_chart": sample_line_chart(), "bar_chart": sample_bar_chart(), "heatmap": sample_heatmap()}

    def test_each_chart_is_a_named_image_with_a_table_alternative(self):
        with translation.override("id"):
            for name, chart in self.charts().items():
                with self.subTest(name):
                    html = self.render(name, chart)
                    self.assertNotIn("<script", html.lower())
                    # The heatmap's row labels are links: a group may hold them, an image may not (axe).
                    self.assertIn('role="group"' if name == "heatmap" else 'role="img"', html)
                    self.assertIn(f'aria-labelledby="{chart["title_id"]} {chart["desc_id"]}"', html)
                    self.assertIn(f'<title id="{chart["title_id"]}">{chart["title"]}</title>', html)
                    self.assertIn(f'<desc id="{chart["desc_id"]}">{chart["description"]}</desc>', html)
                    self.assertIn(f'viewBox="0 0 {chart["width"]} {chart["height"]}" width="100%"', html)
                    self.assertIn("<figure", html)
                    self.assertIn("<figcaption", html)
                    self.assertIn('class="chart-legend"', html)
                    self.assertInHTML("<summary>Lihat sebagai tabel</summary>", html)
                    self.assertIn(f'<caption id="{chart["id"]}-caption">{chart["title"]}</caption>', html)
                    self.assertEqual(html.count('<th scope="col"'), len(chart["table"]["headers"]))
                    self.assertEqual(html.count('<th scope="row"'), len(chart["table"]["rows"]))

    def test_svg_is_well_formed_and_free_of_decimal_commas(self):
        with translation.override("id"):
            for name, chart in self.charts().items():
                with self.subTest(name):
                    html = self.render(name, chart)
                    svg = re.search(r'<svg class="chart-svg".*?</svg>', html, re.S).group(0)
                    svg = svg.replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1)
                    root = ET.fromstring(svg)  # noqa: S314 (our own template output)
                    for element in root.iter():
                        for attr in ("x", "y", "x1", "y1", "x2", "y2", "width", "height", "d", "viewBox"):
                            value = element.get(attr)
                            if value is not None:
                                self.assertNotIn(",", value, f"{element.tag} {attr}={value}")
                    self.assertEqual(root.find(f"{SVG_NS}title").text, str(chart["title"]))

    def test_values_in_tooltips_and_table_follow_the_language(self):
        with translation.override("id"):
            html = self.render("line_chart", sample_line_chart())
        self.assertIn("<title>Kab. Sumedang (resmi), 2023: 3,12</title>", html)
        self.assertInHTML('<td class="num">3,12</td>', html)
        with translation.override("en"):
            html = self.render("line_chart", sample_line_chart())
        self.assertInHTML('<td class="num">3.12</td>', html)

    def test_line_styles_and_bar_patterns_are_drawn(self):
        html = self.render("line_chart", sample_line_chart())
        for style in ("official", "demo", "national"):
            self.assertIn(f'class="line line-{style}"', html)
            self.assertIn(f'class="marker marker-{style}"', html)
        chart = sample_bar_chart()
        html = self.render("bar_chart", chart)
        self.assertIn(f'<pattern id="{chart["id"]}-pat-national"', html)
        self.assertIn(f'fill="url(#{chart["id"]}-pat-province)"', html)
        self.assertEqual(html.count("<title>Kab. Sumedang, A"), 2)  # one bar per value; None draws none

    def test_heatmap_cells_carry_level_classes_and_links(self):
        html = self.render("heatmap", sample_heatmap())
        for level in range(1, 6):
            self.assertIn(f'class="cell lvl-{level}"', html)
        self.assertIn('class="cell lvl-none"', html)
        self.assertIn('<a href="/jelajahi/3/">Indikator 3</a>', html)  # the table's link, reachable by keyboard
        self.assertIn('<a href="/jelajahi/3/" tabindex="-1" aria-hidden="true">', html)  # the drawing's, mouse only

    def test_missing_values_are_spoken_in_the_table(self):
        html = self.render("bar_chart", sample_bar_chart())
        self.assertIn('<span class="visually-hidden">tidak ada data</span>', html)


def contrast(foreground: str, background: str) -> float:
    def luminance(colour):
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


class ChartPaletteTests(SimpleTestCase):
    def setUp(self):
        css = (Path(settings.BASE_DIR) / "static" / "css" / "charts.css").read_text()
        self.colours = dict(re.findall(r"--(chart-[\w-]+):\s*(#[0-9a-fA-F]{6})", css))

    def test_series_colours_and_text_meet_aa_on_white(self):
        for name in ("chart-ink", "chart-muted", "chart-region", "chart-national", "chart-province"):
            self.assertGreaterEqual(contrast(self.colours[name], "#ffffff"), 4.5, name)

    def test_heatmap_numbers_meet_aa_on_their_cells(self):
        for level in ("1", "2", "3", "4", "5", "none"):
            ink, bg = self.colours[f"chart-lvl-{level}-ink"], self.colours[f"chart-lvl-{level}-bg"]
            self.assertGreaterEqual(contrast(ink, bg), 4.5, f"level {level}")

    def test_heatmap_scale_darkens_with_level(self):
        backgrounds = [self.colours[f"chart-lvl-{n}-bg"] for n in range(1, 6)]
        ratios = [contrast(bg, "#ffffff") for bg in backgrounds]
        self.assertEqual(ratios, sorted(ratios))
