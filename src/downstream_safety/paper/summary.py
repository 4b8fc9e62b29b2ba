"""The first page a reviewer reads in the HTML report: what the recomputed
published numbers show if the study has a claims registry (distinct quantities
by basis and status), which were not reproduced and why, what the consistency
checks found, where the data come from and which statistical settings were used."""

from __future__ import annotations

import base64
import html
from pathlib import Path

import numpy as np
import pandas as pd

from downstream_safety.paper.claims import distinct_counts, headline

STYLE = (
    "body{font-family:sans-serif;max-width:60em;margin:1em auto;line-height:1.4}"
    "table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #bbb;padding:.2em .5em;"
    "text-align:left;vertical-align:top}th{background:#eee}.reproduced{color:#009E73}"
    ".differs{color:#D55E00}.not_computable{color:#666}.reproduced_assuming{color:#E69F00}"
)


def _table(df: pd.DataFrame, status_col: str | None = None) -> str:
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in df.columns)
    body = []
    for row in df.itertuples(index=False):
        cells = []
        for col, v in zip(df.columns, row, strict=True):
            cls = f' class="{html.escape(str(v))}"' if col == status_col else ""
            text = "" if pd.isna(v) else str(v)
            cells.append(f"<td{cls}>{html.escape(text)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


NO_CLAIMS = (
    "<p>This study has no claims registry (<code>paper.published_claims</code> is null): "
    "no computed number was compared with a printed one, and the consistency audit was "
    "skipped. Every table, figure and number of the run was still built.</p>"
)


def summary_html(
    claims: pd.DataFrame | None,
    audit: pd.DataFrame | None,
    tests: dict,
    seed: object,
    snapshot_label: str,
    provenance: str,
    real: dict | None = None,
    *,
    title: str = "Study",
) -> str:
    """``claims`` and ``audit`` are None for a study without published numbers;
    ``provenance`` is the config's ``provenance.description``; ``real`` holds the
    real-data check tables (checks, cset, pairs, figure path, keywords or None);
    ``title`` is the config's ``study.title``. An empty ``snapshot_label``: the
    study has no incident strand, so the page says nothing of a snapshot."""
    claimed = claims is not None and audit is not None
    heading = html.escape(f"{title}: {'replication summary' if claimed else 'summary of the run'}")
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{heading}</title>",
        f"<style>{STYLE}</style></head><body>",
        f"<h1>{heading}</h1>",
    ]
    if not claimed:
        parts += ["<h2>Claims registry</h2>", NO_CLAIMS]
    else:
        parts += ["<h2>What the published numbers show</h2>", *_audit_parts(claims, audit)]
        if real is not None:
            parts += _real_parts(claims, real)
    return "\n".join(parts + _run_parts(tests, seed, snapshot_label, provenance)) + "\n"


def _audit_parts(claims: pd.DataFrame, audit: pd.DataFrame) -> list[str]:
    parts = [
        f"<p><strong>{html.escape(headline(claims))}</strong></p>",
        '<p>The checks against real data are in <a href="#real-data-checks">Real-data '
        "checks</a>.</p>"
        if (claims["basis"] == "real").any()
        else "",
        _table(distinct_counts(claims), status_col="status"),
        f"<p>{len(claims)} published claims in all. Several claims print the same quantity "
        "(the incident total five times), so <em>quantities</em> counts the distinct "
        "computed quantities each group compares (the <code>number_key</code> column of "
        "<code>paper/claims.csv</code>). Each value is compared at the precision the paper "
        "prints. <code>basis</code> says what the computed value rests on: "
        "<em>reconstructed</em> records were written to match the paper, so agreement "
        "checks the analysis code, not the study; <em>instrument</em> counts come from "
        "instrument tables transcribed from the paper; <em>design</em> values are settings "
        "of the study design or of a generator and are never compared; <em>real</em> "
        "values come from real external data and are the only evidence of replication; "
        "<em>none</em> is not computable. <em>reproduced_assuming</em>: reproduced only "
        "under the assumption named in the note.</p>",
    ]
    open_claims = claims[claims["status"] != "reproduced"]
    if not open_claims.empty:
        parts += [
            "<h3>Claims not plainly reproduced, with the reason</h3>",
            _table(
                open_claims[
                    ["claim_id", "quantity", "basis", "published", "computed", "status", "note"]
                ],
                status_col="status",
            ),
        ]
    parts.append("<h2>Consistency checks</h2>")
    if audit.empty:
        parts.append("<p>No checks were run.</p>")
    else:
        tally = (
            audit.groupby(["check", "source", "result"], sort=True).size().rename("n").reset_index()
        )
        parts += [
            _table(tally, status_col=None),
            "<p>GRIM: can a mean (or percentage) arise from n integer answers? GRIMMER: can "
            "the standard deviation arise as well (the paper reports none, so it is not "
            "applicable)? statcheck: does the p-value recomputed from the test statistic "
            "print as the reported one? Details in <code>paper/audit.csv</code>.</p>",
        ]
        bad = audit[audit["result"] == "inconsistent"]
        if not bad.empty:
            parts += ["<h3>Inconsistent values</h3>", _table(bad)]
    return parts


def _fmt(df: pd.DataFrame, digits: int = 2) -> pd.DataFrame:
    """Floats at fixed decimals (same bytes on every run), NaN as empty."""
    out = df.copy()
    for c in out.columns:
        if pd.api.types.is_float_dtype(out[c]):
            out[c] = [("" if pd.isna(v) else f"{v:.{digits}f}") for v in out[c]]
    return out


def _real_parts(claims: pd.DataFrame, real: dict) -> list[str]:
    from downstream_safety.incidents.realdata import alpha_summary
    from downstream_safety.paper.claims import real_part

    checks, cset, pairs, keywords = real["checks"], real["cset"], real["pairs"], real["keywords"]
    png = base64.b64encode(Path(real["figure"]).read_bytes()).decode("ascii")
    own = claims[(claims["basis"] != "real") & claims["number_key"].str.startswith("kappa__")]
    own_kappa = ", ".join(sorted(set(own["published"]))) or "not stated"
    a = alpha_summary(cset)
    nominal = (
        ""
        if np.isnan(a["median"])
        else (
            f"median {a['median']:.2f} over {int(a['n_fields'])} nominal fields "
            f"(range {a['min']:.2f} to {a['max']:.2f})"
        )
    )
    shown = checks[["claim_id", "compared", "published", "real", "difference", "verdict", "reason"]]
    parts = [
        '<h2 id="real-data-checks">Real-data checks</h2>',
        f"<p><strong>{html.escape(real_part(claims))}</strong></p>",
        "<p>The published incident findings are compared with labels other people gave the "
        "same public database: the AI Incident Database's MIT AI Risk Repository "
        "classification, mapped to the study's labels through the package's reviewed "
        "crosswalk in three variants (as it is; without the rows the crosswalk's notes call "
        "weak; with false or misleading information also counted as irresponsible use). The "
        "MIT classification gives one subdomain per incident where the study gave about 1.5 "
        "labels, so a category is judged on its share of all labels (the published count over "
        "all published labels), with the share of incidents beside it: <em>corroborated</em> "
        "when every variant is within the tolerance, <em>contradicted</em> when none is, "
        "<em>mixed</em> otherwise. The data are the committed extract of a public snapshot "
        "(<code>data/raw/incidents/aiid/</code>, CC BY-SA 4.0). Values per variant are "
        "separated by semicolons. Details: <code>data/processed/incidents/real_checks.csv"
        "</code>.</p>",
        _table(shown, status_col="verdict"),
        f'<p><img alt="Published share of labels beside the real crosswalk shares" '
        f'src="data:image/png;base64,{png}" style="max-width:100%"></p>',
        "<h3>Agreement reference: CSET v1 annotators</h3>",
        "<p>The snapshot's CSET v1 taxonomy was annotated by several people in separate files, "
        "which gives a real measure of how far annotators of AIID incidents agree. "
        f"Krippendorff's alpha between the annotator files: {html.escape(nominal)}; "
        "multi-valued fields use the MASI distance. This is another taxonomy with other "
        f"annotators: it is a reference for reading the study's own kappa ({own_kappa}), not "
        "a check of it.</p>",
        _table(_fmt(cset)),
        "<p>Cohen's kappa per pair of annotator files that share enough incidents "
        "(<code>incidents.real_checks.min_shared_incidents</code>):</p>",
        _table(_fmt(pairs)),
        "<h3>Keyword pre-annotation quality</h3>",
    ]
    if keywords is None:
        parts.append(
            "<p>Not computed in this run: "
            "<code>data/processed/incidents/keyword_quality.csv</code> is not among the "
            "inputs of the summary page.</p>"
        )
    else:
        parts += [
            "<p>Keyword suggestions (the committed keyword rules over each incident's title "
            "and description, kept in the extract as labels only by <code>aiid-extract</code>) "
            "against the MIT-crosswalk labels on the snapshot incidents with an MIT "
            "classification; <em>all</em> pools every "
            "incident x label decision. The worksheet uses these suggestions for every "
            "incident the MIT classification does not cover.</p>",
            _table(_fmt(keywords)),
        ]
    return parts


def _run_parts(tests: dict, seed: object, snapshot_label: str, provenance: str) -> list[str]:
    settings = pd.DataFrame({"setting": list(tests), "value": [str(tests[k]) for k in tests]})
    parts = ["<h2>Data provenance</h2>", f"<p>{html.escape(provenance)}</p>"]
    if snapshot_label:
        parts.append(
            "<p>Incident database snapshot (<code>incidents.aiid_snapshot</code>): "
            f"{html.escape(snapshot_label)}.</p>"
        )
    parts.append("<h2>Statistical settings</h2>")
    if tests:  # the survey strand runs
        parts += [
            "<p>Wilcoxon signed-rank tests between concern contexts "
            "(<code>survey.tests</code> in the config):</p>",
            _table(settings),
        ]
    return [*parts, f"<p>Seed of the analysis: {html.escape(str(seed))}.</p>", "</body></html>"]
