"""Charts: a local-only Finnish toolbar, priorities marked by the one definition,
goal bars that diverge in the scale's order, and readable text colours."""

from __future__ import annotations

import json
import math
import re

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import pytest
from tilannekuva.charts.contrast import MINIMUM, contrast_ratio, text_colour_on
from tilannekuva.charts.layout import TOOLBAR_PX, legend_rows
from tilannekuva.charts.maps import municipality_map
from tilannekuva.charts.render import (
    CONFIG,
    LOCALE_JS_PATH,
    SEPARATORS,
    SiteRenderer,
    plotly_locale_source,
)
from tilannekuva.charts.survey import diverging_goal_bars, ipa_chart
from tilannekuva.charts.theme import TEMPLATE_NAME, source_note
from tilannekuva.privacy.redact import find_personal_data
from tilannekuva.region import PROJECT_REFERENCE, read_region

# Toolbar buttons that act on the page only (no request leaves the machine).
LOCAL_BUTTONS = {"toImage", "zoom2d", "pan2d", "zoomIn2d", "zoomOut2d", "resetScale2d"}
MINUS = "\u2212"


def newplot_arguments(html: str) -> list[tuple[dict, dict]]:
    """(layout, config) of every ``Plotly.newPlot`` call in a page."""
    decoder = json.JSONDecoder()
    found = []
    for match in re.finditer(r"Plotly\.newPlot\(\s*\"[^\"]+\",\s*", html):
        position = match.end()
        arguments = []
        for _ in range(3):  # data, layout, config
            value, end = decoder.raw_decode(html, position)
            arguments.append(value)
            position = end + len(re.match(r"\s*,?\s*", html[end:]).group(0))
        found.append((arguments[1], arguments[2]))
    return found


def assert_local_finnish_config(config: dict) -> None:
    buttons = {b for group in config["modeBarButtons"] for b in group}
    assert buttons <= LOCAL_BUTTONS and "toImage" in buttons
    assert config["showSendToCloud"] is False
    assert "plotlyServerURL" not in config
    assert config["displaylogo"] is False
    assert not config.get("showLink") and not config.get("showEditInChartStudio")
    assert config["locale"] == "fi"


def test_figure_ids_have_no_digit_runs_the_scanner_could_take_for_a_phone():
    renderer = SiteRenderer()
    for i in range(300):
        bundle = renderer.to_mimebundle(go.Figure(go.Bar(x=[i], y=[i])).to_dict())
        html = bundle["text/html"]
        ids = re.findall(r'id="(fig-[^"]+)"', html)
        assert ids and all(not re.search(r"\d", i) for i in ids)
        assert not [f for f in find_personal_data(html) if f.kind == "phone"]


def test_rendered_figure_has_only_local_toolbar_actions_and_finnish_numbers():
    bundle = SiteRenderer().to_mimebundle(go.Figure(go.Bar(x=[1500, 2500], y=["a", "b"])).to_dict())
    (layout, config), *rest = newplot_arguments(bundle["text/html"])
    assert not rest
    assert_local_finnish_config(config)
    assert "cloud.plotly" not in bundle["text/html"]
    assert layout["separators"] == SEPARATORS == ",\u00a0"
    # JupyterLab's interactive view gets the same toolbar.
    assert_local_finnish_config(bundle["application/vnd.plotly.v1+json"]["config"])
    assert CONFIG["showSendToCloud"] is False


def test_locale_script_registers_finnish_toolbar_and_number_format():
    script = plotly_locale_source().read_text(encoding="utf-8")
    assert LOCALE_JS_PATH.endswith(plotly_locale_source().name)
    assert 'name: "fi"' in script and 'moduleType: "locale"' in script
    for english, finnish in (
        ("Download plot as a PNG", "Lataa kuva PNG-muodossa"),
        ("Zoom", "Zoomaa"),
        ("Reset axes", "Palauta akselit"),
    ):
        assert f'"{english}": "{finnish}"' in script
    assert 'decimal: ","' in script and 'thousands: "\\u00a0"' in script
    assert "tammikuu" in script


# --- importance–performance -------------------------------------------------


def ipa_table() -> pd.DataFrame:
    """Five items around grand means 3.5 / 3.0, with the lead's contract columns.

    Item c sits in the "Kehitettävä" quadrant but is not a priority, item a is a
    priority outside it: the chart must follow ``priority``, not the quadrant.
    """
    rows = [
        # item, imp, state, half-width, priority, suppressed
        ("a", 3.9, 3.4, 0.1, True, False),  # important, well in place, yet a priority
        ("b", 4.2, 2.2, 0.1, True, False),
        ("c", 3.8, 2.6, 0.1, False, False),  # in the "Kehitettävä" quadrant, not a priority
        ("d", 3.0, 3.05, 0.2, False, False),  # state interval crosses the cross-hair
        ("e", None, None, None, False, True),
    ]
    records = []
    for rank, (item, imp, state, half, priority, suppressed) in enumerate(rows, start=1):
        records.append(
            {
                "item": item,
                "label": f"Kohta {item.upper()}",
                "text": f"Salainen kohta {item}" if suppressed else f"Koko teksti {item}",
                "importance_mean": imp,
                "importance_low": None if imp is None else imp - half,
                "importance_high": None if imp is None else imp + half,
                "importance_n": 40 + rank,
                "state_mean": state,
                "state_low": None if state is None else state - half,
                "state_high": None if state is None else state + half,
                "state_n": 30 + rank,
                "gap_mean": None if imp is None else imp - state,
                "gap_low": None if imp is None else imp - state - 0.3,
                "gap_high": None if imp is None else imp - state + 0.3,
                "gap_n": 20 + rank,
                "quadrant": "x",
                "rank": rank,
                "rank_label": str(rank),
                "priority": priority,
                "suppressed": suppressed,
            }
        )
    table = pd.DataFrame(records)
    for column in table.columns:
        if column.endswith(("_mean", "_low", "_high")):
            table[column] = table[column].astype("Float64")
    grand_importance, grand_state = 3.5, 3.0
    table["quadrant_uncertain"] = (
        (table["importance_low"] < grand_importance) & (table["importance_high"] > grand_importance)
    ) | ((table["state_low"] < grand_state) & (table["state_high"] > grand_state))
    table["quadrant_uncertain"] = table["quadrant_uncertain"].fillna(False).astype(bool)
    return table


def drawn_points(fig: go.Figure) -> dict[str, list[tuple[float, float, str, str]]]:
    """Per legend group: (x, y, symbol, hover) of every drawn point."""
    out: dict[str, list] = {}
    for trace in fig.data:
        if trace.x is None or all(v is None for v in trace.x):
            continue
        symbols = trace.marker.symbol
        for i, (x, y) in enumerate(zip(trace.x, trace.y, strict=True)):
            symbol = symbols[i] if isinstance(symbols, tuple | list) else symbols
            out.setdefault(trace.legendgroup, []).append((x, y, symbol, trace.hovertext[i]))
    return out


def test_ipa_marks_exactly_the_priority_rows_not_the_quadrant():
    table = ipa_table()
    fig = ipa_chart(table, 3.5, 3.0, "Otsikko")
    points = drawn_points(fig)
    priority_xy = {(x, y) for x, y, *_ in points["Kehittämiskohde"]}
    other_xy = {(x, y) for x, y, *_ in points["Muut"]}
    assert priority_xy == {(3.4, 3.9), (2.2, 4.2)}
    assert other_xy == {(2.6, 3.8), (3.05, 3.0)}
    # Shape as well as colour: diamonds for priorities, circles for the rest.
    assert {s.removesuffix("-open") for *_, s, _ in points["Kehittämiskohde"]} == {"diamond"}
    assert {s.removesuffix("-open") for *_, s, _ in points["Muut"]} == {"circle"}
    # Only the priorities carry a visible label; the quadrant's note does not call them priorities.
    labelled = [t for t in fig.data if t.mode and "text" in t.mode]
    assert [list(t.text) for t in labelled] == [["Kohta A", "Kohta B"]]
    assert all("kehittämiskoh" not in a.text.lower() for a in fig.layout.annotations)


def test_ipa_shows_an_uncertain_quadrant_by_an_open_marker_legend_and_hover():
    fig = ipa_chart(ipa_table(), 3.5, 3.0, "Otsikko")
    points = [p for group in drawn_points(fig).values() for p in group]
    uncertain = [p for p in points if p[2].endswith("-open")]
    assert [(x, y) for x, y, *_ in uncertain] == [(3.05, 3.0)]
    assert "neljännes epävarma" in uncertain[0][3]
    assert all("neljännes epävarma" not in p[3] for p in points if p not in uncertain)
    legend = [t.name for t in fig.data if t.showlegend is not False]
    assert legend == ["Kehittämiskohde", "Muut", "Neljännes epävarma (avoin merkki)"]


def test_ipa_without_uncertain_items_has_no_uncertain_legend_entry():
    table = ipa_table()
    table["quadrant_uncertain"] = False
    fig = ipa_chart(table, 3.5, 3.0, "Otsikko")
    assert "Neljännes epävarma (avoin merkki)" not in [t.name for t in fig.data]


def test_ipa_suppressed_rows_leave_nothing_in_the_figure():
    table = ipa_table()
    # Even a suppressed row that still had figures must not be drawn.
    table.loc[table["item"] == "e", ["importance_mean", "state_mean"]] = [4.9, 1.1]
    fig = ipa_chart(table, 3.5, 3.0, "Otsikko")
    payload = fig.to_json()
    assert "Salainen" not in payload and "Kohta E" not in payload
    assert "4.9" not in payload
    assert sum(len(p) for p in drawn_points(fig).values()) == 4


def test_ipa_hover_gives_each_figures_own_n_interval_and_minus_sign():
    table = ipa_table()
    fig = ipa_chart(table, 3.5, 3.0, "Otsikko")
    hover = {h.split("<br>")[0]: h for group in drawn_points(fig).values() for *_, h in group}
    b = hover["<b>Koko teksti b</b>"]
    assert "Tärkeys 4,20 (95 %:n lv 4,10…4,30), n = 42" in b
    assert "Toteutuminen 2,20 (95 %:n lv 2,10…2,30), n = 32" in b
    d = hover["<b>Koko teksti d</b>"]
    # d's gap is −0.05 with interval −0.35…0.25: the minus sign, not a hyphen.
    assert f"Ero {MINUS}0,05 (95 %:n lv {MINUS}0,35…0,25)" in d
    assert "-0" not in d


def test_ipa_requires_the_priority_columns():
    with pytest.raises(ValueError, match="priority"):
        ipa_chart(ipa_table().drop(columns="priority"), 3.5, 3.0, "Otsikko")


# --- goals ----------------------------------------------------------------

SCALE = {1: "Ei lainkaan", 2: "Heikosti", 3: "Kohtalaisesti", 4: "Hyvin", 5: "Erittäin hyvin"}


def goal_distribution(counts: dict[str, list[int]], missing: int = 3) -> pd.DataFrame:
    """A distribution as analysis.goals.distribution writes it."""
    rows = []
    for goal, per_point in counts.items():
        n = sum(per_point)
        for point, count in zip(SCALE, per_point, strict=True):
            rows.append(
                {
                    "goal": goal,
                    "label": f"Tavoite {goal}",
                    "point": point,
                    "point_label": f"{point} {SCALE[point]}",
                    "count": count,
                    "share": count / n if n else math.nan,
                    "n": n,
                    "n_missing": missing,
                }
            )
        rows.append(
            {
                "goal": goal,
                "label": f"Tavoite {goal}",
                "point": 0,
                "point_label": "En osaa sanoa / ei vastausta",
                "count": missing,
                "share": math.nan,
                "n": n,
                "n_missing": missing,
            }
        )
    return pd.DataFrame(rows)


def segments(fig: go.Figure, goal: str) -> dict[int, tuple[float, float, str]]:
    """Scale point → (start, end, label text) of the goal's bar."""
    out = {}
    for trace in fig.data:
        if not isinstance(trace, go.Bar):
            continue
        i = list(trace.y).index(goal)
        if trace.x[i] is None:
            continue
        point = int(trace.name.split()[0])
        out[point] = (trace.base[i], trace.base[i] + trace.x[i], trace.text[i])
    return out


def test_goal_bars_diverge_in_the_scales_order_with_the_middle_centred():
    # Shares 10, 20, 41, 19, 10 % (n = 100): the old chart labelled a ~21 % segment "41 %".
    fig = diverging_goal_bars(goal_distribution({"g1": [10, 20, 41, 19, 10]}), SCALE, "T")
    s = segments(fig, "g1")
    assert s[3][0] == pytest.approx(-20.5) and s[3][1] == pytest.approx(20.5)
    assert s[2][1] == pytest.approx(s[3][0]) and s[1][1] == pytest.approx(s[2][0])
    assert s[4][0] == pytest.approx(s[3][1]) and s[5][0] == pytest.approx(s[4][1])
    assert s[1][0] < s[2][0] < s[3][0] < 0 < s[3][1] < s[4][1] < s[5][1]
    # Each segment is as wide as its share and labelled with it.
    for point, share in zip(SCALE, [10, 20, 41, 19, 10], strict=True):
        start, end, text = s[point]
        assert end - start == pytest.approx(share)
        assert text == f"{share} %"
    # Legend in the scale's order; the axis reaches every bar.
    legend = sorted((t.legendrank, t.name) for t in fig.data if isinstance(t, go.Bar))
    assert [name for _, name in legend] == [f"{p} {SCALE[p]}" for p in SCALE]
    low, high = fig.layout.xaxis.range
    assert low <= s[1][0] and high >= s[5][1]


def test_goal_bars_without_a_middle_point_meet_at_zero():
    four = {1: "Ei", 2: "Vähän", 3: "Melko", 4: "Täysin"}
    dist = goal_distribution({"g1": [1, 3, 4, 2, 0]})
    dist = dist[dist["point"] != 5]
    dist.loc[dist["point"] > 0, "share"] = dist["count"] / 10
    fig = diverging_goal_bars(dist, four, "T")
    s = segments(fig, "g1")
    assert s[2][1] == pytest.approx(0) and s[3][0] == pytest.approx(0)
    assert s[1][1] == pytest.approx(s[2][0]) and s[4][0] == pytest.approx(s[3][1])


def test_goal_below_threshold_draws_nothing_and_says_why():
    dist = goal_distribution({"g1": [10, 20, 40, 20, 10], "g2": [1, 1, 1, 0, 0]})
    dist.loc[dist["goal"] == "g2", "share"] = np.nan  # as the page hides a small goal
    fig = diverging_goal_bars(dist, SCALE, "T", threshold=5)
    assert segments(fig, "g2") == {}
    assert len(segments(fig, "g1")) == 5
    notes = [a.text for a in fig.layout.annotations]
    assert any("alle 5 vastausta" in t for t in notes)
    # Each goal's label states its own n and the "don't know" count outside the shares.
    assert any("Tavoite g1" in t and "n = 100" in t and "ei vastausta 3" in t for t in notes)


# --- contrast ---------------------------------------------------------------


def test_contrast_ratio_follows_wcag():
    assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21)
    assert contrast_ratio("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)
    assert contrast_ratio("#D55E00", "#FFFFFF") == pytest.approx(3.87, abs=0.01)
    assert text_colour_on("#0072B2") == "#FFFFFF"
    assert text_colour_on("#E69F00") == "#000000"


def text_colours(fig: go.Figure) -> list[tuple[str, str, str]]:
    """(what, text colour, background) for every text the figure draws."""
    full = fig
    template = pio.templates[TEMPLATE_NAME].layout
    base_text = template.font.color
    paper = template.paper_bgcolor
    found = [("font", base_text, paper)]
    found.append(("hover", template.hoverlabel.font.color, template.hoverlabel.bgcolor))
    for annotation in full.layout.annotations:
        colour = annotation.font.color or base_text
        found.append((f"annotation {annotation.text!r}", colour, annotation.bgcolor or paper))
    for trace in full.data:
        if isinstance(trace, go.Bar) and trace.text is not None:
            found.append((f"bar {trace.name}", trace.textfont.color, trace.marker.color))
        elif isinstance(trace, go.Scatter) and trace.mode and "text" in trace.mode:
            found.append((f"labels {trace.name}", trace.textfont.color or base_text, paper))
    return found


@pytest.mark.parametrize("chart", ["ipa", "goals", "map"])
def test_every_text_colour_reaches_4_5_to_1(chart):
    if chart == "ipa":
        fig = ipa_chart(ipa_table(), 3.5, 3.0, "Otsikko")
    elif chart == "goals":
        fig = diverging_goal_bars(goal_distribution({"g1": [10, 20, 40, 20, 10]}), SCALE, "T")
    else:
        values = pd.DataFrame({"municipality_code": ["179", "182"], "value": [10.0, 30.0]})
        fig = municipality_map(
            values, "Kartta", region=read_region(PROJECT_REFERENCE), value_label="yhdistystä"
        )
    source_note(fig, 120, "2026-11-22", "kysely")
    found = text_colours(fig)
    assert len(found) > 3
    for what, colour, background in found:
        assert contrast_ratio(colour, background) >= MINIMUM, (what, colour, background)


# --- the band above the plot, years ------------------------------------------


def test_top_band_stacks_toolbar_title_legend_without_overlap_at_phone_width():
    long_title = "Tavoitteiden eteneminen: Jyväskylän seutukunta ja sen kunnat"
    fig = go.Figure(
        [go.Bar(x=[1], y=["a"], name=f"{p} {SCALE[p]}") for p in SCALE],
        layout={"title": long_title, "height": 500},
    )
    bundle = SiteRenderer().to_mimebundle(fig.to_dict())
    layout = bundle["application/vnd.plotly.v1+json"]["layout"]
    title_top_px = (1 - layout["title"]["y"]) * 500
    assert title_top_px >= TOOLBAR_PX  # below the toolbar's row
    lines = layout["title"]["text"].split("<br>")
    assert len(lines) == 2 and all(len(line) <= 40 for line in lines)
    assert " ".join(lines) == long_title
    legend_top_px = (1 - layout["legend"]["y"]) * 500
    assert layout["legend"]["yref"] == "container" and layout["legend"]["yanchor"] == "top"
    assert legend_top_px >= title_top_px + 2 * 24  # after both title lines
    # The five entries take three rows on a phone; the plot starts below them.
    assert legend_rows([t.name for t in fig.data]) == 3
    assert layout["margin"]["t"] >= legend_top_px + 3 * 24


def test_one_trace_has_no_legend_and_a_short_title_stays_whole():
    fig = go.Figure(go.Bar(x=[1], y=[2]), layout={"title": "Lyhyt"})
    layout = SiteRenderer().to_mimebundle(fig.to_dict())["application/vnd.plotly.v1+json"]["layout"]
    assert layout["title"]["text"] == "Lyhyt"
    assert "legend" not in layout
    assert legend_rows(["a", "b"]) == 1


def test_year_axes_are_not_grouped_but_counts_are():
    fig = go.Figure([go.Bar(x=[1998, 2005, 2026], y=[1200, 15, 3400]), go.Scatter(x=[2000], y=[5])])
    layout = SiteRenderer().to_mimebundle(fig.to_dict())["application/vnd.plotly.v1+json"]["layout"]
    assert layout["xaxis"]["tickformat"] == "d" and layout["xaxis"]["hoverformat"] == "d"
    assert "tickformat" not in layout.get("yaxis", {})  # 15 is no year: counts keep "1 200"
    assert pio.templates[TEMPLATE_NAME].layout.yaxis.separatethousands is True


def test_ipa_without_a_suppressed_column_draws_every_row_with_means():
    table = ipa_table().drop(columns="suppressed")
    fig = ipa_chart(table, 3.5, 3.0, "Otsikko")
    assert sum(len(p) for p in drawn_points(fig).values()) == 4  # e has no means


def test_source_note_breaks_into_lines_a_phone_can_show():
    fig = source_note(go.Figure(), 2021, "2026-11-01", "yhdistysrekisteri")
    text = fig.layout.annotations[0].text
    assert text == "n = 2\u00a0021 · Lähde: yhdistysrekisteri<br>Aineiston päiväys 1.11.2026"
    short = source_note(go.Figure(), 12, None, "kysely").layout.annotations[0].text
    assert short == "n = 12 · Lähde: kysely"


def test_outside_bar_labels_are_not_cut_at_the_plot_edge():
    from tilannekuva.charts.layout import keep_outside_labels

    fig = go.Figure(
        go.Bar(
            x=[2180, 40],
            y=["Jyväskylä", "Luhanka"],
            orientation="h",
            text=["2 180", "40"],
            textposition="outside",
        )
    ).to_dict()
    keep_outside_labels(fig)
    assert fig["data"][0]["cliponaxis"] is False
    assert fig["layout"]["xaxis"]["range"][1] >= 2180 * 1.2
