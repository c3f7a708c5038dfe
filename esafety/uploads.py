"""An uploaded file known by what it is, not by what it is called: its first bytes name its
type (a PDF or a PNG, JPEG, GIF or WebP image), and it is kept under a random name with its
SHA-256. A concern's evidence (incidents/evidence.py) and a training certificate
(training/certificates.py) are both checked this way; each says in its own words why a file is
refused."""

import hashlib
import uuid
from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile

MAX_BYTES = 10 * 1024 * 1024

# Magic numbers of what a screenshot, a photo or a printed page arrives as.
SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"GIF87a", "image/gif", "gif"),
    (b"GIF89a", "image/gif", "gif"),
)


@dataclass(frozen=True)
class CheckedFile:
    upload: UploadedFile
    content_type: str
    extension: str
    size: int
    sha256: str

    @property
    def storage_name(self) -> str:
        # A random name: nothing about the person or the file's own name reaches the disk.
        return f"{uuid.uuid4().hex}.{self.extension}"


def sniff(head: bytes) -> tuple[str, str] | None:
    """(content type, extension) from a file's first 16 bytes, or None for anything else."""
    for magic, content_type, ext in SIGNATURES:
        if head.startswith(magic):
            return content_type, ext
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp", "webp"
    return None


def checked(upload: UploadedFile) -> CheckedFile | None:
    """The file, its type and its SHA-256; None when its contents are none of SIGNATURES."""
    upload.seek(0)
    kind = sniff(upload.read(16))
    if kind is None:
        return None
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedFile(upload, kind[0], kind[1], upload.size or 0, digest.hexdigest())
