"""Tabs of charts drawn when opened: the display of the tools that show several pictures."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import Any

import ipywidgets as widgets

from ..charts import PictureCache
from ..i18n import get_language
from ._base import picture
from ._shared import vbox

# tab name, result → (what the tab's picture shows, as a key; how to draw its SVG)
Chart = Callable[[str, Any], tuple[tuple[Hashable, ...], Callable[[], bytes]]]


class ChartTabs:
    """A tab per chart (``widget``, with an ``images[name]`` in each); only the open tab's
    chart is drawn, and again only when what it shows changes. The last ``keep`` pictures are
    kept by what they show and the UI language: a control moved back shows its picture at
    once. ``below`` puts a widget under a tab's picture; ``css`` names each image
    ``{css}-{name}`` (for the browser tests); ``shelf`` keeps the pictures for the next kernel
    too (:class:`~ovop_course.charts.PictureCache`: only when each key names all its picture
    shows).
    """

    def __init__(self, names: Sequence[str], titles: Sequence[str], chart: Chart, keep: int,
                 below: dict[str, widgets.Widget] | None = None, css: str | None = None,
                 shelf: str | None = None):
        self.names, self._chart = tuple(names), chart
        self.images = {n: picture() for n in self.names}
        if css:
            for name, image in self.images.items():
                image.add_class(f"{css}-{name}")
        children = [vbox([self.images[n], below[n]]) if below else self.images[n]
                    for n in self.names]
        self.widget = widgets.Tab(children=children, titles=list(titles), selected_index=0)
        self.pictures = PictureCache(keep, shelf)
        self._shown: dict[str, tuple] = {}  # tab → the key of the picture it shows

    def show(self, result: Any) -> None:
        """Draw the open tab's chart for ``result`` unless it already shows it (nothing to
        show while ``result`` is None)."""
        if result is None or self.widget.selected_index is None:
            return
        name = self.names[self.widget.selected_index]
        key, draw = self._chart(name, result)
        key = (*key, get_language())  # the pictures' texts follow the UI language
        if self._shown.get(name) != key:
            self.images[name].value = self.pictures.get(key, draw)
            self._shown[name] = key
