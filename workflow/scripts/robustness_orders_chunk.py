"""One chunk of random interview orders: the saturation point of each."""

from downstream_safety.common.logging import script_logging
from downstream_safety.common.tableio import read_table, write_table
from downstream_safety.instruments.design import from_job
from downstream_safety.interviews import schemas as interview_schemas
from downstream_safety.interviews.load import load_participants
from downstream_safety.robustness import schemas, seeds
from downstream_safety.robustness.orders import interview_sets, order_points
from downstream_safety.robustness.settings import stage_design

smk = snakemake  # noqa: F821
with script_logging(smk) as log:
    study = from_job(smk)
    inp, design, cfg = smk.input, stage_design(study), smk.params.settings
    order = load_participants(inp.participants, study)["participant_id"].tolist()
    segments = read_table(inp.segments, interview_schemas.segments_clean_schema(study))
    sets = interview_sets(segments, order, design["rqs"])
    methods = [m["id"] for m in cfg["choices"]["saturation"]]
    draws = seeds.chunk_range(cfg["n_orders"], cfg["chunks"], smk.params.chunk)
    points = order_points(sets, methods, cfg["saturation_params"], cfg["seed"], draws)
    log.info("orders %s", draws)
    write_table(points, smk.output.chunk, schemas.ORDER_POINTS)
