"""The study design as one value: what the analysis knows about a study.

Research questions, themes, subthemes, survey blocks, items, scales, concern
contexts, demographic questions, screening rules and the incident taxonomy
all come from the instrument tables and the configuration. They are read once
into a :class:`Design` and passed to the code that needs them, so a follow-up
study changes tables and config, never code.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

import pandas as pd

from downstream_safety.common import number_keys
from downstream_safety.common.errors import InputError, combine
from downstream_safety.common.tableio import read_table
from downstream_safety.instruments import schemas
from downstream_safety.interviews.fields import ParticipantField, load_participant_fields
from downstream_safety.paths import rel

# Named inputs of every job that needs the design, mapped to their file names in
# the instrument folder (``instruments.folder`` in the config).
DESIGN_TABLES = {
    "research_questions": "research_questions.csv",
    "codebook_themes": "codebook_themes.csv",
    "codebook_subthemes": "codebook_subthemes.csv",
    "survey_blocks": "survey_blocks.csv",
    "survey_items": "survey_items.csv",
    "survey_scales": "survey_scales.csv",
    "survey_missing_labels": "survey_missing_labels.csv",
    "survey_contexts": "survey_contexts.csv",
    "survey_demographics": "survey_demographics.csv",
    "participant_fields": "participant_fields.csv",
}


@dataclass(frozen=True)
class Scale:
    scale_id: str
    labels: tuple[str, ...]  # level labels in code order 1..k

    @property
    def n_levels(self) -> int:
        return len(self.labels)

    @property
    def codes(self) -> dict[str, int]:
        return {label: i for i, label in enumerate(self.labels, start=1)}


@dataclass(frozen=True)
class Context:
    context_id: str
    label: str
    order: int


@dataclass(frozen=True)
class Question:
    question_id: str
    label: str
    options: tuple[str, ...]


@dataclass(frozen=True)
class ScreeningRule:
    """Exclude a respondent when any listed column holds one of its values."""

    id: str
    exclude_if_any: tuple[tuple[str, tuple[str, ...]], ...]
    label: str = ""  # what a respondent passed, e.g. "experience questions"; default: the id

    @property
    def status(self) -> str:
        return f"excluded_{self.id}"

    @property
    def columns(self) -> list[str]:
        return [c for c, _ in self.exclude_if_any]

    def excludes(self, responses: pd.DataFrame) -> pd.Series:
        hit = pd.Series(False, index=responses.index)
        for column, values in self.exclude_if_any:
            hit |= responses[column].isin(list(values))
        return hit


@dataclass(frozen=True)
class Design:
    research_questions: pd.DataFrame
    themes: pd.DataFrame
    subthemes: pd.DataFrame
    blocks: pd.DataFrame
    items: pd.DataFrame
    scales: Mapping[str, Scale]
    missing_labels: tuple[str, ...]
    contexts: tuple[Context, ...]
    demographics: tuple[Question, ...]
    # The interview participants' background fields (interviews/fields.py).
    participant_fields: tuple[ParticipantField, ...] = ()
    screening: tuple[ScreeningRule, ...] = ()
    screening_columns: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    taxonomy_rq: str | None = None

    # Research questions and the codebook -------------------------------------
    @property
    def rqs(self) -> list[str]:
        return self.research_questions["rq"].tolist()

    def rq_label(self, rq: str) -> str:
        rqs = self.research_questions.set_index("rq")["rq_label"]
        return str(rqs[rq])

    def subthemes_of(self, rq: str) -> list[str]:
        s = self.subthemes
        return s.loc[s["rq"] == rq, "subtheme_id"].tolist()

    def short_labels(self) -> dict[str, str]:
        s = self.subthemes
        return dict(zip(s["subtheme_id"], s["short_label"], strict=True))

    @property
    def taxonomy(self) -> list[str]:
        """Incident labels: the subthemes of the configured research question."""
        return self.subthemes_of(self.taxonomy_rq) if self.taxonomy_rq else []

    # Survey ------------------------------------------------------------------
    @property
    def item_ids(self) -> list[str]:
        return self.items["item_id"].tolist()

    @property
    def block_ids(self) -> list[str]:
        return self.blocks["block"].tolist()

    def items_of_block(self, block: str) -> pd.DataFrame:
        return self.items[self.items["block"] == block]

    def scale_of(self, item_id: str) -> Scale:
        sid = self.items.set_index("item_id").at[item_id, "scale_id"]
        return self.scales[str(sid)]

    def items_measuring(self, subtheme_id: str) -> list[str]:
        """Every item whose answers count for this subtheme's score."""
        return self.items.loc[self.items["subtheme_id"] == subtheme_id, "item_id"].tolist()

    @property
    def context_ids(self) -> list[str]:
        return [c.context_id for c in self.contexts]

    def context_label(self, context_id: str) -> str:
        return {c.context_id: c.label for c in self.contexts}[context_id]

    @property
    def context_pairs(self) -> list[tuple[str, str]]:
        """Every unordered pair of contexts once, ids sorted within and across pairs."""
        return list(combinations(sorted(self.context_ids), 2))

    @property
    def contextual_items(self) -> pd.DataFrame:
        return self.items[self.items["context"] != ""]

    @property
    def practices(self) -> list[str]:
        """Subthemes asked once per context, in instrument order."""
        return list(dict.fromkeys(self.contextual_items["subtheme_id"]))

    def practice_item(self, subtheme_id: str, context_id: str) -> str | None:
        t = self.contextual_items
        hit = t.loc[(t["subtheme_id"] == subtheme_id) & (t["context"] == context_id), "item_id"]
        return str(hit.iloc[0]) if len(hit) else None

    @property
    def demographic_ids(self) -> list[str]:
        return [q.question_id for q in self.demographics]

    def question_label(self, question_id: str) -> str:
        return {q.question_id: q.label for q in self.demographics}[question_id]

    @property
    def respondent_columns(self) -> dict[str, tuple[str, ...]]:
        """Columns every survey wave must have besides the items, with accepted answers."""
        out = {q.question_id: q.options for q in self.demographics}
        out.update(self.screening_columns)
        return out

    @property
    def statuses(self) -> list[str]:
        return [r.status for r in self.screening] + ["valid"]


# Loading --------------------------------------------------------------------


def _dangling(values: pd.Series, allowed, file: str, column: str, target: str) -> InputError | None:
    bad = ~values.isin(list(allowed))
    if not bad.any():
        return None
    return InputError(
        file,
        f"value(s) not defined in {target}",
        column=column,
        rows=(values.index[bad] + 2).tolist(),
        values=sorted(set(values[bad])),
        fix=f"use one of: {', '.join(sorted(allowed))}"
        if len(allowed)
        else f"add them to {target}",
    )


def _scales(scales: pd.DataFrame, file: str) -> dict[str, Scale]:
    out, problems = {}, []
    for sid, group in scales.groupby("scale_id", sort=True):
        codes = sorted(group["code"].astype(int))
        k = len(codes)
        if codes != list(range(1, k + 1)) or not 2 <= k <= schemas.MAX_LEVELS:
            problems.append(
                InputError(
                    file,
                    f"scale '{sid}' must have levels coded 1..k with 2 <= k <= "
                    f"{schemas.MAX_LEVELS} (found codes {codes})",
                    column="code",
                    rows=(group.index + 2).tolist(),
                    fix="number the levels of each scale 1, 2, ... without gaps",
                )
            )
            continue
        g = group.sort_values("code")
        out[str(sid)] = Scale(str(sid), tuple(g["label"]))
    if problems:
        raise combine(problems)
    return out


def _demographics(table: pd.DataFrame, file: str) -> tuple[Question, ...]:
    out = []
    for qid in dict.fromkeys(table["question_id"]):
        g = table[table["question_id"] == qid].sort_values("option_order")
        labels = g["question_label"].unique()
        if len(labels) != 1:
            raise InputError(
                file,
                f"question '{qid}' has more than one question_label",
                column="question_label",
                rows=(g.index + 2).tolist(),
                values=list(labels),
                fix="give every row of a question the same label",
            )
        if g["option_label"].duplicated().any():
            raise InputError(
                file,
                f"question '{qid}' lists an option twice",
                column="option_label",
                rows=(g.index[g["option_label"].duplicated(keep=False)] + 2).tolist(),
                fix="list each answer option once",
            )
        out.append(Question(str(qid), str(labels[0]), tuple(g["option_label"])))
    return tuple(out)


def _screening(
    rules: list[dict], columns: Mapping[str, tuple[str, ...]], config_file: str
) -> tuple[ScreeningRule, ...]:
    out, seen = [], set()
    for i, rule in enumerate(rules or []):
        rid = str(rule["id"])
        where = f"survey.screening[{i}]"
        if rid in seen or rid == "valid":
            raise InputError(
                config_file,
                f"screening rule id '{rid}' is used twice or is reserved",
                column=f"{where}.id",
                fix="give every rule its own id (not 'valid')",
            )
        seen.add(rid)
        conds = []
        for column, values in rule["exclude_if_any"].items():
            if column not in columns:
                raise InputError(
                    config_file,
                    f"screening rule '{rid}' names an unknown column '{column}'",
                    column=f"{where}.exclude_if_any",
                    values=[column],
                    fix="use a question_id of survey_demographics.csv or a key of "
                    f"survey.screening_columns: {', '.join(columns)}",
                )
            vals = tuple(str(v) for v in values)
            unknown = [v for v in vals if v not in columns[column]]
            if unknown:
                raise InputError(
                    config_file,
                    f"screening rule '{rid}': value(s) that column '{column}' never holds",
                    column=f"{where}.exclude_if_any.{column}",
                    values=unknown,
                    fix=f"use answers of '{column}': {'; '.join(columns[column])}",
                )
            conds.append((str(column), vals))
        out.append(ScreeningRule(rid, tuple(conds), str(rule.get("label") or rid)))
    return tuple(out)


def _key_collisions(
    tables: Mapping[str, pd.DataFrame],
    name: Mapping[str, str],
    demographics: tuple[Question, ...],
    fields: tuple,
    screening: tuple[ScreeningRule, ...],
    config_file: str,
) -> list[InputError]:
    """Ids (and the option labels that name numbers) of one kind that would give the same
    number key (common.number_keys), each reported naming both ids."""
    checks = [
        ("research_questions", "rq", "research question"),
        ("codebook_themes", "theme_id", "theme"),
        ("codebook_subthemes", "subtheme_id", "subtheme"),
        ("survey_blocks", "block", "survey block"),
        ("survey_items", "item_id", "survey item"),
        ("survey_contexts", "context_id", "context"),
    ]
    groups = [
        (ids, name[table], column, what, (ids.index + 2).tolist())
        for table, column, what in checks
        for ids in [tables[table][column]]
    ]
    demo = tables["survey_demographics"]
    first = demo.drop_duplicates("question_id")
    groups.append(
        (first["question_id"], name["survey_demographics"], "question_id",
         "demographic question", (first.index + 2).tolist())
    )  # fmt: skip
    for q in demographics:
        rows = demo.index[demo["question_id"] == q.question_id]
        labels = demo.loc[rows, "option_label"]
        groups.append(
            (labels, name["survey_demographics"], "option_label",
             f"answer option of question '{q.question_id}'", (rows + 2).tolist())
        )  # fmt: skip
    groups.append(
        ([f.field_id for f in fields], name["participant_fields"], "field_id",
         "participant field", None)
    )  # fmt: skip
    for f in fields:
        groups.append(
            (list(f.options), name["participant_fields"], "option_label",
             f"option of field '{f.field_id}'", None)
        )  # fmt: skip
    groups.append(
        ([r.id for r in screening], config_file, "survey.screening[].id", "screening rule", None)
    )
    problems = []
    for ids, file, column, what, rows in groups:
        try:
            number_keys.refuse_collisions(list(ids), file=file, column=column, what=what, rows=rows)
        except InputError as err:
            problems.append(err)
    return problems


def load_design(
    tables: Mapping[str, Path | str],
    settings: Mapping | None = None,
    *,
    config_file: str = "config/config.yaml",
) -> Design:
    """Read and cross-check the instrument tables; add the config's design settings.

    ``tables`` maps the names of :data:`DESIGN_TABLES` to files; ``settings``
    holds ``screening``, ``screening_columns`` and ``taxonomy_rq``.
    """
    settings = settings or {}
    f = {k: Path(tables[k]) for k in DESIGN_TABLES}
    name = {k: rel(p) for k, p in f.items()}
    rqs = read_table(f["research_questions"], schemas.RESEARCH_QUESTIONS)
    themes = read_table(f["codebook_themes"], schemas.THEMES)
    subs = read_table(f["codebook_subthemes"], schemas.SUBTHEMES)
    blocks = read_table(f["survey_blocks"], schemas.SURVEY_BLOCKS)
    items = read_table(f["survey_items"], schemas.ITEMS)
    scales = read_table(f["survey_scales"], schemas.SCALES)
    missing = read_table(f["survey_missing_labels"], schemas.MISSING_LABELS)
    contexts = read_table(f["survey_contexts"], schemas.SURVEY_CONTEXTS, allow_empty=True)
    demo = read_table(f["survey_demographics"], schemas.SURVEY_DEMOGRAPHICS, allow_empty=True)
    participant_fields = load_participant_fields(f["participant_fields"])

    problems = [
        _dangling(
            themes["rq"], set(rqs["rq"]), name["codebook_themes"], "rq", "research_questions.csv"
        ),  # fmt: skip
        _dangling(
            subs["theme_id"],
            set(themes["theme_id"]),
            name["codebook_subthemes"],
            "theme_id",
            "codebook_themes.csv",
        ),  # fmt: skip
        _dangling(
            items["scale_id"],
            set(scales["scale_id"]),
            name["survey_items"],
            "scale_id",
            "survey_scales.csv",
        ),  # fmt: skip
        _dangling(
            items["subtheme_id"],
            set(subs["subtheme_id"]),
            name["survey_items"],
            "subtheme_id",
            "codebook_subthemes.csv",
        ),  # fmt: skip
        _dangling(
            items["block"], set(blocks["block"]), name["survey_items"], "block", "survey_blocks.csv"
        ),  # fmt: skip
        _dangling(
            items.loc[items["context"] != "", "context"],
            set(contexts["context_id"]),
            name["survey_items"],
            "context",
            "survey_contexts.csv",
        ),  # fmt: skip
    ]
    problems = [p for p in problems if p is not None]
    if problems:
        raise combine(problems)
    rq_of_theme = dict(zip(themes["theme_id"], themes["rq"], strict=True))
    wrong = subs["rq"] != subs["theme_id"].map(rq_of_theme)
    if wrong.any():
        raise InputError(
            name["codebook_subthemes"],
            "subtheme RQ differs from the RQ of its theme",
            column="rq",
            rows=(subs.index[wrong] + 2).tolist(),
            fix="make each subtheme's rq equal to its theme's rq in codebook_themes.csv",
        )
    ctx_items = items[items["context"] != ""]
    dup = ctx_items.duplicated(["subtheme_id", "context"], keep=False)
    if dup.any():
        raise InputError(
            name["survey_items"],
            "two items ask the same subtheme in the same context",
            column="subtheme_id, context",
            rows=(ctx_items.index[dup] + 2).tolist(),
            fix="keep one item per subtheme and context",
        )
    empty = ~blocks["block"].isin(items["block"])
    if empty.any():
        raise InputError(
            name["survey_blocks"],
            "block(s) without items (each block is drawn as one figure)",
            column="block",
            rows=(blocks.index[empty] + 2).tolist(),
            values=blocks.loc[empty, "block"].tolist(),
            fix="give each block at least one item in survey_items.csv, or remove the block",
        )
    for block, group in items.groupby("block", sort=False):
        if group["scale_id"].nunique() > 1:
            raise InputError(
                name["survey_items"],
                f"block '{block}' mixes scales (one figure shares one legend)",
                column="scale_id",
                rows=(group.index + 2).tolist(),
                values=sorted(group["scale_id"].unique()),
                fix="use one scale per block, or split the block in survey_blocks.csv",
            )
    scale_map = _scales(scales, name["survey_scales"])
    demographics = _demographics(demo, name["survey_demographics"])
    extra = {str(k): tuple(str(v) for v in vals)
             for k, vals in (settings.get("screening_columns") or {}).items()}  # fmt: skip
    columns = {q.question_id: q.options for q in demographics} | extra
    screening = _screening(settings.get("screening") or [], columns, config_file)
    tables_read = {
        "research_questions": rqs,
        "codebook_themes": themes,
        "codebook_subthemes": subs,
        "survey_blocks": blocks,
        "survey_items": items,
        "survey_contexts": contexts,
        "survey_demographics": demo,
    }
    collisions = _key_collisions(
        tables_read, name, demographics, participant_fields, screening, config_file
    )
    if collisions:
        raise combine(collisions)
    taxonomy_rq = settings.get("taxonomy_rq")
    if taxonomy_rq is not None and taxonomy_rq not in set(rqs["rq"]):
        raise InputError(
            config_file,
            f"incidents.taxonomy_rq '{taxonomy_rq}' is not a research question",
            column="incidents.taxonomy_rq",
            values=[taxonomy_rq],
            fix=f"use one of: {', '.join(rqs.sort_values('rq_order')['rq'])}",
        )
    ctx_sorted = contexts.sort_values("context_order")
    return Design(
        research_questions=rqs.sort_values("rq_order").reset_index(drop=True),
        themes=themes.sort_values("theme_order").reset_index(drop=True),
        subthemes=subs.sort_values("subtheme_order").reset_index(drop=True),
        blocks=blocks.sort_values("block_order").reset_index(drop=True),
        items=items.sort_values("item_order").reset_index(drop=True),
        scales=scale_map,
        missing_labels=tuple(missing["label"]),
        contexts=tuple(
            Context(str(r.context_id), str(r.context_label), int(r.context_order))
            for r in ctx_sorted.itertuples()
        ),
        demographics=demographics,
        participant_fields=participant_fields,
        screening=screening,
        screening_columns=extra,
        taxonomy_rq=taxonomy_rq,
    )


def design_tables(folder: Path | str) -> dict[str, str]:
    """The design's named inputs for an instrument folder (what rules declare)."""
    return {k: str(Path(folder) / v) for k, v in DESIGN_TABLES.items()}


def design_settings(config: Mapping) -> dict:
    """The parts of the config that belong to the design (a rule's ``params``)."""
    survey = config.get("survey") or {}
    incidents = config.get("incidents") or {}
    return {
        "screening": survey.get("screening") or [],
        "screening_columns": survey.get("screening_columns") or {},
        "taxonomy_rq": incidents.get("taxonomy_rq") if config.get("incidents") else None,
    }


def from_job(job) -> Design:
    """The design of a Snakemake job that declared the design tables and settings."""
    return load_design({k: job.input[k] for k in DESIGN_TABLES}, job.params.design)
