"""Build the Table 1 intermediate from the protocol instrument."""

from downstream_safety.common.logging import script_logging
from downstream_safety.common.tableio import read_table, write_table
from downstream_safety.instruments import schemas
from downstream_safety.instruments.load import load_protocol
from downstream_safety.instruments.table1 import build_table1

with script_logging(snakemake):  # noqa: F821
    inp = snakemake.input  # noqa: F821
    protocol = load_protocol(inp.protocol, inp.scales)
    scales = read_table(inp.scales, schemas.SCALES)
    write_table(build_table1(protocol, scales), snakemake.output.table, schemas.TABLE1)  # noqa: F821
