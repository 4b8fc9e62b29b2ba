"""The privacy gate: find personal data in files before they are published.

Looks for e-mail addresses, phone numbers, links to personal profiles,
Prolific-style participant ids (24 hex digits) and the names on a deny-list.
Text files are scanned line by line; zip containers (``.qdpx``, ``.docx``, ...)
are opened and their text members scanned; binary files (images, PDFs) are
listed as not scanned. Written by hand because no maintained library in the
environment detects these identifiers in arbitrary files; the patterns are
deliberately narrow so that checksums, DOIs, version numbers and AIID ids in
the shipped data do not trip them, and every remaining exception must be
listed, with a reason, in the ``privacy.allow`` block of the config.

    python -m downstream_safety.reliability.privacy [PATH ...]   # default: data/ paper/

Run it from the study's folder: paths resolve from the working directory.
"""

from __future__ import annotations

import argparse
import csv
import fnmatch
import io
import re
import sys
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from downstream_safety.common.errors import InputError, combine
from downstream_safety.paths import (
    no_study_config,
    rel,  # noqa: F401 (re-exported for the gate script)
    study_config,
)

KINDS = ("email", "phone", "profile_url", "prolific_id", "name", "unscannable", "aiid_texts")

# Largest zip member read; beyond it the member is reported instead of read,
# so a zip bomb cannot exhaust memory.
MAX_MEMBER_BYTES = 64 * 1024 * 1024
MAX_ZIP_MEMBERS = 10_000

EMAIL = re.compile(
    r"(?<![\w.+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@"
    r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![\w-])"
)

# Phone numbers: international form with a leading '+', North-American forms,
# national forms with a leading 0 split into groups, and any digit group after a
# word such as "phone" or "tel". Plain digit runs and space-separated numbers
# without a leading '+' or 0 are not matched: they are indistinguishable from
# ids, counts and the coordinates of SVG paths.
PHONE = re.compile(
    r"(?<![\w+.\-/])"
    r"(?:"
    r"\+[1-9]\d{0,2}(?:[ .\-]?\(?\d{1,4}\)?){2,5}"  # +44 20 7946 0958, +1 (555) 123-4567
    r"|\+[1-9]\d{8,13}"  # +442079460958
    r"|\(\d{3}\)[ .\-]?\d{3}[ .\-]\d{4}"  # (555) 123-4567
    r"|\d{3}([.\-])\d{3}\1\d{4}"  # 555-123-4567, 555.123.4567
    r"|0\d{1,4}[ /\-]\d{3,4}[ \-]\d{3,4}"  # 030 1234 5678, 0612-345-678
    r")"
    r"(?![\w.\-]?\d)(?![\w])"
)
PHONE_CONTEXT = re.compile(
    r"(?i)\b(?:phone|tel|telephone|mobile|cell|whatsapp)\b[\s:.#=\-]{0,5}"
    r"(?P<number>\+?\(?\d[\d ().\-/]{5,}\d)"
)

_PROFILE_HOSTS = {
    "github.com": {
        "about",
        "features",
        "pricing",
        "topics",
        "marketplace",
        "explore",
        "login",
        "join",
        "settings",
        "site",
        "security",
        "enterprise",
        "collections",
        "trending",
        "orgs",
        "apps",
        "search",
        "notifications",
    },
    "gitlab.com": {"explore", "users", "help", "dashboard"},
    "huggingface.co": {
        "docs",
        "datasets",
        "spaces",
        "models",
        "papers",
        "blog",
        "api",
        "join",
        "login",
        "settings",
        "pricing",
        "learn",
        "tasks",
        "collections",
        "organizations",
        "posts",
        "chat",
        "enterprise",
    },
    "twitter.com": {"home", "search", "intent", "share", "i", "hashtag", "explore"},
    "x.com": {"home", "search", "intent", "share", "i", "hashtag", "explore"},
    "facebook.com": {"sharer", "groups", "events", "pages"},
    "instagram.com": {"explore", "p", "reel"},
}

# github.com/<user> (one path segment), twitter.com/<user>[/...], linkedin.com/in/<user>.
_SINGLE_SEGMENT = {"github.com", "gitlab.com", "huggingface.co", "facebook.com", "instagram.com"}
PROFILE = re.compile(
    r"(?i)(?<![\w.-])(?:https?://)?(?:www\.|[a-z]{2,3}\.|mobile\.)?"
    r"(?P<host>github\.com|gitlab\.com|huggingface\.co|twitter\.com|x\.com|facebook\.com"
    r"|instagram\.com|linkedin\.com|orcid\.org|scholar\.google\.[a-z.]+)"
    r"(?P<path>/[^\s\"'<>(){}\[\],;|\\`]*)?"
)

SIGNED_NUMBER = re.compile(r"\+\d+\.\d+")

PROLIFIC = re.compile(r"(?<![0-9A-Za-z])[0-9a-fA-F]{24}(?![0-9A-Za-z])")


@dataclass(frozen=True)
class Hit:
    file: str
    line: int
    kind: str
    match: str


@dataclass(frozen=True)
class AllowRule:
    """One exception of the allow-list: a kind, a regex for the match and/or a file glob."""

    kind: str
    reason: str
    match: re.Pattern | None = None
    files: str | None = None

    def allows(self, hit: Hit) -> bool:
        if hit.kind != self.kind:
            return False
        if self.match is not None and not self.match.fullmatch(hit.match):
            return False
        return self.files is None or fnmatch.fnmatchcase(hit.file.split("!", 1)[0], self.files)


def _profile_hits(line: str) -> Iterator[str]:
    for m in PROFILE.finditer(line):
        host = m.group("host").lower()
        path = (m.group("path") or "").rstrip(".:!?")
        segments = [s for s in path.split("/") if s]
        if host == "linkedin.com":
            if segments and segments[0].lower() in {"in", "pub"} and len(segments) > 1:
                yield m.group(0).rstrip(".:!?")
            continue
        if host == "orcid.org":
            if segments and re.fullmatch(r"\d{4}-\d{4}-\d{4}-\d{3}[\dX]", segments[0]):
                yield m.group(0).rstrip(".:!?")
            continue
        if host.startswith("scholar.google."):
            if "user=" in path:
                yield m.group(0).rstrip(".:!?")
            continue
        if not segments:
            continue
        first = segments[0].split("?")[0].split("#")[0]
        if not first or first.lower() in _PROFILE_HOSTS.get(host, set()):
            continue
        if host in _SINGLE_SEGMENT and len(segments) > 1:
            continue  # owner/repository or owner/model: a project, not a profile
        yield m.group(0).rstrip(".:!?")


def _normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


# Between the words of a name: whitespace, LaTeX ties and thin spaces, markup line breaks.
_NAME_GAP = r"(?:\s|~|\\[ ,;]|&nbsp;|<br\s*/?>)+"


def name_pattern(names: Iterable[str]) -> re.Pattern | None:
    """One case-insensitive regex for all names; words may be split as in typeset text."""
    parts = []
    for name in sorted({_normalise(n).strip() for n in names if n.strip()}, key=len, reverse=True):
        words = name.split()
        parts.append(_NAME_GAP.join(re.escape(w) for w in words))
    if not parts:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)")


def scan_line(line: str, names: re.Pattern | None) -> Iterator[tuple[str, str]]:
    for m in EMAIL.finditer(line):
        yield "email", m.group(0)
    phones = {m.group(0) for m in PHONE.finditer(line)}
    phones |= {m.group("number").strip() for m in PHONE_CONTEXT.finditer(line)}
    for text in sorted(phones):
        digits = sum(c.isdigit() for c in text)
        if 8 <= digits <= 15 and not SIGNED_NUMBER.fullmatch(text):
            yield "phone", text
    for text in _profile_hits(line):
        yield "profile_url", text
    for m in PROLIFIC.finditer(line):
        text = m.group(0)
        if any(c.isdigit() for c in text) and any(c.isalpha() for c in text):
            yield "prolific_id", text
    if names is not None:
        norm = _normalise(line)
        for m in names.finditer(norm):
            yield "name", m.group(0)


def _decode(data: bytes) -> str | None:
    """Text of a file, or None when it is binary (NUL bytes or neither UTF-8 nor Latin-1 text)."""
    if b"\x00" in data[:8192]:
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Legacy exports in Latin-1/CP-1252 still carry readable names.
        text = data.decode("latin-1")
        printable = sum(ch.isprintable() or ch in "\r\n\t" for ch in text[:8192])
        return text if printable >= 0.95 * min(len(text), 8192) else None


def scan_text(label: str, text: str, names: re.Pattern | None) -> list[Hit]:
    hits = []
    for number, line in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), 1):
        for kind, match in scan_line(line, names):
            hits.append(Hit(label, number, kind, match))
    return hits


def aiid_layout_hits(label: str, text: str) -> list[Hit]:
    """A CSV in the AI Incident Database's full export layout carries titles,
    descriptions or annotators' free-text notes (report contents keep their own
    rights): only the minimal extract of ``aiid-extract`` may be published."""
    if not label.lower().endswith(".csv"):
        return []
    header = [c.strip() for c in next(csv.reader(io.StringIO(text.split("\n", 1)[0])), [])]
    cols = set(header)
    incidents = {"incident_id", "title", "description"} <= cols
    notes = "Incident ID" in cols and any(c.startswith("Notes") for c in header)
    if incidents or notes:
        what = "title/description" if incidents else "free-text notes"
        return [Hit(label, 1, "aiid_texts", f"AIID export with {what} columns")]
    return []


def scan_bytes(
    label: str, data: bytes, names: re.Pattern | None, depth: int = 0
) -> tuple[str, list[Hit]]:
    """(how the content was scanned, hits): 'text', 'zip' or 'binary'."""
    if data[:4] == b"PK\x03\x04" and depth < 2:
        return "zip", _scan_zip(label, data, names, depth)
    if data[:4] in (b"$FL2", b"$FL3"):
        return "spss", _scan_spss(label, data, names)
    text = _decode(data)
    if text is None:
        return "binary", []
    return "text", aiid_layout_hits(label, text) + scan_text(label, text, names)


def _scan_spss(label: str, data: bytes, names: re.Pattern | None) -> list[Hit]:
    """An SPSS .sav file (binary) is scanned as its cells and labels, read with pyreadstat.

    Line n of the scanned text is case n - 1 (line 1: variable names and labels).
    """
    import tempfile

    import pyreadstat

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "scan.sav"
        path.write_bytes(data)
        try:
            df, meta = pyreadstat.read_sav(str(path))
        except pyreadstat.ReadstatError as exc:
            return [Hit(label, 0, "unscannable", f"unreadable SPSS file: {exc}")]
    head = " ".join(f"{n} {meta.column_names_to_labels.get(n) or ''}" for n in df.columns)
    labels = " ".join(str(v) for d in meta.variable_value_labels.values() for v in d.values())
    rows = [" ".join(str(v) for v in row) for row in df.itertuples(index=False)]
    return scan_text(label, "\n".join([head + " " + labels, *rows]), names)


def _scan_zip(label: str, data: bytes, names: re.Pattern | None, depth: int) -> list[Hit]:
    hits: list[Hit] = []
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        return [Hit(label, 0, "unscannable", f"corrupt zip: {exc}")]
    if len(infos) > MAX_ZIP_MEMBERS:
        return [Hit(label, 0, "unscannable", f"{len(infos)} members (limit {MAX_ZIP_MEMBERS})")]
    for info in sorted(infos, key=lambda i: i.filename):
        if info.is_dir():
            continue
        member_label = f"{label}!{info.filename}"
        if info.file_size > MAX_MEMBER_BYTES:
            hits.append(Hit(member_label, 0, "unscannable", f"{info.file_size} bytes unpacked"))
            continue
        try:
            with zf.open(info) as fh:
                content = fh.read(MAX_MEMBER_BYTES + 1)
        except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError) as exc:
            hits.append(Hit(member_label, 0, "unscannable", f"unreadable member: {exc}"))
            continue
        if len(content) > MAX_MEMBER_BYTES:
            hits.append(Hit(member_label, 0, "unscannable", "member larger than declared"))
            continue
        hits.extend(scan_bytes(member_label, content, names, depth + 1)[1])
    return hits


def read_deny_list(path: Path) -> list[str]:
    if not path.exists():
        raise InputError(
            rel(path),
            "deny-list file does not exist",
            column="privacy.deny_list",
            fix="create it (one name per line, '#' starts a comment) or fix the path in config",
        )
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    return [ln.strip() for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]


def parse_allow(entries: list[dict] | None, source: str = "config/config.yaml") -> list[AllowRule]:
    """Turn the ``privacy.allow`` config entries into rules; bad regexes name the entry."""
    rules = []
    for i, entry in enumerate(entries or [], start=1):
        try:
            pattern = re.compile(entry["match"]) if entry.get("match") else None
        except re.error as exc:
            raise InputError(
                source,
                f"privacy.allow entry {i}: 'match' is not a valid regular expression ({exc})",
                column="privacy.allow",
                values=[entry["match"]],
                fix="escape special characters (e.g. '\\.' for a dot)",
            ) from None
        rules.append(AllowRule(entry["kind"], entry["reason"], pattern, entry.get("files")))
    return rules


@dataclass
class ScanResult:
    files: list[tuple[str, str, int]]  # (file, scanned as, allowed hits)
    hits: list[Hit]


def iter_files(paths: Iterable[Path], exclude: set[str] = frozenset()) -> Iterator[Path]:
    for base in paths:
        if base.is_file():
            candidates = [base]
        elif base.is_dir():
            candidates = sorted(p for p in base.rglob("*") if p.is_file())
        else:
            continue
        for p in candidates:
            if rel(p) not in exclude and "__pycache__" not in p.parts:
                yield p


def scan_paths(
    paths: Iterable[Path],
    deny: list[str],
    allow: list[AllowRule],
    exclude: set[str] = frozenset(),
) -> ScanResult:
    names = name_pattern(deny)
    files = []
    hits: list[Hit] = []
    for p in iter_files(paths, exclude):
        label = rel(p)
        how, found = scan_bytes(label, p.read_bytes(), names)
        kept = [h for h in found if not any(r.allows(h) for r in allow)]
        files.append((label, how, len(found) - len(kept)))
        hits.extend(kept)
    hits.sort(key=lambda h: (h.file, h.line, h.kind, h.match))
    return ScanResult(sorted(files), hits)


_FIX = {
    "email": "remove the address or replace it with a pseudonym",
    "phone": "remove the number",
    "profile_url": "remove the link or replace it with a pseudonym",
    "prolific_id": "replace participant ids with pseudonyms "
    "(python -m downstream_safety.reliability.pseudonymise --column NAME IN.csv OUT.csv)",
    "name": "replace the name with the participant's pseudonym",
    "unscannable": "unpack and check the member by hand, or remove it",
    "aiid_texts": "keep the AIID snapshot outside the repository (incidents.aiid_snapshot reads "
    "it in place); publish only the minimal extract of `python3 repro.py aiid-extract SNAPSHOT`",
}
_ALLOW_HINT = (
    "; if the match is not personal data, list it with a reason under privacy.allow "
    "in config/config.yaml"
)


# A survey export under data/raw/ is published with the package: it goes in as the
# de-identified wave, written from the original kept outside the repository.
_RAW_SURVEY_HINT = (
    "this is a raw export that would be published: keep the original outside the "
    "repository (e.g. in the git-ignored private/) and write the publishable wave with "
    "`python3 repro.py deidentify --format FORMAT --salt-file SALT EXPORT {file}` "
    "(only the columns the design uses, ids pseudonymised); otherwise "
)


def _fix(hit: Hit) -> str:
    file = hit.file.split("!", 1)[0]
    hint = _RAW_SURVEY_HINT.format(file=file) if file.startswith("data/raw/survey/") else ""
    return hint + _FIX[hit.kind] + _ALLOW_HINT


def hits_error(hits: list[Hit]) -> InputError:
    errors = [
        InputError(
            h.file,
            f"possible personal data ({h.kind}): {h.match!r}",
            rows=[h.line] if h.line else None,
            fix=_fix(h),
        )
        for h in hits
    ]
    err = combine(errors)
    if len(errors) > 1:
        err.args = (f"privacy gate: {len(hits)} hit(s)\n\n" + err.args[0],)
    return err


def load_config(config_path: Path) -> dict:
    cfg = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    return cfg.get("privacy", {})


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Scan files for personal data (the privacy gate).")
    ap.add_argument("paths", nargs="*", type=Path, help="files or folders (default: data paper)")
    ap.add_argument(
        "--config",
        type=Path,
        default=None,
        help="the study's config (default: config.yaml, else config/config.yaml)",
    )
    args = ap.parse_args(argv)
    config = study_config(args.config)
    if config is None:
        print(no_study_config(args.config), file=sys.stderr)
        return 1
    args.config = config
    try:
        privacy = load_config(args.config)
        deny = read_deny_list(Path(privacy["deny_list"]))
        allow = parse_allow(privacy.get("allow"), rel(args.config))
        paths = args.paths or [Path("data"), Path("paper")]
        result = scan_paths(paths, deny, allow)
    except InputError as err:
        print(err, file=sys.stderr)
        return 1
    if result.hits:
        print(hits_error(result.hits), file=sys.stderr)
        return 1
    print(f"privacy gate: {len(result.files)} file(s) checked, no personal data found")
    return 0


if __name__ == "__main__":
    sys.exit(main())
