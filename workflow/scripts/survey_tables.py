"""Screening, item statistics, paired tests and demographics, per wave and pooled."""

import json

from downstream_safety.common.logging import script_logging
from downstream_safety.common.tableio import atomic_write_text, read_table, write_table
from downstream_safety.survey import analysis, schemas
from downstream_safety.survey.instrument import load_items
from downstream_safety.survey.stats import WilcoxonSettings

with script_logging(snakemake) as log:  # noqa: F821
    out = snakemake.output  # noqa: F821
    order = list(snakemake.params.wave_order)  # noqa: F821
    settings = WilcoxonSettings.from_config(snakemake.params.tests)  # noqa: F821
    items = load_items()
    responses = read_table(snakemake.input.responses, schemas.RESPONSES)  # noqa: F821
    write_table(analysis.screening_table(responses, order), out.screening, schemas.SCREENING)
    summary, levels = analysis.item_tables(responses, items, order)
    write_table(summary, out.item_summary, schemas.ITEM_SUMMARY)
    write_table(levels, out.item_levels, schemas.ITEM_LEVELS)
    tests = analysis.practice_tests(responses, items, order, settings)
    write_table(tests, out.practice_tests, schemas.PRACTICE_TESTS)
    meta = {
        "table": "data/processed/survey/practice_tests.csv",
        "test": "scipy.stats.wilcoxon(a, b)",
        "settings": settings.__dict__,
        "effect_size_d": "(mean_a - mean_b) / sqrt((sd_a^2 + sd_b^2) / 2), sample SDs (ddof=1)",
        "effect_size_r": "|z| / sqrt(n_pairs)",
        "rank_biserial": "matched-pairs rank-biserial correlation (R+ - R-) / (R+ + R-)",
        "p_adjusted": f"{settings.p_adjust} over the tests of one wave (24 for 8 practices)",
        "pairs": "respondents who answered both items",
    }
    atomic_write_text(out.settings, json.dumps(meta, indent=2, sort_keys=True) + "\n")
    write_table(analysis.demographics_table(responses, order), out.demographics,
                schemas.DEMOGRAPHICS)  # fmt: skip
    log.info("test settings: %s", settings)
