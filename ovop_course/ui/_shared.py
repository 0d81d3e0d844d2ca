"""Widgets that share their layout and style models.

Every ipywidget brings a ``Layout`` and most bring a style, and each of those is a widget model
of its own: about half a millisecond to create in a kernel (its comm is opened and its state
sent), so a tool of 150 models took 60–75 ms to build, most of it for layouts and styles that
were all alike. A layout or style made here is one model for the whole kernel, and is never
changed after it is made: a widget whose layout changes later (hidden, resized) gets its own.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

import ipywidgets as widgets
from ipywidgets.widgets.widget_bool import CheckboxStyle
from ipywidgets.widgets.widget_description import DescriptionStyle
from ipywidgets.widgets.widget_string import HTMLStyle


@cache
def shared(kind: type[widgets.Widget], **traits) -> widgets.Widget:
    """The kernel's one ``kind`` (a Layout or a style class) with these traits."""
    return kind(**traits)


def shared_layout(**traits) -> widgets.Layout:
    """The kernel's one Layout with these traits (``width="auto"``, …)."""
    return shared(widgets.Layout, **traits)


def html(value: str = "") -> widgets.HTML:
    """An HTML widget with the shared default layout and style."""
    return widgets.HTML(value, layout=shared_layout(), style=shared(HTMLStyle))


def checkbox(value: bool, description: str, **layout) -> widgets.Checkbox:
    """A checkbox with its whole label right of the box (no indent, no label column);
    ``layout``: more traits of its shared Layout."""
    return widgets.Checkbox(value=value, description=description, indent=False,
                            style=shared(CheckboxStyle, description_width="initial"),
                            layout=shared_layout(width="auto", **layout))


def radio_buttons(options: list[tuple[str, int]], **layout) -> widgets.RadioButtons:
    """Options to choose one of, none chosen at first."""
    return widgets.RadioButtons(options=options, value=None, style=shared(DescriptionStyle),
                                layout=shared_layout(**layout))


def vbox(children: Iterable[widgets.Widget] = (), **layout) -> widgets.VBox:
    """A column of widgets; ``layout``: the traits of its shared Layout."""
    return widgets.VBox(list(children), layout=shared_layout(**layout))


def hbox(children: Iterable[widgets.Widget] = (), **layout) -> widgets.HBox:
    """A row of widgets; ``layout``: the traits of its shared Layout."""
    return widgets.HBox(list(children), layout=shared_layout(**layout))
