"""A two-coder REFI-QDA project in the by-name convention, with hand-chosen texts and spans.

Participants P_1 and P_2 (the first two of participants.csv); codes C1 and C2 of one
subtheme T (the first subtheme with two codes), C3 of another subtheme T3. The writer
lays each participant's key points out as "[id] key point" lines, so the texts are:

    P_1: "[s1] alpha beta gamma\\n[s2] delta epsilon\\n"   41 characters
         s1 = [5, 21) coded C1, s2 = [27, 40) coded C2
    P_2: "[s3] zeta eta theta\\n"                          20 characters
         s3 = [5, 19) coded C3

Coder "ana" codes exactly those passages. Coder "ben" codes C1 on [5, 15) ("alpha beta")
and C2 on [27, 40) in P_1, C3 on [5, 19) and C1 on [10, 13) ("eta") in P_2.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pandas as pd
from lxml import etree

from downstream_safety.interviews import refi_qda
from reconstruction import refi_qda_writer
from tests.interviews.helpers import interview_files, paper_design

NS = {"q": refi_qda.NS}
ANA, BEN = "ana", "ben"
TEXT_1 = "[s1] alpha beta gamma\n[s2] delta epsilon\n"
TEXT_2 = "[s3] zeta eta theta\n"
BEN_SPANS = [(1, "C1", 5, 15), (1, "C2", 27, 40), (2, "C3", 5, 19), (2, "C1", 10, 13)]


def _q(tag: str) -> str:
    return f"{{{refi_qda.NS}}}{tag}"


def chosen():
    """(participant ids, codes C1, C2, C3, subthemes T, T3) read from the raw tables."""
    files = interview_files()
    codes = pd.read_csv(files["codes"], dtype=str, keep_default_na=False)
    parts = pd.read_csv(files["participants"], dtype=str, keep_default_na=False)
    parts = parts.sort_values("interview_order", key=lambda s: s.astype(int))
    sizes = codes.groupby("subtheme_id")["code_id"].count()
    t = sorted(sizes[sizes >= 2].index)[0]
    c1, c2 = sorted(codes.loc[codes["subtheme_id"] == t, "code_id"])[:2]
    t3 = sorted(s for s in codes["subtheme_id"].unique() if s != t)[0]
    c3 = sorted(codes.loc[codes["subtheme_id"] == t3, "code_id"])[0]
    pids = parts["participant_id"].tolist()[:2]
    return pids, {"C1": c1, "C2": c2, "C3": c3}, {"T": t, "T3": t3}, codes


def write_two_coder_project(
    path: Path, *, unlisted_user: bool = False, anonymous: bool = False
) -> Path:
    """Write the project; ``unlisted_user`` makes ben's codings name a user <Users> lacks,
    ``anonymous`` leaves ana's first selection and its coding without creatingUser."""
    pids, code, _, codes = chosen()
    segs = pd.DataFrame(
        [
            ("s1", pids[0], "", code["C1"], "", "alpha beta gamma"),
            ("s2", pids[0], "", code["C2"], "", "delta epsilon"),
            ("s3", pids[1], "", code["C3"], "", "zeta eta theta"),
        ],
        columns=["segment_id", "participant_id", "rq", "code_id", "subtheme_id", "key_point"],
    )
    xml, texts = refi_qda_writer.build_project(
        codes, segs, paper_design(), pids, convention="names"
    )
    assert sorted(texts.values()) == sorted([TEXT_1, TEXT_2])  # the layout described above
    root = etree.fromstring(xml)
    root.set("origin", "QualCoder 3.6")
    users = root.find("q:Users", NS)
    ana_guid = refi_qda_writer.guid("user", ANA)
    ben_guid = refi_qda_writer.guid("user", BEN)
    for u in users.findall("q:User", NS):
        users.remove(u)
    etree.SubElement(users, _q("User"), guid=ana_guid, name=ANA)
    if not unlisted_user:
        etree.SubElement(users, _q("User"), guid=ben_guid, name=BEN)
    root.set("creatingUserGUID", ana_guid)
    for el in root.iter():
        if el.get("creatingUser"):
            el.set("creatingUser", ana_guid)
    if anonymous:
        first = root.find("q:Sources/q:TextSource/q:PlainTextSelection", NS)
        for el in (first, first.find("q:Coding", NS)):
            del el.attrib["creatingUser"]
    code_guid = {k: refi_qda_writer.guid("code", v) for k, v in code.items()}
    sources = {
        i: root.find(f"q:Sources/q:TextSource[@name='{pid}.txt']", NS)
        for i, pid in enumerate(pids, start=1)
    }
    for n, (i, c, start, end) in enumerate(BEN_SPANS, start=1):
        sel = etree.SubElement(
            sources[i], _q("PlainTextSelection"), guid=refi_qda_writer.guid("ben", str(n)),
            name=f"b{n}", startPosition=str(start), endPosition=str(end),
        )  # fmt: skip
        coding = etree.SubElement(
            sel, _q("Coding"), guid=refi_qda_writer.guid("ben-coding", str(n)),
            creatingUser=ben_guid,
        )  # fmt: skip
        etree.SubElement(coding, _q("CodeRef"), targetGUID=code_guid[c])
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("project.qde", etree.tostring(root, xml_declaration=True, encoding="utf-8"))
        for name, text in sorted(texts.items()):
            zf.writestr(name, text.encode("utf-8"))
    return path
