"""Keyword pre-annotation quality from the committed AIID extract: the keyword
suggestions it holds against the MIT-crosswalk labels, per label and pooled."""

from downstream_safety.common.logging import script_logging
from downstream_safety.common.tableio import write_table
from downstream_safety.incidents import realdata, schemas
from downstream_safety.incidents.load import Taxonomy, load_crosswalk
from downstream_safety.instruments.design import from_job

with script_logging(snakemake) as log:  # noqa: F821
    inp, out = snakemake.input, snakemake.output  # noqa: F821
    taxonomy = Taxonomy.of(from_job(snakemake))  # noqa: F821
    folder = str(inp.suggestions).rsplit("/", 1)[0]
    realdata.check_rules_recorded(folder, inp.keyword_rules)
    suggested = realdata.load_keyword_suggestions(folder, taxonomy)
    crosswalk = load_crosswalk(inp.crosswalk, taxonomy)
    quality = realdata.keyword_quality(
        suggested, realdata.load_mit(folder), crosswalk, taxonomy.labels
    )
    pooled = quality.set_index("subtheme_id").loc["all"]
    log.info("keyword quality (pooled): kappa %.3f, F1 %.3f", pooled["kappa"], pooled["f1"])
    write_table(quality, out.keyword_quality, schemas.KEYWORD_QUALITY)
