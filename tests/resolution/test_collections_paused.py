"""A resolution run pauses garbage collection while it works and restores it after, also on an error."""

from __future__ import annotations

import gc

import pytest

from graph.resolution.run import collections_paused


def test_collection_is_paused_inside_and_restored_after_an_error():
    assert gc.isenabled()
    with pytest.raises(KeyError):
        with collections_paused():
            assert not gc.isenabled()
            raise KeyError("boom")
    assert gc.isenabled()


def test_a_caller_that_had_collection_off_keeps_it_off():
    gc.disable()
    try:
        with collections_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()
