"""Screening, item statistics, paired tests and demographics, per wave and pooled."""

import json

from downstream_safety.common.logging import script_logging
from downstream_safety.common.tableio import atomic_write_text, read_table, write_table
from downstream_safety.instruments.design import from_job
from downstream_safety.survey import analysis, schemas
from downstream_safety.survey.stats import WilcoxonSettings

with script_logging(snakemake) as log:  # noqa: F821
    out = snakemake.output  # noqa: F821
    design = from_job(snakemake)  # noqa: F821
    order = list(snakemake.params.wave_order)  # noqa: F821
    settings = WilcoxonSettings.from_config(snakemake.params.tests)  # noqa: F821
    responses = read_table(snakemake.input.responses, schemas.responses_schema(design))  # noqa: F821
    platform = "nonresponses" in snakemake.input.keys()  # noqa: F821  (a platform export)
    nonresponses = (
        read_table(snakemake.input.nonresponses, schemas.nonresponses_schema())  # noqa: F821
        if platform
        else None
    )
    write_table(analysis.screening_table(responses, design, order, nonresponses), out.screening,
                schemas.screening_schema(design, platform))  # fmt: skip
    summary, levels = analysis.item_tables(responses, design, order)
    write_table(summary, out.item_summary, schemas.item_summary_schema(design))
    write_table(levels, out.item_levels, schemas.item_levels_schema(design))
    tests = analysis.practice_tests(responses, design, order, settings)
    write_table(tests, out.practice_tests, schemas.practice_tests_schema(design))
    per_wave = int((tests["wave"] == order[0]).sum()) if order else 0
    meta = {
        "table": "data/processed/survey/practice_tests.csv",
        "test": "scipy.stats.wilcoxon(a, b)",
        "settings": settings.__dict__,
        "effect_size_d": "(mean_a - mean_b) / sqrt((sd_a^2 + sd_b^2) / 2), sample SDs (ddof=1)",
        "effect_size_r": "|z| / sqrt(n_pairs)",
        "rank_biserial": "matched-pairs rank-biserial correlation (R+ - R-) / (R+ + R-)",
        "p_adjusted": f"{settings.p_adjust} over the tests of one wave "
        f"({per_wave} for {tests['practice'].nunique()} practices)",
        "pairs": "respondents who answered both items",
    }
    atomic_write_text(out.settings, json.dumps(meta, indent=2, sort_keys=True) + "\n")
    write_table(analysis.demographics_table(responses, design, order), out.demographics,
                schemas.demographics_schema(design))  # fmt: skip
    log.info("test settings: %s", settings)
