# Incidents: AI Incident Database mapping (annotations), agreement, frequencies
# and, with a snapshot configured, enrichment. The labels are the subthemes of
# the research question named by incidents.taxonomy_rq.
if stage_on("incidents"):
    from downstream_safety.incidents.load import load_all as incidents_load_all
    from downstream_safety.incidents.snapshot import is_archive as incidents_is_archive
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
            design=DESIGN_VIEWS["incidents"],
            annotations=INCIDENTS_CFG["annotations"],
            adjudicated=INCIDENTS_CFG["adjudicated"],
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
            design=DESIGN_VIEWS["incidents"],
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
        script:
            "../scripts/incidents_agreement.py"

    rule incidents_numbers:
        input:
            design=DESIGN_VIEWS["incidents"],
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
        script:
            "../scripts/incidents_numbers.py"

    rule incidents_frequencies:
        input:
            design=DESIGN_VIEWS["incidents"],
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
                design=DESIGN_VIEWS["incidents"],
                annotations=INCIDENTS_CFG["annotations"],
                adjudicated=INCIDENTS_CFG["adjudicated"],
                crosswalk=INCIDENTS_CFG["crosswalk"],
                keyword_rules=INCIDENTS_CFG["keyword_rules"],
                # The archive as downloaded, or the two files read from its folder.
                snapshot=(
                    [str(INCIDENTS_SNAPSHOT)]
                    if incidents_is_archive(INCIDENTS_SNAPSHOT)
                    else [
                        f"{INCIDENTS_SNAPSHOT}/incidents.csv",
                        f"{INCIDENTS_SNAPSHOT}/classifications_MIT.csv",
                    ]
                ),
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
                design=DESIGN_VIEWS["incidents"],
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
            script:
                "../scripts/incidents_per_year.py"

        register_targets(
            "incidents",
            [*rules.incidents_snapshot.output, *rules.incidents_per_year.output],
        )


# Keyword pre-annotation quality from the committed extract: the suggestions it
# holds were made with the keyword rules whose sha256 its README records.
if stage_on("incidents") and config["incidents"]["real_checks"] is not None:
    from downstream_safety.incidents.realdata import (
        check_rules_recorded as incidents_check_rules,
    )

    INCIDENTS_KW_EXTRACT = config["incidents"]["real_checks"]["extract"]

    parse_time_check(
        incidents_check_rules,
        INCIDENTS_KW_EXTRACT,
        config["incidents"]["keyword_rules"],
    )

    rule incidents_keyword_quality:
        input:
            design=DESIGN_VIEWS["incidents"],
            crosswalk=config["incidents"]["crosswalk"],
            keyword_rules=config["incidents"]["keyword_rules"],
            suggestions=f"{INCIDENTS_KW_EXTRACT}/keyword_suggestions.csv",
            mit=f"{INCIDENTS_KW_EXTRACT}/classifications_MIT.csv",
            readme=f"{INCIDENTS_KW_EXTRACT}/README.md",
        output:
            keyword_quality=report(
                "data/processed/incidents/keyword_quality.csv",
                caption="../report/incidents_keyword_quality.rst",
                category="Incidents",
            ),
        log:
            "logs/incidents/keyword_quality.log",
        conda:
            ENV
        script:
            "../scripts/incidents_keyword_quality.py"

    register_targets("incidents", [*rules.incidents_keyword_quality.output])


# Checks against real AIID labels, from the committed extract (needs the
# published claims they check).
if (
    stage_on("incidents")
    and config["incidents"]["real_checks"] is not None
    and config["paper"]["published_claims"]
):
    INCIDENTS_REAL = config["incidents"]["real_checks"]
    INCIDENTS_EXTRACT = INCIDENTS_REAL["extract"]
    INCIDENTS_CLAIMS = config["paper"]["published_claims"]

    rule incidents_real:
        input:
            design=DESIGN_VIEWS["incidents"],
            crosswalk=INCIDENTS_CFG["crosswalk"],
            claims=INCIDENTS_CLAIMS,
            cset_fields=INCIDENTS_REAL["cset_fields"],
            incidents=f"{INCIDENTS_EXTRACT}/incidents.csv",
            mit=f"{INCIDENTS_EXTRACT}/classifications_MIT.csv",
            cset=f"{INCIDENTS_EXTRACT}/cset_annotators.csv",
        output:
            checks=report(
                f"{INCIDENTS_OUT}/real_checks.csv",
                caption="../report/incidents_real_checks.rst",
                category="Incidents",
            ),
            shares=f"{INCIDENTS_OUT}/real_shares.csv",
            cset=report(
                f"{INCIDENTS_OUT}/cset_agreement.csv",
                caption="../report/incidents_cset_agreement.rst",
                category="Incidents",
            ),
            pairs=f"{INCIDENTS_OUT}/cset_pairs.csv",
        log:
            "logs/incidents/real.log",
        conda:
            ENV
        params:
            settings=INCIDENTS_REAL,
        script:
            "../scripts/incidents_real.py"

    rule incidents_real_figure:
        input:
            design=DESIGN_VIEWS["incidents"],
            shares=f"{INCIDENTS_OUT}/real_shares.csv",
            checks=f"{INCIDENTS_OUT}/real_checks.csv",
        output:
            pdf="paper/figures/real_checks.pdf",
            png=report(
                "paper/figures/real_checks.png",
                caption="../report/incidents_real_figure.rst",
                category="Incidents",
            ),
            svg="paper/figures/real_checks.svg",
        log:
            "logs/incidents/real_figure.log",
        conda:
            ENV
        script:
            "../scripts/incidents_real_figure.py"

    register_targets(
        "incidents",
        [*rules.incidents_real.output, *rules.incidents_real_figure.output],
    )
