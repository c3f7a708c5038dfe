"""Checking a certificate by what it is, not what it is called (as a concern's evidence is
checked in incidents/evidence.py): a PDF or an image, by its first bytes."""

import hashlib
import uuid
from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile

from esafety.actions import ServiceRefusal

MAX_BYTES = 10 * 1024 * 1024

# Magic numbers of what a certificate arrives as: a PDF, a photo or a screenshot of one.
SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"GIF87a", "image/gif", "gif"),
    (b"GIF89a", "image/gif", "gif"),
)


class CertificateRefused(ServiceRefusal):
    pass


@dataclass(frozen=True)
class CheckedCertificate:
    upload: UploadedFile
    content_type: str
    extension: str
    size: int
    sha256: str

    @property
    def storage_name(self) -> str:
        # A random name: neither the person's name nor the file's own reaches the disk.
        return f"{uuid.uuid4().hex}.{self.extension}"


def sniff(head: bytes) -> tuple[str, str] | None:
    for magic, content_type, ext in SIGNATURES:
        if head.startswith(magic):
            return content_type, ext
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp", "webp"
    return None


def check_certificate(upload: UploadedFile) -> CheckedCertificate:
    size = upload.size or 0
    if size > MAX_BYTES:
        raise CertificateRefused(
            f"The certificate is larger than {MAX_BYTES // (1024 * 1024)} MB. Attach a smaller "
            "scan or photo."
        )
    upload.seek(0)
    kind = sniff(upload.read(16))
    if kind is None:
        raise CertificateRefused(
            "The certificate is not a PDF or a PNG, JPEG, GIF or WebP image. Whatever its name "
            "says, its contents are something else, so it was not kept."
        )
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedCertificate(upload, kind[0], kind[1], size, digest.hexdigest())
