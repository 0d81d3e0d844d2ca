"""The package's one error type.

Every public function that rejects its input raises :class:`OvopError` with a message in
Russian (or the chosen UI language) that says what is wrong *and what to fix*. Tools catch it
and show the message; a trainee never sees a traceback.

>>> try:
...     raise OvopError("Цена должна быть больше нуля: исправьте значение в поле «Цена».")
... except OvopError as e:
...     print(e)
Цена должна быть больше нуля: исправьте значение в поле «Цена».
"""

from __future__ import annotations


class OvopError(ValueError):
    """A user-facing error with a readable message (no traceback needed to understand it).

    It subclasses ValueError so that generic code that expects ValueError for bad input
    still works.
    """

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message
