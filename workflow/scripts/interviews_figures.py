"""Figure 2 (coding chain of one example) and the saturation curves."""

from pathlib import Path

from downstream_safety.common.figures import save_figure
from downstream_safety.common.logging import script_logging
from downstream_safety.common.tableio import read_table
from downstream_safety.instruments.load import load_codebook
from downstream_safety.interviews import schemas
from downstream_safety.interviews.figures import (
    coding_chain_figure,
    pick_example,
    saturation_figure,
)

smk = snakemake  # noqa: F821
with script_logging(smk) as log:
    inp = smk.input
    seg = read_table(inp.segments, schemas.SEGMENTS_CLEAN)
    codes = read_table(inp.codes, schemas.CODES_CLEAN)
    subs = read_table(inp.subthemes, schemas.SUBTHEME_PARTICIPANTS)
    example = pick_example(seg, subs, smk.params.example)
    log.info("Figure 2 example: segment %s", example["segment_id"])
    save_figure(
        coding_chain_figure(example, codes, subs, load_codebook()),
        Path(smk.output.fig2_pdf).with_suffix(""),
    )
    curves = read_table(inp.curves, schemas.SATURATION)
    summary = read_table(inp.summary, schemas.SATURATION_SUMMARY)
    save_figure(saturation_figure(curves, summary), Path(smk.output.sat_pdf).with_suffix(""))
