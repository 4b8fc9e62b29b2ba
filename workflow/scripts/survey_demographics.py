"""Render the demographics of the valid respondents as CSV, Markdown and LaTeX."""

import pandas as pd

from downstream_safety.common.logging import script_logging
from downstream_safety.common.tableio import read_table
from downstream_safety.common.writers import write_table_formats
from downstream_safety.instruments.design import from_job
from downstream_safety.survey import schemas

with script_logging(snakemake):  # noqa: F821
    out = snakemake.output  # noqa: F821
    design = from_job(snakemake)  # noqa: F821
    platform = snakemake.params.get("platform", False)  # noqa: F821  (a platform export)
    demo = read_table(snakemake.input.demographics, schemas.demographics_schema(design),  # noqa: F821
                      allow_empty=True)  # fmt: skip
    screening = read_table(snakemake.input.screening, schemas.screening_schema(design, platform))  # noqa: F821
    waves = screening["wave"].tolist()
    # Questions in design order, answers in option order.
    demo["question_order"] = demo["question"].map(
        {q: i for i, q in enumerate(design.demographic_ids)}
    )
    rows = []
    for (_, question, _, answer), g in demo.groupby(
        ["question_order", "question", "answer_order", "answer"], sort=True
    ):
        r = g.set_index("wave")
        row = {"question": question, "answer": answer}
        for w in waves:
            row[f"n_{w}"] = int(r.at[w, "n"])
            row[f"percent_{w}"] = r.at[w, "percent"]
        rows.append(row)
    columns = ["question", "answer"] + [f"{p}_{w}" for w in waves for p in ("n", "percent")]
    table = pd.DataFrame(rows, columns=columns)
    display = pd.DataFrame(
        {
            "Question": table["question"].map(design.question_label),
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
    n_valid = dict(zip(screening["wave"], screening["valid"], strict=True))
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
        + f". {snakemake.params.provenance}.",  # noqa: F821
    )
