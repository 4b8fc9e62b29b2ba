"""Coders read from the two forms of the coded interviews, and the agreement table.

The REFI-QDA case is the project of ``coder_projects`` (texts and spans there). Its
character tables, by hand:

C1 (code): P_1 (41 characters): ana [5, 21) = 16, ben [5, 15) = 10 -> both 10, ana only
6, ben only 0, neither 25. P_2 (20): ana none, ben [10, 13) = 3 -> both 0, ana only 0,
ben only 3, neither 17. Pooled (61): 10 / 6 / 3 / 42.
  P_1: p_o = 35/41, p_e = (16*10 + 25*31)/41^2 = 935/1681,
       kappa = (35*41 - 935)/(1681 - 935) = 500/746.
  pooled: p_o = 52/61, ana yes 16, ben yes 13, p_e = (16*13 + 45*48)/61^2 = 2368/3721,
       kappa = (52*61 - 2368)/(3721 - 2368) = 804/1353.
T (subtheme of C1 and C2): P_1 ana [5, 21) + [27, 40) = 29, ben [5, 15) + [27, 40) = 23
-> both 23, ana only 6, neither 12; P_2 ben only 3, neither 17. Pooled: 23 / 6 / 3 / 29.
  p_e = (29*26 + 32*35)/3721 = 1874/3721, kappa = (3172 - 1874)/(3721 - 1874) = 1298/1847.
C2 and T3: both coders alike everywhere: kappa 1, 100 %.

Presence over both participants x S codebook subthemes: ana says (P_1, T), (P_2, T3);
ben says those and (P_2, T). Two units agree on 1 (o11 = 4), one disagrees (o01 = o10
= 1), 2S - 3 agree on 0; n = 4S values, n1 = 5, n0 = 4S - 5:
alpha = 1 - (n - 1) * 2 / (2 * n1 * n0) = 1 - (4S - 1) / (5 (4S - 5)).
"""

from __future__ import annotations

import pandas as pd
import pytest

from downstream_safety.common.errors import InputError
from downstream_safety.interviews import aggregate
from downstream_safety.interviews.coder_agreement import POOLED, agreement_table
from downstream_safety.interviews.load import load_csv_interviews
from downstream_safety.interviews.numbers import agreement_numbers
from downstream_safety.interviews.sources import check_inputs, load_coded_interviews
from tests.interviews import coder_projects as CP
from tests.interviews.helpers import interview_files, load_paper, paper_design


def _n_subthemes() -> int:
    return len(pd.read_csv(interview_files()["codes"].parent.parent / "instruments" /
                           "codebook_subthemes.csv"))  # fmt: skip


def _alpha_by_hand() -> float:
    s = _n_subthemes()
    return 1 - (4 * s - 1) / (5 * (4 * s - 5))


def _files(project) -> dict[str, str]:
    files = {k: str(v) for k, v in interview_files().items()}
    files["project"] = str(project)
    return files


@pytest.fixture
def two_coders(tmp_path):
    return load_coded_interviews(
        "refi_qda", _files(CP.write_two_coder_project(tmp_path / "two.qdpx")), paper_design()
    )


def _table(coded, threshold=None):
    return agreement_table(
        coded.segments,
        coded.codings,
        coded.lengths,
        paper_design().subthemes["subtheme_id"].tolist(),
        threshold,
    )


def _row(table, level, unit, source=POOLED):
    got = table[(table["level"] == level) & (table["unit"] == unit) & (table["source"] == source)]
    assert len(got) == 1, (level, unit, source)
    return got.iloc[0]


def test_creating_users_are_the_coders(two_coders):
    assert two_coders.coders() == [CP.ANA, CP.BEN]
    p1, p2 = CP.chosen()[0]
    assert two_coders.lengths == {f"{p1}.txt": 41, f"{p2}.txt": 20}


def test_kappa_per_code_and_subtheme_by_hand(two_coders):
    _, code, sub, _ = CP.chosen()
    p1 = f"{CP.chosen()[0][0]}.txt"
    t = _table(two_coders, threshold=0.65)
    c1 = _row(t, "code", code["C1"])
    assert (c1.both, c1.neither, c1.only_a, c1.only_b) == (10, 42, 6, 3)
    assert c1.kappa == pytest.approx(804 / 1353)
    assert c1.pct_agreement == pytest.approx(100 * 52 / 61)
    assert _row(t, "code", code["C1"], p1).kappa == pytest.approx(500 / 746)
    st = _row(t, "subtheme", sub["T"])
    assert (st.both, st.neither, st.only_a, st.only_b) == (23, 29, 6, 3)
    assert st.kappa == pytest.approx(1298 / 1847)
    assert _row(t, "code", code["C2"]).kappa == 1.0
    assert _row(t, "subtheme", sub["T3"]).pct_agreement == 100.0
    # threshold 0.65: C1 pooled (0.594) misses it, T (0.703) reaches it
    assert not bool(c1.meets_threshold) and bool(st.meets_threshold)
    assert t.loc[t["source"] != POOLED, "meets_threshold"].isna().all()
    alpha = t.loc[t["level"] == "presence", "alpha"].iloc[0]
    assert alpha == pytest.approx(_alpha_by_hand())


def test_without_threshold_the_flag_is_empty(two_coders):
    assert _table(two_coders)["meets_threshold"].isna().all()


def test_numbers_for_the_manuscript(two_coders):
    _, code, sub, _ = CP.chosen()
    nums = dict((k, v) for k, v, _ in agreement_numbers(_table(two_coders)))
    assert nums[f"coder_kappa__{sub['T']}"] == pytest.approx(1298 / 1847)
    assert nums[f"coder_kappa_code__{code['C1']}"] == pytest.approx(804 / 1353)
    assert nums["coder_alpha__presence"] == pytest.approx(_alpha_by_hand())


def test_two_coders_do_not_double_count_participants(two_coders):
    """Participants per subtheme count distinct participants over both coders' codings."""
    pids, _, sub, _ = CP.chosen()
    n = aggregate.subtheme_participants(two_coders.segments, two_coders.codebook)
    n = n.set_index("subtheme_id")["n_participants"]
    assert n[sub["T"]] == 2  # P_1 by both coders, P_2 by ben only
    assert n[sub["T3"]] == 1  # P_2 by both coders
    assert n.sum() == 3
    m = aggregate.participant_subtheme_matrix(
        two_coders.segments, two_coders.participants, two_coders.codebook
    ).set_index("participant_id")
    assert m.loc[pids[0], sub["T"]] == 1 and m.loc[pids[1], sub["T"]] == 1


def test_unlisted_creating_user_is_refused(tmp_path):
    path = CP.write_two_coder_project(tmp_path / "two.qdpx", unlisted_user=True)
    with pytest.raises(InputError) as err:
        load_coded_interviews("refi_qda", _files(path), paper_design())
    msg = str(err.value)
    assert "two.qdpx" in msg and "creatingUser" in msg and "<Users>" in msg
    assert "<User guid=" in msg  # the fix names the element to add


def test_coding_without_creating_user_among_two_coders_is_refused(tmp_path):
    path = CP.write_two_coder_project(tmp_path / "two.qdpx", anonymous=True)
    with pytest.raises(InputError) as err:
        load_coded_interviews("refi_qda", _files(path), paper_design())
    msg = str(err.value)
    assert "two.qdpx" in msg and "without creatingUser" in msg and "ana, ben" in msg


def test_single_user_project_has_one_coder():
    coded = load_paper("refi_qda")
    assert coded.coders() == ["coder"]


def test_paper_csv_has_no_coders_and_threshold_is_refused():
    assert load_paper("csv").coders() == []
    from downstream_safety.instruments.design import design_tables
    from downstream_safety.paths import RAW

    files = {k: str(v) for k, v in interview_files().items() if k != "project"}
    assert check_inputs("csv", files, design_tables(RAW / "instruments"), {}, None) == []
    with pytest.raises(InputError, match="kappa_threshold"):
        check_inputs(
            "csv", files, design_tables(RAW / "instruments"), {}, None, kappa_threshold=0.6
        )


# --- the CSV form with a coder column -----------------------------------------


def _csv(tmp_path, rows, header=("coder",)) -> str:
    cols = ["segment_id", "participant_id", "rq", "code_id", "subtheme_id", "key_point", *header]
    path = tmp_path / "coded_segments.csv"
    pd.DataFrame(rows, columns=cols).to_csv(path, index=False)
    return str(path)


def _csv_rows():
    pids, code, sub, codes = CP.chosen()
    rq = codes.set_index("code_id")["rq"]

    def row(sid, pid, c, coder):
        cid = code[c]
        s = codes.set_index("code_id").loc[cid, "subtheme_id"]
        return (sid, pid, rq[cid], cid, s, f"key point {sid}", coder)

    return [
        row("a1", pids[0], "C1", "ana"),
        row("a2", pids[1], "C3", "ana"),
        row("b1", pids[0], "C2", "ben"),
        row("b2", pids[1], "C3", "ben"),
        row("b3", pids[1], "C1", "ben"),
    ]


def test_csv_coder_column_gives_presence_alpha_by_hand(tmp_path):
    # The same presence as the project: ana (P_1, T), (P_2, T3); ben those and (P_2, T).
    files = interview_files()
    coded = load_csv_interviews(
        files["codes"], _csv(tmp_path, _csv_rows()), files["participants"], paper_design()
    )
    assert coded.coders() == ["ana", "ben"]
    assert "coder" not in coded.segments.columns  # segments.csv keeps its columns
    t = _table(coded)
    assert list(t["level"]) == ["presence"]  # key points carry no offsets: no kappa
    assert t["alpha"].iloc[0] == pytest.approx(_alpha_by_hand())
    n = aggregate.subtheme_participants(coded.segments, coded.codebook)
    assert n.set_index("subtheme_id")["n_participants"][CP.chosen()[2]["T"]] == 2


def test_csv_coder_column_with_an_empty_cell_is_refused(tmp_path):
    rows = _csv_rows()
    rows[2] = (*rows[2][:-1], "")
    files = interview_files()
    with pytest.raises(InputError) as err:
        load_csv_interviews(
            files["codes"], _csv(tmp_path, rows), files["participants"], paper_design()
        )
    assert "coder" in str(err.value) and "coded_segments.csv" in str(err.value)


def test_three_coders_whose_names_give_one_key_part_are_refused(tmp_path):
    rows = _csv_rows() + [(*_csv_rows()[0][:-1], "Ana")]
    rows[-1] = ("c1", *rows[-1][1:])
    files = {k: str(v) for k, v in interview_files().items() if k != "project"}
    files["segments"] = _csv(tmp_path, rows)
    from downstream_safety.instruments.design import design_tables
    from downstream_safety.paths import RAW

    with pytest.raises(InputError, match="'Ana' and 'ana'|'ana' and 'Ana'"):
        check_inputs("csv", files, design_tables(RAW / "instruments"), {}, None)
