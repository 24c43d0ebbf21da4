"""License evidence files: a PDF or image an admin saved from a board's site, kept outside the web root.

The type is decided by the file's first bytes, never by its name or the browser's claim, and a file whose name or
claimed type disagrees with its content is refused (a renamed executable stays out). Files get random names in
the evidence folder (instance/evidence by default), are never under static/, and are served only to admins.
"""
from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

# mime type -> (magic prefix, accepted file name endings, stored extension)
KINDS: dict[str, tuple[bytes, tuple[str, ...], str]] = {
    "application/pdf": (b"%PDF-", (".pdf",), ".pdf"),
    "image/png": (b"\x89PNG\r\n\x1a\n", (".png",), ".png"),
    "image/jpeg": (b"\xff\xd8\xff", (".jpg", ".jpeg"), ".jpg"),
}


class EvidenceRefused(ValueError):
    """An upload that is not acceptable; the message says why, politely."""


@dataclass(frozen=True)
class StoredEvidence:
    name: str
    mime: str
    size: int


def sniff(head: bytes) -> str | None:
    for mime, (magic, _endings, _ext) in KINDS.items():
        if head.startswith(magic):
            return mime
    return None


def check(stream: BinaryIO, filename: str, claimed_type: str | None, max_bytes: int) -> tuple[bytes, str]:
    """The file's bytes and real type, or EvidenceRefused. Reads at most max_bytes + 1 bytes."""
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise EvidenceRefused(f"The evidence file is larger than {max_bytes // (1024 * 1024)} MB; "
                              "please upload a smaller PDF or image.")
    if not data:
        raise EvidenceRefused("The evidence file is empty.")
    mime = sniff(data[:16])
    if mime is None:
        raise EvidenceRefused("Evidence must be a PDF, PNG or JPEG file; this file's content is none of those.")
    endings = KINDS[mime][1]
    name = (filename or "").lower()
    if not name.endswith(endings):
        raise EvidenceRefused(f"This file's name does not match its content ({mime}); "
                              "please upload it with its real extension.")
    claimed = (claimed_type or "").split(";", 1)[0].strip().lower()
    if claimed and claimed not in {mime, "application/octet-stream"} and not (
        mime == "image/jpeg" and claimed == "image/pjpeg"
    ):
        raise EvidenceRefused(f"This file claims to be {claimed} but its content is {mime}; it was not saved.")
    return data, mime


def store(folder: Path, data: bytes, mime: str) -> StoredEvidence:
    """Write the bytes under a random name (readable by the app's user only)."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    name = secrets.token_hex(16) + KINDS[mime][2]
    fd = os.open(folder / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    return StoredEvidence(name, mime, len(data))


def discard(folder: Path, name: str) -> None:
    """Remove a file written for a change that was then refused or rolled back."""
    if is_stored_name(name):
        (folder / name).unlink(missing_ok=True)


def is_stored_name(name: str | None) -> bool:
    """Names this module makes: 32 hex characters and an extension (so no path can sneak in)."""
    if not name or len(name) > 40:
        return False
    stem, _, ext = name.partition(".")
    return len(stem) == 32 and all(c in "0123456789abcdef" for c in stem) and f".{ext}" in {".pdf", ".png", ".jpg"}


def folder_for(config: dict, instance_path: str) -> Path:
    return Path(config.get("EVIDENCE_DIR") or Path(instance_path) / "evidence")
