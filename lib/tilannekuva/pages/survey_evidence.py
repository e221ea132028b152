"""The tracker's section on the other surveys (40_painopisteet): their evidence on the items.

Kept apart from :mod:`tilannekuva.pages.priorities` so that the tracker's own
tables and this section change independently. The figures come from
:mod:`tilannekuva.analysis.evidence`.
"""

from __future__ import annotations

import pandas as pd
from IPython.display import HTML

from tilannekuva.analysis.evidence import evidence
from tilannekuva.formats import fi_interval
from tilannekuva.knowledge.base import load_knowledge_base
from tilannekuva.pages.common import PageData
from tilannekuva.pages.present import TableBlock


def other_surveys_evidence(data: PageData) -> TableBlock | HTML:
    """Evidence on the items and goals from surveys other than the default one (``about:``).

    One row per item, survey, question and round: n and the mean (for an
    importance–state pair's row, the mean gap) with its 95 % interval, shown
    only when its own n reaches the threshold.
    """
    table = evidence(data.layout, data.threshold, include_default=False)
    if table.empty:
        return HTML(
            "<p>Muista kyselyistä ei ole vielä tuloksia, jotka koskisivat yhteistyöasioita "
            "tai tavoitteita.</p>"
        )
    kb = load_knowledge_base(data.layout)
    titles = {entry.id: entry.title for entry in kb.entries}
    order = {entry_id: i for i, entry_id in enumerate(titles)}
    table = table.assign(order=table["item"].map(order)).sort_values(["order", "survey", "round"])
    frame = pd.DataFrame(
        {
            "Asia tai tavoite": [titles.get(i, i) for i in table["item"]],
            "Kysely": table["survey_title"],
            "Kysymys": table["question"],
            "Kierros": table["round"],
            "n": [int(n) if n >= data.threshold else f"<{data.threshold}" for n in table["n"]],
            # A mean, or for a pair's row (the scale column says so) the gap.
            "Tulos": [
                float(r) if shown else f"alle {data.threshold} vastausta"
                for r, shown in zip(table["result"], table["shown"], strict=True)
            ],
            "95 %:n luottamusväli": [
                fi_interval(lo, hi, 2) if shown else "–"
                for lo, hi, shown in zip(table["low"], table["high"], table["shown"], strict=True)
            ],
            "Asteikko": [
                f"tärkeyden ja toteutumisen ero, {lo}–{hi}" if measure == "gap" else f"{lo}–{hi}"
                for lo, hi, measure in zip(
                    table["scale_low"], table["scale_high"], table["measure"], strict=True
                )
            ],
        }
    )
    return TableBlock(
        frame,
        "Näyttö yhteistyöasioista ja tavoitteista muissa kyselyissä",
        "naytto-muista-kyselyista",
        numeric=("n", "Tulos"),
    )
