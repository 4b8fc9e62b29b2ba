# Incidents: AI Incident Database mapping (reconstructed annotations), agreement,
# frequencies, triangulation and, with a snapshot configured, enrichment.
from downstream_safety.incidents.load import load_all as incidents_load_all
from downstream_safety.incidents.snapshot import resolve as incidents_resolve

INCIDENTS_SNAPSHOT = incidents_resolve(config["incidents"]["aiid_snapshot"])
INCIDENTS_RAW = "data/raw/incidents"
INCIDENTS_OUT = "data/processed/incidents"

parse_time_check(incidents_load_all, snapshot=INCIDENTS_SNAPSHOT)


rule incidents_labels:
    input:
        annotations=f"{INCIDENTS_RAW}/annotations.csv",
        adjudicated=f"{INCIDENTS_RAW}/adjudicated.csv",
        codebook="data/raw/instruments/codebook_subthemes.csv",
    output:
        counts=f"{INCIDENTS_OUT}/subtheme_counts.csv",
        cooccurrence=f"{INCIDENTS_OUT}/cooccurrence.csv",
    log:
        "logs/incidents/labels.log",
    conda:
        ENV
    script:
        "../scripts/incidents_labels.py"


rule incidents_agreement:
    input:
        annotations=f"{INCIDENTS_RAW}/annotations.csv",
        codebook="data/raw/instruments/codebook_subthemes.csv",
    output:
        agreement=report(
            f"{INCIDENTS_OUT}/agreement.csv",
            caption="../report/incidents_agreement.rst",
            category="Incidents",
        ),
        per_label=f"{INCIDENTS_OUT}/agreement_labels.csv",
    log:
        "logs/incidents/agreement.log",
    conda:
        ENV
    script:
        "../scripts/incidents_agreement.py"


rule incidents_numbers:
    input:
        annotations=f"{INCIDENTS_RAW}/annotations.csv",
        adjudicated=f"{INCIDENTS_RAW}/adjudicated.csv",
        counts=rules.incidents_labels.output.counts,
        cooccurrence=rules.incidents_labels.output.cooccurrence,
        agreement=rules.incidents_agreement.output.agreement,
    output:
        numbers=f"{INCIDENTS_OUT}/numbers.csv",
    log:
        "logs/incidents/numbers.log",
    conda:
        ENV
    script:
        "../scripts/incidents_numbers.py"


rule incidents_frequencies:
    input:
        counts=rules.incidents_labels.output.counts,
        codebook="data/raw/instruments/codebook_subthemes.csv",
    output:
        pdf="paper/figures/incident_frequencies.pdf",
        png=report(
            "paper/figures/incident_frequencies.png",
            caption="../report/incidents_frequencies.rst",
            category="Incidents",
        ),
        svg="paper/figures/incident_frequencies.svg",
    log:
        "logs/incidents/frequencies.log",
    conda:
        ENV
    script:
        "../scripts/incidents_frequencies.py"


rule incidents_triangulation:
    input:
        counts=rules.incidents_labels.output.counts,
        participants="data/processed/interviews/subtheme_participants.csv",
        interviewees="data/raw/interviews/participants.csv",
        item_summary="data/processed/survey/item_summary.csv",
        codebook="data/raw/instruments/codebook_subthemes.csv",
    output:
        table=f"{INCIDENTS_OUT}/triangulation.csv",
        pdf="paper/figures/triangulation.pdf",
        png=report(
            "paper/figures/triangulation.png",
            caption="../report/incidents_triangulation.rst",
            category="Incidents",
        ),
        svg="paper/figures/triangulation.svg",
    log:
        "logs/incidents/triangulation.log",
    conda:
        ENV
    script:
        "../scripts/incidents_triangulation.py"


register_targets(
    "incidents",
    [
        *rules.incidents_labels.output,
        *rules.incidents_agreement.output,
        *rules.incidents_numbers.output,
        *rules.incidents_frequencies.output,
        *rules.incidents_triangulation.output,
    ],
)

if INCIDENTS_SNAPSHOT is not None:

    rule incidents_snapshot:
        input:
            annotations=f"{INCIDENTS_RAW}/annotations.csv",
            adjudicated=f"{INCIDENTS_RAW}/adjudicated.csv",
            crosswalk=f"{INCIDENTS_RAW}/mit_crosswalk.csv",
            keyword_rules=f"{INCIDENTS_RAW}/keyword_rules.csv",
            incidents=f"{INCIDENTS_SNAPSHOT}/incidents.csv",
        output:
            enriched=f"{INCIDENTS_OUT}/incidents_enriched.csv",
            per_year=f"{INCIDENTS_OUT}/incidents_per_year.csv",
            crosswalk=report(
                f"{INCIDENTS_OUT}/crosswalk_agreement.csv",
                caption="../report/incidents_crosswalk.rst",
                category="Incidents",
            ),
            worksheet=report(
                f"{INCIDENTS_OUT}/preannotation_worksheet.csv",
                caption="../report/incidents_worksheet.rst",
                category="Incidents",
            ),
        log:
            "logs/incidents/snapshot.log",
        conda:
            ENV
        params:
            snapshot=str(INCIDENTS_SNAPSHOT),
        script:
            "../scripts/incidents_snapshot.py"

    rule incidents_per_year:
        input:
            per_year=rules.incidents_snapshot.output.per_year,
            codebook="data/raw/instruments/codebook_subthemes.csv",
        output:
            pdf="paper/figures/incidents_per_year.pdf",
            png=report(
                "paper/figures/incidents_per_year.png",
                caption="../report/incidents_per_year.rst",
                category="Incidents",
            ),
            svg="paper/figures/incidents_per_year.svg",
        log:
            "logs/incidents/per_year.log",
        conda:
            ENV
        script:
            "../scripts/incidents_per_year.py"

    register_targets(
        "incidents",
        [*rules.incidents_snapshot.output, *rules.incidents_per_year.output],
    )
