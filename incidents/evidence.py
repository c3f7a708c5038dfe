"""Checking evidence files by what they are, not what they are called."""

import hashlib
import uuid
from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile

MAX_BYTES = 10 * 1024 * 1024
MAX_FILES = 5

# Magic numbers of the file types a screenshot or a printed page arrives as.
SIGNATURES: tuple[tuple[bytes, int, str, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", 0, "image/png", "png"),
    (b"\xff\xd8\xff", 0, "image/jpeg", "jpg"),
    (b"GIF87a", 0, "image/gif", "gif"),
    (b"GIF89a", 0, "image/gif", "gif"),
    (b"%PDF-", 0, "application/pdf", "pdf"),
)


class EvidenceRefused(Exception):
    pass


@dataclass(frozen=True)
class CheckedFile:
    upload: UploadedFile
    content_type: str
    extension: str
    size: int
    sha256: str

    @property
    def storage_name(self) -> str:
        # A random name: nothing about the child or the file's own name reaches the disk.
        return f"{uuid.uuid4().hex}.{self.extension}"


def sniff(head: bytes) -> tuple[str, str] | None:
    for magic, offset, content_type, ext in SIGNATURES:
        if head[offset : offset + len(magic)] == magic:
            return content_type, ext
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp", "webp"
    return None


def looks_like_image_or_document(head: bytes) -> bool:
    return sniff(head) is not None


def check_file(upload: UploadedFile) -> CheckedFile:
    if upload.size > MAX_BYTES:
        raise EvidenceRefused(
            f"“{upload.name}” is larger than {MAX_BYTES // (1024 * 1024)} MB. Attach a smaller "
            "screenshot."
        )
    upload.seek(0)
    head = upload.read(16)
    kind = sniff(head)
    if kind is None:
        raise EvidenceRefused(
            f"“{upload.name}” is not a PNG, JPEG, GIF or WebP image or a PDF. Whatever its name "
            "says, its contents are something else, so it was not attached."
        )
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedFile(upload, kind[0], kind[1], upload.size, digest.hexdigest())
