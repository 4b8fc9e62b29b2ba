"""Figure 2 (coding chain of one example) and the saturation curves."""

from pathlib import Path

from downstream_safety.common.figures import save_figure
from downstream_safety.common.logging import script_logging
from downstream_safety.common.tableio import read_table
from downstream_safety.instruments.design import from_job
from downstream_safety.interviews import schemas
from downstream_safety.interviews.figures import (
    coding_chain_figure,
    pick_example,
    saturation_figure,
)

smk = snakemake  # noqa: F821
with script_logging(smk) as log:
    design = from_job(smk)
    inp = smk.input
    seg = read_table(inp.segments, schemas.segments_clean_schema(design))
    codes = read_table(inp.codes, schemas.codes_clean_schema(design))
    subs = read_table(inp.subthemes, schemas.subtheme_participants_schema(design))
    example = pick_example(seg, subs, smk.params.example)
    log.info("Figure 2 example: segment %s", example["segment_id"])
    save_figure(
        coding_chain_figure(example, codes, subs, design),
        Path(smk.output.fig2_pdf).with_suffix(""),
    )
    curves = read_table(inp.curves, schemas.saturation_schema(design))
    summary = read_table(inp.summary, schemas.saturation_summary_schema(design))
    save_figure(
        saturation_figure(curves, summary, design.rqs), Path(smk.output.sat_pdf).with_suffix("")
    )
