"""Checking evidence files by what they are, not what they are called (esafety/uploads.py),
and keeping every byte of an upload in memory until then."""

import io

from django.core.files.uploadedfile import InMemoryUploadedFile, UploadedFile
from django.core.files.uploadhandler import FileUploadHandler

from esafety.uploads import MAX_BYTES, CheckedFile, checked

MAX_FILES = 5


class EvidenceRefused(Exception):
    pass


class DroppedUpload(InMemoryUploadedFile):
    """A file whose bytes were thrown away as they arrived, because it was over MAX_BYTES or came
    after MAX_FILES others: its name and size are known, its contents are not. Never stored."""


class MemoryOnlyUploadHandler(FileUploadHandler):
    """Keeps uploaded files in memory, and never writes a byte of one to disk.

    Django's own handlers write a request past FILE_UPLOAD_MAX_MEMORY_SIZE to a temporary file
    while it is parsed. The concern's category is only known once it has been parsed, and for
    sharing nudes, online sexual abuse and IIOC nothing sent may reach a disk, even for a moment
    (DOMAIN.md: never store a suspected indecent image). Memory is bounded by the evidence limits
    instead: at most MAX_FILES files of at most MAX_BYTES each are kept; any other file's bytes
    are dropped as they arrive, and it is refused by its size or by the number of files.
    """

    def __init__(self, request=None) -> None:
        super().__init__(request)
        self.kept = 0

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        self.file = io.BytesIO()
        self.dropping = self.kept >= MAX_FILES

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        if not self.dropping and start + len(raw_data) > MAX_BYTES:
            self.dropping = True
            self.file = io.BytesIO()  # let go of what was kept of it
        if not self.dropping:
            self.file.write(raw_data)
        # Nothing is passed on: there is no later handler, and none may see the bytes.
        return None

    def file_complete(self, file_size: int) -> InMemoryUploadedFile:
        if not self.dropping:
            self.kept += 1
        self.file.seek(0)
        kind = DroppedUpload if self.dropping else InMemoryUploadedFile
        return kind(
            file=self.file,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=file_size,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )


def check_file(upload: UploadedFile) -> CheckedFile:
    if upload.size > MAX_BYTES:
        raise EvidenceRefused(
            f"“{upload.name}” is larger than {MAX_BYTES // (1024 * 1024)} MB. Attach a smaller "
            "screenshot."
        )
    if isinstance(upload, DroppedUpload):
        raise EvidenceRefused(f"“{upload.name}” was not kept: attach at most {MAX_FILES} files.")
    found = checked(upload)
    if found is None:
        raise EvidenceRefused(
            f"“{upload.name}” is not a PNG, JPEG, GIF or WebP image or a PDF. Whatever its name "
            "says, its contents are something else, so it was not attached."
        )
    return found
