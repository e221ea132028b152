"""Small-cell suppression of every figure derived from survey answers (privacy.md §3).

Primary: a group with fewer than ``min_group_size`` respondents (default 5,
``data/config/privacy.yaml``) shows no figure. Secondary: when the groups'
total is published (a region total, the other groups' n and means), hidden
groups are added, smallest first, until the hidden groups together hold at
least the threshold: then neither a hidden count nor a hidden mean can be
narrowed to fewer than ``threshold`` possibilities from the published total
and the other cells (the same rule keeps a municipality from being derived as
the region minus the other municipalities). A suppressed value is NA with
``suppressed = True``; pages show it as ``<5`` (counts) or ``–`` (other
figures), never as 0. Register counts of associations are public facts and
are not suppressed.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from tilannekuva.paths import DataLayout


def min_group_size(layout: DataLayout) -> int:
    """The threshold of ``layout``'s data directory (its own privacy.yaml, else the project's)."""
    from tilannekuva.settings import PRIVACY_FILE, PrivacySettings

    return PrivacySettings.read(layout.config_file(PRIVACY_FILE)).min_group_size


def hidden_groups(
    n: Sequence[int], threshold: int, total_known: bool = True, unpublished: Sequence[bool] = ()
) -> list[bool]:
    """Which groups to hide: primary (n < threshold) plus secondary when a total is known.

    ``unpublished`` marks parts of the partition that no page shows (e.g. the
    respondents who answered "Koko maakunta" on sub-region pages): they count
    as hidden cells that protect the others.
    """
    counts = [int(v) for v in n]
    hide = [v < threshold for v in counts]
    for i, flag in enumerate(unpublished):
        hide[i] = hide[i] or bool(flag)
    if total_known and any(hide):
        # The hidden groups' sum is known from the total; it must not pin any of them down.
        order = sorted(range(len(counts)), key=lambda i: (counts[i], i))
        for i in order:
            hidden = [j for j, h in enumerate(hide) if h]
            if len(hidden) >= 2 and sum(counts[j] for j in hidden) >= threshold:
                break
            if len(hidden) == len(counts):
                break
            if not hide[i]:
                hide[i] = True
    return hide


def suppress_groups(
    frame: pd.DataFrame,
    n_col: str = "n",
    value_cols: Sequence[str] = (),
    *,
    threshold: int,
    total_known: bool = True,
) -> pd.DataFrame:
    """``frame`` (one row per group) with small groups' n and values set to NA.

    Adds a boolean ``suppressed`` column. ``total_known``: the groups' total (or
    the whole population's figure) is published alongside, so secondary
    suppression applies.
    """
    out = frame.copy()
    hide = pd.Series(hidden_groups(out[n_col].fillna(0), threshold, total_known), index=out.index)
    out["suppressed"] = hide
    out[n_col] = out[n_col].astype("Int64").mask(hide)
    for column in value_cols:
        out[column] = out[column].astype("Float64").mask(hide)
    return out


def show_count(value: object, suppressed: bool, threshold: int) -> str:
    """A count as the page shows it: ``<5`` when suppressed."""
    from tilannekuva.formats import fi_number

    return f"<{threshold}" if suppressed else fi_number(value)


def show_value(value: object, suppressed: bool, decimals: int = 1) -> str:
    """A mean, share or interval bound as shown: ``–`` when suppressed."""
    from tilannekuva.formats import fi_number

    return "–" if suppressed else fi_number(value, decimals)
