"""Large reads and writes without the cycle collector in the way.

Reading a 20,000-row workbook or writing a million cells allocates millions of small objects
that live until the step ends. Python's cycle collector walks every live object at each of its
full passes, and those passes come more often as the heap grows, so on such a step it costs a
large share of the time (a quarter of writing a million-cell roi workbook). ``bulk_work`` pauses
it for the step: reference counting still frees everything the step drops (what the collector
would find, only reference cycles, is a few thousand objects on a whole roi run), and the
collector resumes as it was when the step ends, however it ends.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def bulk_work() -> Iterator[None]:
    """A step that builds or reads many objects: the cycle collector paused for its length
    (usable as a decorator; nested steps leave it as the outer one found it)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
