"""The study design as one value: what the analysis knows about a study.

Research questions, themes, subthemes, survey blocks, items, scales, concern
contexts, demographic questions, screening rules and the incident taxonomy
all come from the instrument tables and the configuration. They are read into a
:class:`Design` and passed to the code that needs them, so a follow-up study
changes tables and config, never code.

The workflow checks the whole design at parse time; its jobs read a *view*
(:data:`VIEWS`): a file the instruments stage writes with only the tables and
settings one group of jobs uses, so a job reruns only when those change.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

import pandas as pd

from downstream_safety.common import number_keys
from downstream_safety.common.errors import InputError, combine
from downstream_safety.common.tableio import check_text_table, read_csv_text
from downstream_safety.instruments import schemas
from downstream_safety.instruments.participant_fields import ParticipantField, fields_from_text
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
CODEBOOK = ("research_questions", "codebook_themes", "codebook_subthemes")
SURVEY = (
    "survey_blocks",
    "survey_items",
    "survey_scales",
    "survey_missing_labels",
    "survey_contexts",
    "survey_demographics",
)
SETTINGS = ("screening", "screening_columns", "taxonomy_rq")


@dataclass(frozen=True)
class View:
    """The part of the design one group of jobs uses: tables and config settings."""

    tables: tuple[str, ...]
    settings: tuple[str, ...] = ()


# One view per consumer group (written to data/processed/instruments/design/<view>.json
# by the instruments stage). A job declares only its group's view, so editing a
# table reruns only the jobs whose view holds it: participant_fields.csv is in
# "participants" and "full" alone, the survey tables not in the interview views.
VIEWS = {
    # Interview analysis: the codebook; participants.csv is read for ids and order.
    "interviews": View(CODEBOOK),
    # Jobs that read the participants' background fields (Table 2, numbers, recruitment).
    "participants": View((*CODEBOOK, "participant_fields")),
    "survey": View((*CODEBOOK, *SURVEY), ("screening", "screening_columns")),
    "incidents": View(CODEBOOK, ("taxonomy_rq",)),
    # Robustness: survey, interviews (by order) and incidents, not the participant fields.
    "analysis": View((*CODEBOOK, *SURVEY), SETTINGS),
    # Synthesis, paper and data package: everything.
    "full": View(tuple(DESIGN_TABLES), SETTINGS),
}

# The schema of each table and whether it may have no rows.
_SCHEMAS = {
    "research_questions": (schemas.RESEARCH_QUESTIONS, False),
    "codebook_themes": (schemas.THEMES, False),
    "codebook_subthemes": (schemas.SUBTHEMES, False),
    "survey_blocks": (schemas.SURVEY_BLOCKS, False),
    "survey_items": (schemas.ITEMS, False),
    "survey_scales": (schemas.SCALES, False),
    "survey_missing_labels": (schemas.MISSING_LABELS, False),
    "survey_contexts": (schemas.SURVEY_CONTEXTS, True),
    "survey_demographics": (schemas.SURVEY_DEMOGRAPHICS, True),
    "participant_fields": (schemas.PARTICIPANT_FIELDS, True),
}


class NotInView:
    """Stands for a part of the design the job's view does not hold.

    Any use is a bug in the workflow (the rule declared the wrong view), said so.
    """

    def __init__(self, part: str, view: str):
        self._part, self._view = part, view

    def _fail(self, *_args, **_kwargs):
        holders = [v for v, spec in VIEWS.items() if self._part in (*spec.tables, *spec.settings)]
        raise RuntimeError(
            f"Bug in the workflow (not an input error): the job uses the design's "
            f"'{self._part}', which its design view '{self._view}' does not hold. "
            f"Declare a view that holds it ({', '.join(holders)}) as the rule's "
            "'design' input (DESIGN_VIEWS in workflow/rules/common.smk)."
        )

    __getattr__ = __iter__ = __len__ = __getitem__ = __contains__ = __bool__ = _fail
    __eq__ = _fail
    __hash__ = None


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
    # The interview participants' background fields (instruments/participant_fields.py).
    participant_fields: tuple[ParticipantField, ...] = ()
    screening: tuple[ScreeningRule, ...] = ()
    screening_columns: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    taxonomy_rq: str | None = None
    # The view it was built from; parts outside the view are NotInView.
    view: str = "full"

    def holds(self, part: str) -> bool:
        """Whether a table or setting (a name of DESIGN_TABLES or SETTINGS) is in the view."""
        spec = VIEWS[self.view]
        return part in spec.tables or part in spec.settings

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
    demographics: tuple[Question, ...] | None,
    fields: tuple | None,
    screening: tuple[ScreeningRule, ...] | None,
    config_file: str,
) -> list[InputError]:
    """Ids (and the option labels that name numbers) of one kind that would give the same
    number key (common.number_keys), each reported naming both ids. Only the tables
    given (a view's) are checked; None stands for a part the view does not hold."""
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
        if table in tables
        for ids in [tables[table][column]]
    ]
    if demographics is not None:
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
    if fields is not None:
        groups.append(
            ([f.field_id for f in fields], name["participant_fields"], "field_id",
             "participant field", None)
        )  # fmt: skip
        for f in fields:
            groups.append(
                (list(f.options), name["participant_fields"], "option_label",
                 f"option of field '{f.field_id}'", None)
            )  # fmt: skip
    if screening is not None:
        groups.append(
            ([r.id for r in screening], config_file, "survey.screening[].id", "screening rule",
             None)
        )  # fmt: skip
    problems = []
    for ids, file, column, what, rows in groups:
        try:
            number_keys.refuse_collisions(list(ids), file=file, column=column, what=what, rows=rows)
        except InputError as err:
            problems.append(err)
    return problems


def _typed(table: str, text: pd.DataFrame, file: Path | str):
    """A table read as text, validated and coerced by its schema (the participant
    fields: read into fields)."""
    if table == "participant_fields":
        return fields_from_text(text, file)
    return check_text_table(text, _SCHEMAS[table][0], file)


def read_text_table(table: str, path: Path | str) -> pd.DataFrame:
    """One instrument table as text (every cell a string), as its schema requires."""
    schema, allow_empty = _SCHEMAS[table]
    required = [n for n, c in schema.columns.items() if c.required]
    return read_csv_text(path, required=required, allow_empty=allow_empty)


def load_design(
    tables: Mapping[str, Path | str],
    settings: Mapping | None = None,
    *,
    config_file: str = "config/config.yaml",
    view: str = "full",
) -> Design:
    """Read and cross-check the instrument tables; add the config's design settings.

    ``tables`` maps the names of :data:`DESIGN_TABLES` (those of ``view``) to files;
    ``settings`` holds ``screening``, ``screening_columns`` and ``taxonomy_rq``.
    """
    return _from_texts(_read_texts(tables, view), settings, config_file, view)


def _read_texts(tables: Mapping[str, Path | str], view: str) -> dict:
    """Each table of the view as ``(file name for messages, text, typed)``, read and
    validated one after the other in DESIGN_TABLES order (the first bad table stops)."""
    out = {}
    for k in DESIGN_TABLES:
        if k in VIEWS[view].tables:
            p = Path(tables[k])
            text = read_text_table(k, p)
            out[k] = (rel(p), text, _typed(k, text.copy(), p))
    return out


def _from_texts(sources: Mapping, settings, config_file: str, view: str) -> Design:
    settings = settings or {}
    spec = VIEWS[view]
    name = {k: file for k, (file, _, _) in sources.items()}
    t = {k: typed for k, (_, _, typed) in sources.items()}
    missing = {k: NotInView(k, view) for k in (*DESIGN_TABLES, *SETTINGS)
               if k not in spec.tables and k not in spec.settings}  # fmt: skip
    has = t.__contains__
    rqs, themes, subs = (
        t.get("research_questions"),
        t.get("codebook_themes"),
        t.get("codebook_subthemes"),
    )
    blocks, items, scales = t.get("survey_blocks"), t.get("survey_items"), t.get("survey_scales")
    contexts, demo = t.get("survey_contexts"), t.get("survey_demographics")
    participant_fields = t.get("participant_fields")

    problems = []
    if has("codebook_themes") and has("research_questions"):
        problems.append(_dangling(
            themes["rq"], set(rqs["rq"]), name["codebook_themes"], "rq", "research_questions.csv"
        ))  # fmt: skip
    if has("codebook_subthemes") and has("codebook_themes"):
        problems.append(_dangling(
            subs["theme_id"],
            set(themes["theme_id"]),
            name["codebook_subthemes"],
            "theme_id",
            "codebook_themes.csv",
        ))  # fmt: skip
    if has("survey_items"):
        problems += [
            _dangling(
                items["scale_id"],
                set(scales["scale_id"]),
                name["survey_items"],
                "scale_id",
                "survey_scales.csv",
            ),
            _dangling(
                items["subtheme_id"],
                set(subs["subtheme_id"]),
                name["survey_items"],
                "subtheme_id",
                "codebook_subthemes.csv",
            ),
            _dangling(
                items["block"], set(blocks["block"]), name["survey_items"], "block",
                "survey_blocks.csv"
            ),
            _dangling(
                items.loc[items["context"] != "", "context"],
                set(contexts["context_id"]),
                name["survey_items"],
                "context",
                "survey_contexts.csv",
            ),
        ]  # fmt: skip
    problems = [p for p in problems if p is not None]
    if problems:
        raise combine(problems)
    if has("codebook_subthemes"):
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
    if has("survey_items"):
        _check_survey(items, blocks, name)
    scale_map = _scales(scales, name["survey_scales"]) if has("survey_scales") else None
    demographics = _demographics(demo, name["survey_demographics"]) if demo is not None else None
    screening = extra = None
    if "screening" in spec.settings:
        extra = {str(k): tuple(str(v) for v in vals)
                 for k, vals in (settings.get("screening_columns") or {}).items()}  # fmt: skip
        columns = {q.question_id: q.options for q in demographics} | extra
        screening = _screening(settings.get("screening") or [], columns, config_file)
    tables_read = {k: v for k, v in t.items() if k not in ("survey_scales", "participant_fields")}
    collisions = _key_collisions(
        tables_read, name, demographics, participant_fields, screening, config_file
    )
    if collisions:
        raise combine(collisions)
    taxonomy_rq = None
    if "taxonomy_rq" in spec.settings:
        taxonomy_rq = settings.get("taxonomy_rq")
        if taxonomy_rq is not None and taxonomy_rq not in set(rqs["rq"]):
            raise InputError(
                config_file,
                f"incidents.taxonomy_rq '{taxonomy_rq}' is not a research question",
                column="incidents.taxonomy_rq",
                values=[taxonomy_rq],
                fix=f"use one of: {', '.join(rqs.sort_values('rq_order')['rq'])}",
            )
    parts = {
        "research_questions": lambda: rqs.sort_values("rq_order").reset_index(drop=True),
        "codebook_themes": lambda: themes.sort_values("theme_order").reset_index(drop=True),
        "codebook_subthemes": lambda: subs.sort_values("subtheme_order").reset_index(drop=True),
        "survey_blocks": lambda: blocks.sort_values("block_order").reset_index(drop=True),
        "survey_items": lambda: items.sort_values("item_order").reset_index(drop=True),
        "survey_scales": lambda: scale_map,
        "survey_missing_labels": lambda: tuple(t["survey_missing_labels"]["label"]),
        "survey_contexts": lambda: tuple(
            Context(str(r.context_id), str(r.context_label), int(r.context_order))
            for r in contexts.sort_values("context_order").itertuples()
        ),
        "survey_demographics": lambda: demographics,
        "participant_fields": lambda: participant_fields,
        "screening": lambda: screening,
        "screening_columns": lambda: extra,
        "taxonomy_rq": lambda: taxonomy_rq,
    }
    value = {k: missing[k] if k in missing else make() for k, make in parts.items()}
    return Design(
        research_questions=value["research_questions"],
        themes=value["codebook_themes"],
        subthemes=value["codebook_subthemes"],
        blocks=value["survey_blocks"],
        items=value["survey_items"],
        scales=value["survey_scales"],
        missing_labels=value["survey_missing_labels"],
        contexts=value["survey_contexts"],
        demographics=value["survey_demographics"],
        participant_fields=value["participant_fields"],
        screening=value["screening"],
        screening_columns=value["screening_columns"],
        taxonomy_rq=value["taxonomy_rq"],
        view=view,
    )


def _check_survey(items: pd.DataFrame, blocks: pd.DataFrame, name: Mapping[str, str]) -> None:
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


def design_tables(folder: Path | str) -> dict[str, str]:
    """The design's instrument tables for an instrument folder, by name."""
    return {k: str(Path(folder) / v) for k, v in DESIGN_TABLES.items()}


def view_tables(view: str, folder: Path | str) -> dict[str, str]:
    """The instrument tables a view is built from (its rule's only table inputs)."""
    return {k: v for k, v in design_tables(folder).items() if k in VIEWS[view].tables}


def design_settings(config: Mapping) -> dict:
    """The parts of the config that belong to the design."""
    survey = config.get("survey") or {}
    incidents = config.get("incidents") or {}
    return {
        "screening": survey.get("screening") or [],
        "screening_columns": survey.get("screening_columns") or {},
        "taxonomy_rq": incidents.get("taxonomy_rq") if config.get("incidents") else None,
    }


def view_settings(view: str, settings: Mapping) -> dict:
    """The design settings a view holds (its rule's params: a change reruns it)."""
    return {k: settings[k] for k in VIEWS[view].settings}


# Views on disk ----------------------------------------------------------------

VIEW_FORMAT = 1
# The view file: each table as text cells (so reading it validates and coerces
# exactly as reading the CSV does), the file it came from (named in messages),
# and the settings.
_TEXT_TABLE = {
    "type": "object",
    "required": ["file", "columns", "rows"],
    "additionalProperties": False,
    "properties": {
        "file": {"type": "string"},
        "columns": {"type": "array", "items": {"type": "string"}},
        "rows": {"type": "array", "items": {"type": "array", "items": {"type": "string"}}},
    },
}
VIEW_SCHEMA = {
    "type": "object",
    "required": ["format", "view", "config_file", "tables", "settings"],
    "additionalProperties": False,
    "properties": {
        "format": {"const": VIEW_FORMAT},
        "view": {"enum": list(VIEWS)},
        "config_file": {"type": "string"},
        "tables": {"type": "object", "additionalProperties": _TEXT_TABLE},
        "settings": {"type": "object"},
    },
}


def write_view(
    path: Path | str,
    view: str,
    tables: Mapping[str, Path | str],
    settings: Mapping,
    *,
    config_file: str = "config/config.yaml",
) -> Design:
    """Validate the view's tables and settings (as :func:`load_design` does) and write them."""
    import json

    from downstream_safety.common.atomic import atomic_write_text

    sources = _read_texts(tables, view)
    kept = view_settings(view, settings)
    design = _from_texts(sources, kept, config_file, view)
    doc = {
        "format": VIEW_FORMAT,
        "view": view,
        "config_file": config_file,
        "tables": {
            k: {"file": file, "columns": list(text.columns), "rows": text.values.tolist()}
            for k, (file, text, _) in sources.items()
        },
        "settings": kept,
    }
    atomic_write_text(path, json.dumps(doc, indent=1, sort_keys=True, ensure_ascii=False) + "\n")
    return design


def read_view(path: Path | str) -> Design:
    """The design a view file holds, validated again on reading."""
    import json

    import jsonschema

    try:
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
        jsonschema.validate(doc, VIEW_SCHEMA)
        spec = VIEWS[doc["view"]]
        if sorted(doc["tables"]) != sorted(spec.tables) or sorted(doc["settings"]) != sorted(
            spec.settings
        ):
            raise ValueError(f"tables or settings are not those of view '{doc['view']}'")
    except (OSError, ValueError, jsonschema.ValidationError) as err:
        raise RuntimeError(
            f"Bug in the package (not an input error): the design view {rel(path)} cannot be "
            f"read: {str(err).splitlines()[0]}. Delete it and rerun its rule "
            "(instruments_design_view)."
        ) from None
    sources = {}
    for k in DESIGN_TABLES:
        if k in doc["tables"]:
            tab = doc["tables"][k]
            text = pd.DataFrame(tab["rows"], columns=tab["columns"], dtype=str)
            sources[k] = (tab["file"], text, _typed(k, text.copy(), tab["file"]))
    return _from_texts(sources, doc["settings"], doc["config_file"], doc["view"])


def from_job(job) -> Design:
    """The design of a Snakemake job: from the view it declared as its ``design`` input.

    Rules written before the views declared the instrument tables themselves (and the
    settings as the ``design`` param); they still get the whole design.
    """
    view = getattr(job.input, "design", None)
    if view is not None:
        return read_view(view)
    return load_design({k: job.input[k] for k in DESIGN_TABLES}, job.params.design)
