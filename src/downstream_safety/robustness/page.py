"""The Robustness page of the HTML report: counts first, then every conclusion."""

from __future__ import annotations

import html

import pandas as pd

from downstream_safety.robustness.multiverse import VERDICTS


def headline(summary: pd.DataFrame) -> str:
    counts = summary["verdict"].value_counts()
    parts = ", ".join(f"{int(counts.get(v, 0))} {v}" for v in VERDICTS)
    return f"{len(summary)} conclusions tested: {parts}."


def render(summary: pd.DataFrame, specs: pd.DataFrame, choices: dict) -> str:
    head = html.escape(headline(summary))
    options = "".join(
        f"<li><b>{html.escape(k)}</b>: "
        + ", ".join(html.escape(o["id"]) + (" (paper)" if o.get("paper") else "") for o in v)
        + "</li>"
        for k, v in choices.items()
    )
    rows = "".join(
        "<tr>"
        + "".join(
            f"<td>{html.escape(str(r[c]))}</td>"
            for c in ["claim_id", "conclusion", "n_specifications", "n_hold", "verdict"]
        )
        + f"<td>{r['share_hold']:.2f}</td></tr>"
        for _, r in summary.iterrows()
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Robustness</title>
<style>body{{font-family:sans-serif;max-width:60em;margin:2em auto}}
td,th{{border-bottom:1px solid #ccc;padding:2px 6px;text-align:left}}</style></head>
<body>
<h1>Robustness</h1>
<p id="counts"><b>{head}</b></p>
<p>A conclusion is <i>robust</i> when it holds in every specification, <i>fragile</i> when
it holds in some, <i>contrary</i> when in none. {len(specs)} specification rows in all
(data/processed/robustness/specifications.csv).</p>
<h2>Choices varied</h2><ul>{options}</ul>
<h2>Conclusions</h2>
<table><tr><th>claim</th><th>conclusion</th><th>specifications</th><th>hold</th>
<th>verdict</th><th>share</th></tr>{rows}</table>
</body></html>
"""
