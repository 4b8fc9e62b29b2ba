# Incidents: AI Incident Database mapping (annotations), agreement, frequencies
# and, with a snapshot configured, enrichment. The labels are the subthemes of
# the research question named by incidents.taxonomy_rq.
if stage_on("incidents"):
    from downstream_safety.incidents.load import load_all as incidents_load_all
    from downstream_safety.incidents.snapshot import resolve as incidents_resolve

    INCIDENTS_CFG = config["incidents"]
    INCIDENTS_SNAPSHOT = incidents_resolve(INCIDENTS_CFG["aiid_snapshot"])
    INCIDENTS_OUT = "data/processed/incidents"

    parse_time_check(
        incidents_load_all,
        DESIGN,
        INCIDENTS_CFG["annotations"],
        INCIDENTS_CFG["adjudicated"],
        snapshot=INCIDENTS_SNAPSHOT,
        crosswalk=INCIDENTS_CFG["crosswalk"],
        keyword_rules=INCIDENTS_CFG["keyword_rules"],
    )

    rule incidents_labels:
        input:
            **DESIGN_INPUTS,
            annotations=INCIDENTS_CFG["annotations"],
            adjudicated=INCIDENTS_CFG["adjudicated"],
        output:
            counts=f"{INCIDENTS_OUT}/subtheme_counts.csv",
            cooccurrence=f"{INCIDENTS_OUT}/cooccurrence.csv",
        log:
            "logs/incidents/labels.log",
        conda:
            ENV
        params:
            design=DESIGN_SETTINGS,
        script:
            "../scripts/incidents_labels.py"

    rule incidents_agreement:
        input:
            **DESIGN_INPUTS,
            annotations=INCIDENTS_CFG["annotations"],
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
        params:
            design=DESIGN_SETTINGS,
        script:
            "../scripts/incidents_agreement.py"

    rule incidents_numbers:
        input:
            **DESIGN_INPUTS,
            annotations=INCIDENTS_CFG["annotations"],
            adjudicated=INCIDENTS_CFG["adjudicated"],
            counts=f"{INCIDENTS_OUT}/subtheme_counts.csv",
            cooccurrence=f"{INCIDENTS_OUT}/cooccurrence.csv",
            agreement=f"{INCIDENTS_OUT}/agreement.csv",
        output:
            numbers=f"{INCIDENTS_OUT}/numbers.csv",
        log:
            "logs/incidents/numbers.log",
        conda:
            ENV
        params:
            design=DESIGN_SETTINGS,
        script:
            "../scripts/incidents_numbers.py"

    rule incidents_frequencies:
        input:
            **DESIGN_INPUTS,
            counts=f"{INCIDENTS_OUT}/subtheme_counts.csv",
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
        params:
            design=DESIGN_SETTINGS,
        script:
            "../scripts/incidents_frequencies.py"

    register_targets(
        "incidents",
        [
            *rules.incidents_labels.output,
            *rules.incidents_agreement.output,
            *rules.incidents_numbers.output,
            *rules.incidents_frequencies.output,
        ],
    )
    if INCIDENTS_SNAPSHOT is not None:

        rule incidents_snapshot:
            input:
                **DESIGN_INPUTS,
                annotations=INCIDENTS_CFG["annotations"],
                adjudicated=INCIDENTS_CFG["adjudicated"],
                crosswalk=INCIDENTS_CFG["crosswalk"],
                keyword_rules=INCIDENTS_CFG["keyword_rules"],
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
                design=DESIGN_SETTINGS,
                snapshot=str(INCIDENTS_SNAPSHOT),
            script:
                "../scripts/incidents_snapshot.py"

        rule incidents_per_year:
            input:
                **DESIGN_INPUTS,
                per_year=f"{INCIDENTS_OUT}/incidents_per_year.csv",
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
            params:
                design=DESIGN_SETTINGS,
            script:
                "../scripts/incidents_per_year.py"

        register_targets(
            "incidents",
            [*rules.incidents_snapshot.output, *rules.incidents_per_year.output],
        )
