"""Checking a certificate by what it is, not what it is called (esafety/uploads.py, as a
concern's evidence is checked): a PDF or an image, by its first bytes."""

from django.core.files.uploadedfile import UploadedFile

from esafety.actions import ServiceRefusal
from esafety.uploads import MAX_BYTES, CheckedFile, checked


class CertificateRefused(ServiceRefusal):
    pass


def check_certificate(upload: UploadedFile) -> CheckedFile:
    size = upload.size or 0
    if size > MAX_BYTES:
        raise CertificateRefused(
            f"The certificate is larger than {MAX_BYTES // (1024 * 1024)} MB. Attach a smaller "
            "scan or photo."
        )
    found = checked(upload)
    if found is None:
        raise CertificateRefused(
            "The certificate is not a PDF or a PNG, JPEG, GIF or WebP image. Whatever its name "
            "says, its contents are something else, so it was not kept."
        )
    return found
