"""The output scanner catches what redaction missed, in the forms a page holds it,
and leaves the site's own technical content alone."""

from __future__ import annotations

import json

import pandas as pd
import plotly.graph_objects as go
import pytest
from tilannekuva.charts.render import SiteRenderer
from tilannekuva.privacy.scan import check_site, scan_paths

# Written into a page by a path that skipped redaction, typed oddly, and encoded
# as an HTML page encodes it.
PLANTED_HTML = [
    ("<p>Hetu 131052&ndash;308T</p>", "hetu"),
    ("<p>Hetu 131052&nbsp;-&nbsp;308T</p>", "hetu"),
    ("<p>matti &#65312; yhdistys.fi</p>", "email"),
    ("<p>mat&#8203;ti@yhdistys.fi</p>", "email"),
    ("<p>puh.0401234567</p>", "phone"),
    ("<p>358 40 123 4567</p>", "phone"),
    ("<p>Tili fi21-1234-5600-0007-85</p>", "iban"),
    ("<p>Kauppak. 12, 40100 Jyväskylä</p>", "address"),
    ('<a href="https://x.fi/?to=matti%40yhdistys.fi">linkki</a>', "url"),
    ('<a href="mailto:matti%40yhdistys.fi">kirjoita</a>', "email"),
    ('<abbr title="soita 050&#8209;765&#8209;4321">?</abbr>', "phone"),
    ('<img alt="Vapaudenk 5 B 7" src="kuva.png">', "address"),
    ('<script>{"text": ["vastaaja 131052\\u2013308T"]}</script>', "hetu"),
    ('<script>{"text": ["matti\\uff20yhdistys.fi"]}</script>', "email"),
    ("<p>Osoite <b>Kauppakatu 12</b></p>", "address"),  # inline markup does not split it
]


def _page(body: str) -> str:
    return f'<!doctype html><html lang="fi"><head><meta charset="utf-8"></head><body>{body}</body></html>'


@pytest.mark.parametrize("body,kind", PLANTED_HTML)
def test_html_plants_are_found(tmp_path, body, kind):
    page = tmp_path / "sivu.html"
    page.write_text(_page(body), encoding="utf-8")
    assert [f.kind for f in scan_paths([page])] == [kind]


def test_table_cells_are_read_apart(tmp_path):
    """A word ending like a street ("Koordinaattori") and a date in the next cell are no address."""
    page = tmp_path / "sivu.html"
    page.write_text(
        _page("<table><tr><td>Koordinaattori</td><td>2026-09-01</td></tr></table>"),
        encoding="utf-8",
    )
    assert scan_paths([page]) == []
    page.write_text(_page("<table><tr><td>Kauppatori 12</td></tr></table>"), encoding="utf-8")
    assert [f.kind for f in scan_paths([page])] == ["address"]


def test_findings_are_masked(tmp_path):
    page = tmp_path / "sivu.html"
    page.write_text(_page("<p>puh. 040 123 4567</p>"), encoding="utf-8")
    (finding,) = scan_paths([page])
    assert "123" not in str(finding) and finding.file == page


def test_notebook_outputs_json_and_parquet_are_normalised_too(tmp_path):
    notebook = tmp_path / "sivu.ipynb"
    notebook.write_text(
        json.dumps(
            {
                "cells": [
                    {
                        "cell_type": "code",
                        "source": "print(vastaus)",
                        "outputs": [
                            {"output_type": "stream", "text": ["p.040\u00a0123\u00a04567\n"]}
                        ],
                    }
                ]
            }
        ),
        encoding="utf-8",
    )
    data = tmp_path / "data.json"
    data.write_text(json.dumps({"lainaus": "FI21\u20131234\u20135600\u20130007\u201385"}))
    table = tmp_path / "survey.parquet"
    pd.DataFrame({"vapaa": ["hyvä yhteistyö", "hetu 131052\u2013308T"], "n": [1, 2]}).to_parquet(
        table
    )
    kinds = {f.file.name: f.kind for f in scan_paths([notebook, data, table])}
    assert kinds == {"sivu.ipynb": "phone", "data.json": "iban", "survey.parquet": "hetu"}


def test_the_sites_technical_content_is_not_flagged(tmp_path):
    renderer = SiteRenderer()
    figure = go.Figure(
        go.Bar(
            x=[19.454038915, 74.783236994, 0.123456789, 2407, 19347],
            y=["Jyväskylä", "Äänekoski", "Jämsä", "Muurame", "Laukaa"],
            text=["2026-09-01", "1.11.2026", "5 300", "1 250,00 €", "n = 1 234"],
            marker_color=["#000000", "#F0E442", "#0072B2", "#009E73", "#D55E00"],
            orientation="h",
        )
    )
    chart = renderer.to_mimebundle(figure.to_dict())["text/html"]
    table = (
        "<table><tr><td>Keski-Suomi</td><td>5 300</td><td>272 437</td><td>19,5</td></tr>"
        "<tr><td>Aluevaltuutettujen perehdytys</td><td>1,43 (1,27…1,59)</td><td>3,56</td>"
        "<td>2,09</td><td>233</td><td>6–12</td></tr>"
        "<tr><td>asukkaita 19 347 (2022) · rekisterissä 1 196</td><td>Y-tunnus 0123456-7</td>"
        "<td>päivitetty 2026-11-23</td><td>vastausaika 1.11.–30.11.2026</td></tr></table>"
    )
    style = "<style>.kortti{color:#000000;margin:0 0 12px 0;width:100%}</style>"
    page = tmp_path / "sivu.html"
    page.write_text(_page(style + chart + table), encoding="utf-8")
    sha = tmp_path / "survey.parquet"
    pd.DataFrame(
        {
            "source_sha256": ["16a27827e96131504007f7565" * 2, "9957770ab" * 7],
            "y_tunnus": ["1234567-8", "0195129-7"],
            "paiva": ["2026-09-01", "2026-11-23"],
        }
    ).to_parquet(sha)
    assert scan_paths([page, sha]) == []


def test_check_site_scans_site_executed_and_processed_but_not_assets(tmp_path):
    site, data = tmp_path / "site", tmp_path / "data"
    (site / "assets").mkdir(parents=True)
    (data / "build" / "executed").mkdir(parents=True)
    (data / "processed").mkdir(parents=True)
    (site / "assets" / "lue.txt").write_text("matti@yhdistys.fi")
    (site / "index.html").write_text(_page("<p>Ei henkilötietoja.</p>"), encoding="utf-8")
    (data / "build" / "executed" / "a.ipynb").write_text(
        json.dumps({"cells": [{"cell_type": "markdown", "source": "puh\uff0e040 123 4567"}]})
    )
    (data / "processed" / "b.csv").write_text("vastaus\nPL\u00a035\n", encoding="utf-8")
    kinds = sorted((f.file.name, f.kind) for f in check_site(site, data))
    assert kinds == [("a.ipynb", "phone"), ("b.csv", "address")]
