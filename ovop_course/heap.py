"""The cyclic garbage collector and the libraries the course loads.

A lesson's kernel holds some 150 000 long-lived objects of pandas, matplotlib, pydantic and
ipywidgets. Python's full garbage collection walks all of them; it runs every few tens of
thousands of new objects, so at least once in every lesson and then at any moment, a slider's
callback included, and each time it took 50–80 ms on these machines (measured with
``gc.callbacks`` in a lesson's kernel; docs/performance.md).
"""

from __future__ import annotations

import gc


def settle_imports() -> None:
    """Leave the objects alive now out of every later collection (:func:`gc.freeze`).

    Called once the course has imported a heavy library, whose objects live as long as the
    kernel. Reference counting still frees a frozen object when nothing refers to it; only
    a cycle of frozen objects that falls out of use would stay in memory.

    >>> settle_imports(); gc.get_freeze_count() > 0
    True
    """
    gc.freeze()
