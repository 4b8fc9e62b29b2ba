"""A tiny study design written as instrument tables: free-form RQ ids, a
7-point importance scale, two concern contexts and two items measuring one
concern, so that hand computation is easy."""

from __future__ import annotations

from pathlib import Path

from downstream_safety.instruments.design import design_tables, load_design

TABLES = {
    "research_questions.csv": "rq,rq_order,rq_label\nQ-a,1,Worries\nQ-b,2,Habits\nQ-c,3,Hurdles\n",
    "codebook_themes.csv": (
        "rq,theme_id,theme_name,theme_order\n"
        "Q-a,tw,Worry theme,1\nQ-b,th,Habit theme,2\nQ-c,tu,Hurdle theme,3\n"
    ),
    "codebook_subthemes.csv": (
        "rq,theme_id,subtheme_id,subtheme_name,short_label,subtheme_order\n"
        "Q-a,tw,p,Worry p,P,1\n"
        "Q-a,tw,q,Worry q,Q,2\n"
        "Q-b,th,h,Habit h,H,3\n"
        "Q-c,tu,z,Hurdle z,Z,4\n"
        "Q-c,tu,w,Hurdle w,W,5\n"
    ),
    "survey_blocks.csv": (
        "block,block_order,figure,figure_title\n"
        "importance,1,fig_imp,Importance\nfrequency,2,fig_freq,Frequency\n"
        "agreement,3,fig_agr,Agreement\n"
    ),
    "survey_items.csv": (
        "item_order,item_id,block,subtheme_id,context,scale_id,statement\n"
        "1,imp_p,importance,p,,importance7,How important is p?\n"
        "2,imp_p_again,importance,p,,importance7,How important is p (asked again)?\n"
        "3,imp_q,importance,q,,importance7,How important is q?\n"
        "4,freq_h__a,frequency,h,a,frequency4,How often h for a?\n"
        "5,freq_h__b,frequency,h,b,frequency4,How often h for b?\n"
        "6,agr_z,agreement,z,,agreement5,Do you agree z?\n"
    ),
    "survey_scales.csv": "scale_id,code,label\n"
    + "".join(
        f"importance7,{i},{lab}\n"
        for i, lab in enumerate(
            ["None", "Tiny", "Low", "Medium", "Fair", "Very important", "Extremely important"],
            start=1,
        )
    )
    + "".join(f"frequency4,{i},F{i}\n" for i in range(1, 5))
    + "".join(f"agreement5,{i},A{i}\n" for i in range(1, 6)),
    "survey_missing_labels.csv": "label,meaning\n,no answer (empty cell)\n",
    "survey_contexts.csv": "context_id,context_label,context_order\na,C1 alpha,1\nb,C2 beta,2\n",
    "survey_demographics.csv": "question_id,question_label,option_order,option_label\n",
    "participant_fields.csv": "field_id,kind,table2_order,table2_label,summary_order,"
    "summary_label,option_order,option_label\n",
}


def tiny_design(folder: Path, taxonomy_rq: str | None = "Q-a"):
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in TABLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return load_design(design_tables(folder), {"taxonomy_rq": taxonomy_rq})
