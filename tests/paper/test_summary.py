"""The report's summary page on hand-made claims and checks."""

from __future__ import annotations

import pandas as pd

from downstream_safety.paper.summary import summary_html


def test_summary_page_lists_counts_reasons_provenance_and_settings():
    claims = pd.DataFrame(
        {
            "claim_id": ["C001", "C004", "C075", "C036", "C017"],
            "section": ["s"] * 5,
            "quantity": ["participants", "participants", "share <96%>", "pay", "questions"],
            "published": ["18", "18", "96", "20", "5"],
            "number_key": ["n_participants", "n_participants", "pct_top2__x", "", "protocol"],
            "basis": ["reconstructed", "reconstructed", "reconstructed", "design", "instrument"],
            "evidence_of": ["analysis_code"] * 3 + ["nothing", "transcription"],
            "computed": ["18", "18", "97", "", "5"],
            "status": [
                "reproduced",
                "reproduced",
                "reproduced_assuming",
                "not_computable",
                "reproduced",
            ],
            "note": ["", "", "impossible at n = 86", "not data", ""],
        }
    )
    audit = pd.DataFrame(
        {
            "check": ["grim", "grimmer"],
            "target": ["C075", "C105"],
            "source": ["published", "published"],
            "reported": ["96", "3.04"],
            "n": [86, 86],
            "items": [1, 1],
            "recomputed": ["", ""],
            "result": ["inconsistent", "not_applicable"],
            "note": ["", "no SD"],
        }
    )
    tests = {"alternative": "two-sided", "alpha": 0.05}
    page = summary_html(claims, audit, tests, 7, "none configured", "Records <made up> here.")
    assert page.startswith("<!DOCTYPE html>")
    # Distinct quantities by basis and status: C001 and C004 print one quantity.
    row = (
        '<tr><td>reconstructed</td><td>analysis_code</td><td class="reproduced">reproduced'
        "</td><td>2</td><td>1</td></tr>"
    )
    assert row in page
    assert '<td class="reproduced_assuming">reproduced_assuming</td><td>1</td><td>1</td>' in page
    assert "2 distinct published quantities recomputed from reconstructed records" in page
    assert "(1 reproduced, 1 only under a stated assumption, 0 differ)" in page
    assert "1 counted from instrument tables" in page
    assert "No published claim was checked against real data." in page
    assert "impossible at n = 86" in page and "not data" in page
    assert "share &lt;96%&gt;" in page  # escaped
    assert "<p>Records &lt;made up&gt; here.</p>" in page and "none configured" in page
    assert "<h1>Study: replication summary</h1>" in page
    assert "<td>alternative</td><td>two-sided</td>" in page and "Seed of the analysis: 7" in page


def test_summary_page_without_published_numbers():
    page = summary_html(None, None, {"alpha": 0.05}, 7, "", "Synthetic.", title="Pilot <B>")
    assert "<h1>Pilot &lt;B&gt;: summary of the run</h1>" in page
    assert "This study has no claims registry" in page
    assert "published" not in page.replace("paper.published_claims", "")
    assert "snapshot" not in page  # no incident strand: nothing said of a snapshot
    assert "paper.published_claims" in page and "is null" in page
    assert "Claims not reproduced" not in page and "Consistency checks" not in page
    assert "<td>alpha</td><td>0.05</td>" in page and page.endswith("</html>\n")
