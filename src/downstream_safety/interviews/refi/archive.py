"""The ``.qdpx`` container: a zip holding ``project.qde`` and the sources.

Nothing is extracted to disk: members are read into memory after checking that
their names stay inside the archive and that their sizes are bounded (a forged
size header cannot make the reader inflate more than the limit).
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from downstream_safety.common.errors import InputError
from downstream_safety.paths import rel

MAX_MEMBER_BYTES = 20 * 1024 * 1024
MAX_TOTAL_BYTES = 200 * 1024 * 1024


def safe_members(zf: zipfile.ZipFile, file: str) -> dict[str, zipfile.ZipInfo]:
    """Refuse members that would escape the archive or that are implausibly large."""
    members: dict[str, zipfile.ZipInfo] = {}
    total = 0
    for info in zf.infolist():
        name = info.filename
        path = PurePosixPath(name.replace("\\", "/"))
        if path.is_absolute() or ".." in path.parts or re.match(r"^[A-Za-z]:", name):
            raise InputError(
                file,
                "archive member with an absolute or parent-directory path (path traversal)",
                values=[name],
                fix="re-export the project from the QDA tool; member names must stay "
                "inside the archive",
            )
        if info.file_size > MAX_MEMBER_BYTES:
            raise InputError(
                file,
                f"archive member larger than {MAX_MEMBER_BYTES} bytes",
                values=[name],
                fix="export the project without media files (plain-text sources only)",
            )
        total += info.file_size
        if total > MAX_TOTAL_BYTES:
            raise InputError(
                file,
                f"archive expands to more than {MAX_TOTAL_BYTES} bytes",
                fix="export the project without media files (plain-text sources only)",
            )
        if not name.endswith("/"):
            members[path.as_posix()] = info
    return members


@dataclass
class Archive:
    """An open ``.qdpx``: its label for messages, its members and the project bytes."""

    file: str
    zf: zipfile.ZipFile
    members: dict[str, zipfile.ZipInfo]
    project_member: str

    def read(self, name: str) -> bytes:
        info = self.members[name]
        # Read at most limit+1 bytes: a forged header cannot make us inflate more.
        with self.zf.open(info) as fh:
            data = fh.read(MAX_MEMBER_BYTES + 1)
        if len(data) > MAX_MEMBER_BYTES:
            raise InputError(
                self.file,
                f"archive member larger than {MAX_MEMBER_BYTES} bytes (more than declared)",
                values=[name],
                fix="export the project without media files (plain-text sources only)",
            )
        return data

    def project_bytes(self) -> bytes:
        return self.read(self.project_member)

    def find(self, ref: str) -> str | None:
        """The member a source's ``plainTextPath`` names, or None.

        ``internal://NAME`` lives in ``Sources/`` (some tools write ``sources/``); a
        relative path (``relative://PATH`` or a bare ``PATH``) is looked up in the
        archive itself and under ``sources/``.
        """
        if ref.startswith("internal://"):
            name = ref[len("internal://") :]
            keys = [f"sources/{name}"]
        elif ref.startswith("relative://"):
            name = ref[len("relative://") :]
            keys = [name, f"sources/{name}"]
        else:
            keys = [ref, f"sources/{ref}"]
        lower = {n.lower(): n for n in self.members}
        for k in keys:
            if k.lower() in lower:
                return lower[k.lower()]
        return None

    def close(self) -> None:
        self.zf.close()


def is_external(ref: str) -> bool:
    """A ``plainTextPath`` that points outside the archive (absolute:// or a file path)."""
    if ref.startswith(("internal://", "relative://")):
        return False
    return "://" in ref or ref.startswith("/") or bool(re.match(r"^[A-Za-z]:[\\/]", ref))


def open_archive(path: Path | str) -> Archive:
    file = rel(path)
    p = Path(path)
    if not p.exists():
        raise InputError(
            file, "file does not exist", fix="check interviews.refi_qda_project in the config"
        )
    try:
        zf = zipfile.ZipFile(p)
    except zipfile.BadZipFile:
        raise InputError(
            file, "not a zip archive", fix="export a REFI-QDA project (.qdpx)"
        ) from None
    try:
        members = safe_members(zf, file)
        qde = [n for n in members if n.lower() == "project.qde"] or [
            n for n in members if n.lower().endswith(".qde") and "/" not in n
        ]
        if len(qde) != 1:
            raise InputError(
                file,
                "archive must contain exactly one project .qde at its top level",
                values=sorted(members),
                fix="export a REFI-QDA project (.qdpx) from the QDA tool",
            )
    except InputError:
        zf.close()
        raise
    return Archive(file, zf, members, qde[0])


def decode_source(data: bytes, file: str, member: str) -> str:
    """A source's text as stored: UTF-8 (a leading BOM is dropped, not counted) or
    UTF-16 with its BOM. Line ends are kept as they are."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        codec = "utf-16"
    else:
        codec = "utf-8-sig"
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        raise InputError(
            file,
            f"source text {member} is not UTF-8 or UTF-16 with a BOM ({exc.reason} at byte "
            f"{exc.start})",
            values=[member],
            fix="re-export the project; REFI-QDA plain-text sources are UTF-8",
        ) from None
