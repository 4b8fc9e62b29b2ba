"""Render the demographics of the valid respondents as CSV, Markdown and LaTeX."""

import pandas as pd

from downstream_safety.common.logging import script_logging
from downstream_safety.common.tableio import read_table
from downstream_safety.common.writers import write_table_formats
from downstream_safety.survey import schemas

QUESTIONS = {
    "ai_projects": "AI-based software projects built with pre-trained models",
    "dl_experience": "Deep-learning experience",
    "se_experience": "Software-engineering experience",
}

with script_logging(snakemake):  # noqa: F821
    out = snakemake.output  # noqa: F821
    demo = read_table(snakemake.input.demographics, schemas.DEMOGRAPHICS)  # noqa: F821
    waves = list(dict.fromkeys(demo["wave"]))
    wide = demo.pivot_table(
        index=["question", "answer_order", "answer"], columns="wave", values=["n", "percent"]
    )
    rows = []
    for (question, _, answer), r in wide.sort_index().iterrows():
        row = {"question": question, "answer": answer}
        for w in waves:
            row[f"n_{w}"] = int(r[("n", w)])
            row[f"percent_{w}"] = r[("percent", w)]
        rows.append(row)
    table = pd.DataFrame(rows)
    display = pd.DataFrame(
        {
            "Question": table["question"].map(QUESTIONS),
            "Answer": table["answer"],
            **{
                f"{w} n (%)": [
                    f"{n} ({p:.0f}%)"
                    for n, p in zip(table[f"n_{w}"], table[f"percent_{w}"], strict=True)
                ]
                for w in waves
            },
        }
    )
    n_valid = {w: int(demo[(demo.wave == w) & (demo.question == "ai_projects")]["n"].sum())
               for w in waves}  # fmt: skip
    write_table_formats(
        table,
        out.csv,
        out.md,
        out.tex,
        display=display,
        caption="Survey respondents' background (valid respondents)",
        label="tab:survey-demographics",
        note="Valid respondents per wave: "
        + ", ".join(f"{w} = {n}" for w, n in n_valid.items())
        + ". Reconstructed data, not the study's original responses.",
    )
