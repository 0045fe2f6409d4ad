"""The cycle collector is paused for a bulk step and resumed as it was, however it ends."""

from __future__ import annotations

import gc

import pytest

from roadmap.runtime.bulk import bulk_work


def test_paused_inside_and_resumed_after() -> None:
    assert gc.isenabled()
    with bulk_work():
        assert not gc.isenabled()
        with bulk_work():  # nested: the inner step leaves it paused for the outer one
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_resumed_after_an_error_and_as_a_decorator() -> None:
    @bulk_work()
    def step() -> bool:
        return gc.isenabled()

    assert step() is False and gc.isenabled()
    with pytest.raises(KeyError), bulk_work():
        raise KeyError("stop")
    assert gc.isenabled()


def test_left_off_when_it_was_off() -> None:
    gc.disable()
    try:
        with bulk_work():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
