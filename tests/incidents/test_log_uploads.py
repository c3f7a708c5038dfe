"""Evidence attached on the log page: what is refused, what is kept, and where no byte of it
goes."""

import os
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from incidents.categories import CATEGORIES, IMAGE_CATEGORIES
from incidents.models import Attachment, Concern
from tests.incidents.conftest import PNG, pdf, png
from tests.incidents.helpers import form_data, new_url, nothing_saved, stored_files


@pytest.mark.parametrize("category", sorted(IMAGE_CATEGORIES))
@pytest.mark.parametrize(
    "upload",
    [
        lambda: png(),
        lambda: SimpleUploadedFile("notes.txt", PNG, content_type="text/plain"),
        lambda: pdf(),
    ],
    ids=["png", "png-renamed-txt", "pdf"],
)
def test_it_refuses_any_upload_for_an_image_category(personas, client_for, pupil, category, upload):
    what = "She said a boy in Year 6 asked her for a photo."
    r = client_for(personas.staff).post(
        new_url(personas),
        {**form_data(pupil, category=category, what_happened=what), "files": [upload()]},
    )
    assert r.status_code == 200
    errors = r.context["form"].errors["files"]
    assert len(errors) == 1
    assert "nothing can be attached to this kind of concern" in errors[0]
    assert CATEGORIES[category].attachments_refused_because in errors[0]
    # Everything else the person typed is still there; nothing was stored, on disk or anywhere.
    html = r.content.decode()
    assert what in html
    assert r.context["chosen"] == [(pupil, "affected")]
    assert f'value="{category}" class="form-check-input" id="' in html
    assert "checked" in html.split(f'value="{category}"')[1].split(">")[0]
    # The file input is switched off for this category, with the reason.
    assert " disabled data-files>" in html
    nothing_saved()


def test_it_keeps_a_permitted_screenshot_under_a_random_name(personas, client_for, pupil):
    r = client_for(personas.staff).post(
        new_url(personas), {**form_data(pupil), "files": [png("Zephyrine chat.png")]}
    )
    assert r.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.concern == Concern.objects.get()
    assert attachment.content_type == "image/png"
    assert attachment.original_name == "Zephyrine chat.png"
    files = stored_files()
    assert len(files) == 1
    assert files[0].read_bytes() == PNG
    assert "Zephyrine" not in str(files[0])
    assert files[0].is_relative_to(Path(settings.PRIVATE_ROOT))


def test_it_keeps_several_files(personas, client_for, pupil):
    r = client_for(personas.staff).post(
        new_url(personas), {**form_data(pupil), "files": [png("one.png"), pdf("two.pdf")]}
    )
    assert r.status_code == 302
    assert sorted(Attachment.objects.values_list("content_type", flat=True)) == [
        "application/pdf",
        "image/png",
    ]
    assert len(stored_files()) == 2


def test_it_refuses_a_file_whose_contents_are_not_an_image(personas, client_for, pupil):
    fake = SimpleUploadedFile("screenshot.png", b"MZ\x90\x00 not an image", "image/png")
    r = client_for(personas.staff).post(
        new_url(personas), {**form_data(pupil), "files": [png(), fake]}
    )
    assert r.status_code == 200
    assert r.context["form"].errors["files"] == [
        "“screenshot.png” is not a PNG, JPEG, GIF or WebP image or a PDF. Whatever its name "
        "says, its contents are something else, so it was not attached."
    ]
    nothing_saved()


# Evidence too large to keep in memory by Django's defaults (FILE_UPLOAD_MAX_MEMORY_SIZE).

MB = 1024 * 1024


# Every file opened for writing while a test watches, whoever opens it: the audit hook sees
# open() and os.open() alike, so tempfile's NamedTemporaryFile (Django's TemporaryUploadedFile)
# is caught too. Looking at the temporary folder afterwards proves nothing on its own: Django
# deletes its temporary upload file when the request ends. Audit hooks cannot be removed, so one
# hook serves the whole run and records only while `files_written()` is open.
_written: list[str] | None = None


_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | getattr(os, "O_TMPFILE", 0)


def _record_writes(event: str, args: tuple) -> None:
    if event != "open" or _written is None:
        return
    path, mode, flags = args
    if isinstance(path, int):
        return  # a file descriptor opened (and recorded) by its path a moment before
    if (mode and any(c in mode for c in "wax+")) or (flags or 0) & _WRITE_FLAGS:
        _written.append(str(path))


sys.addaudithook(_record_writes)


@contextmanager
def files_written():
    global _written
    _written = seen = []
    try:
        yield seen
    finally:
        _written = None


@pytest.fixture
def temp_dir(settings, tmp_path, monkeypatch):
    """Where Django would put an upload too large for memory, apart from private storage."""
    folder = tmp_path / "uploads-in-progress"
    folder.mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(folder)
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@pytest.fixture
def reporter(personas, client_for):
    """The staff persona with the form open: the first request of a run imports the views and
    what they import, and some of that (WeasyPrint finding its libraries) writes temporary
    files of its own, which are not the upload's."""
    client = client_for(personas.staff)
    assert client.get(new_url(personas)).status_code == 200
    return client


def big_png(size: int, name: str = "screenshot.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG + b"\0" * (size - len(PNG)), content_type="image/png")


def test_the_upload_limit_allows_the_sizes_tested_here():
    from incidents.evidence import MAX_BYTES

    # Django keeps at most this much of a request in memory by default: both sizes tested
    # below are past it, and both are within what a concern may attach.
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE < 3 * MB
    assert MAX_BYTES >= 9 * MB


@pytest.mark.parametrize("category", sorted(IMAGE_CATEGORIES))
@pytest.mark.parametrize("size", [3 * MB, 9 * MB], ids=["3MB", "9MB"])
def test_it_writes_no_byte_of_a_refused_file_to_disk(
    personas, reporter, pupil, temp_dir, category, size
):
    with files_written() as written:
        r = reporter.post(
            new_url(personas),
            {**form_data(pupil, category=category), "files": [big_png(size)]},
        )
    assert r.status_code == 200
    assert "nothing can be attached to this kind of concern" in r.context["form"].errors["files"][0]
    assert written == []
    assert list(temp_dir.iterdir()) == []
    nothing_saved()


def test_it_keeps_a_large_permitted_file_only_in_private_storage(
    personas, reporter, pupil, temp_dir
):
    with files_written() as written:
        r = reporter.post(new_url(personas), {**form_data(pupil), "files": [big_png(9 * MB)]})
    assert r.status_code == 302
    stored = stored_files()
    assert len(stored) == 1
    assert stored[0].stat().st_size == 9 * MB
    # The one file written is the stored evidence, through the storage; no temporary copy.
    assert [Path(p) for p in written] == stored
    assert list(temp_dir.iterdir()) == []


def test_it_refuses_a_file_over_the_limit_without_keeping_it(personas, reporter, pupil, temp_dir):
    with files_written() as written:
        r = reporter.post(
            new_url(personas), {**form_data(pupil), "files": [big_png(11 * MB, "big.png")]}
        )
    assert r.status_code == 200
    assert r.context["form"].errors["files"] == [
        "“big.png” is larger than 10 MB. Attach a smaller screenshot."
    ]
    assert written == []
    assert list(temp_dir.iterdir()) == []
    nothing_saved()
