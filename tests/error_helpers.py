"""Helpers for tests of the course's errors: a message a trainee sees is Russian."""

import pytest

from ovop_course.errors import OvopError


def is_russian(message: str) -> bool:
    """The message has Cyrillic letters (the course's messages are Russian by default)."""
    return any("а" <= c <= "я" for c in message.lower())


def refused(call, *args, **kwargs) -> str:
    """The call raises OvopError with a Russian message (any other exception fails the test);
    the message."""
    with pytest.raises(OvopError) as caught:
        call(*args, **kwargs)
    assert is_russian(str(caught.value)), str(caught.value)
    return str(caught.value)
