"""ImageFile: screenshots and photos are kept as Sources (evidence), with no records."""

from __future__ import annotations

from ingest.base import detect
from ingest.image import ImageFile
from ingest.run import ingest_file
from tests.conftest import FIXTURES


def test_a_screenshot_is_kept_as_a_source_without_records(sqlite_store):
    path = FIXTURES / "ingest" / "images" / "storefront_screenshot.png"
    assert detect(path.name, path.read_bytes()[:64]) is ImageFile
    result = ingest_file(sqlite_store, path)
    assert (result.status, result.records) == ("ingested", 0)
    assert any(n.startswith("image/png, ") for n in result.notes)
    [source] = sqlite_store.sources()
    assert source.parser == "image" and sqlite_store.counts() == ({}, {})


def test_only_real_image_signatures_are_claimed():
    assert ImageFile.sniff("photo.jpg", b"not an image at all") == 0
    assert ImageFile.sniff("x.bin", b"RIFF\x00\x00\x00\x00WEBPVP8 ") == 90
