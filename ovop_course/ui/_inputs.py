"""Number controls that read what a trainee types, and never change a value silently.

The browser's own number fields and the sliders' typed readouts get numbers wrong for a Russian
speaker: a Chromium number field reads «12,5» as 125, and a slider's readout cuts a typed value
to its range without a word (losses of 50 % become 20 %). So a number is typed into a text field
and read by the course (:func:`ovop_course.fmt.parse_number`: «12,5» is twelve and a half), and
a value outside the allowed range is refused with a message that names the range; the tool then
keeps its last good result.

- :class:`NumberField` — a text field holding one number;
- :class:`SliderField` — a slider with such a field in place of its readout.

Both are :class:`TypedNumber`: the Tool base reads them with :meth:`~TypedNumber.number` (which
raises OvopError for what cannot be used) and sets them with :meth:`~TypedNumber.type`, as if
the trainee had typed the value.
"""

from __future__ import annotations

from numbers import Real

import ipywidgets as widgets
import traitlets
from ipywidgets.widgets.widget_int import SliderStyle
from ipywidgets.widgets.widget_string import TextStyle

from ..errors import OvopError
from ..fmt import fmt_typed, parse_number
from ..i18n import t
from ._shared import shared


class TypedNumber:
    """What the Tool base needs of a number control: read it, and type into it."""

    low: float | None
    high: float | None
    whole: bool
    percent: bool

    def text(self) -> str:
        raise NotImplementedError

    def label(self) -> str:
        return self.description

    def number(self) -> float:
        """The typed number (a share if the field is in percent), within [low, high];
        OvopError naming the field and the allowed range otherwise."""
        value = parse_number(self.text(), self.label())
        if self.percent:
            value /= 100
        too_low = self.low is not None and value < self.low
        if too_low or (self.high is not None and value > self.high):
            raise OvopError(self._range_message())
        if self.whole and not value.is_integer():
            raise OvopError(t("checks.not_whole", field=self.label(), value=self.text()))
        return int(value) if self.whole else value

    def _range_message(self) -> str:
        """What is allowed: from low to high, or at least low, or at most high."""
        unit = " %" if self.percent else ""
        low, high = (None if x is None else self.show(x) + unit for x in (self.low, self.high))
        key = ("checks.out_of_range" if low is not None and high is not None
               else "checks.out_of_range_low" if low is not None else "checks.out_of_range_high")
        return t(key, field=self.label(), value=self.text(), low=low, high=high)

    def show(self, value: float) -> str:
        """``value`` as the field shows it (in percent for a share field)."""
        return fmt_typed(value * 100 if self.percent else value)

    def type(self, value: object) -> None:
        """Put ``value`` into the field as a trainee would type it: a number or a text (a
        number that cannot be shown — NaN, infinity, too large — goes in as its text, and
        :meth:`number` then says what is wrong with it)."""
        if isinstance(value, bool) or not isinstance(value, (Real, str)):
            raise traitlets.TraitError(value)
        if isinstance(value, str):
            self.put_text(value)
            return
        try:
            self.put_text(self.show(float(value)))
        except OvopError:
            self.put_text(str(value))

    def put_text(self, text: str) -> None:
        raise NotImplementedError


class NumberField(widgets.Text, TypedNumber):
    """A text field for one number: ``value`` is the text, :meth:`number` the number.

    The text is read when the trainee leaves the field or presses Enter.
    """

    def __init__(self, value: float, *, low: float | None = None, high: float | None = None,
                 whole: bool = False, percent: bool = False, **kwargs):
        self.low, self.high, self.whole, self.percent = low, high, whole, percent
        super().__init__(value=self.show(value), continuous_update=False, **kwargs)
        self.add_class("ovop-number")

    def text(self) -> str:
        return self.value

    def put_text(self, text: str) -> None:
        self.value = text


class SliderField(widgets.HBox, widgets.ValueWidget, TypedNumber):
    """A slider and, in place of its readout, a :class:`NumberField` with the same number.

    The slider recomputes when let go, not at every step of a drag.

    ``value`` is the field's text: moving the slider writes it, and a typed number that can be
    used moves the slider; one that cannot leaves the slider where it was.
    """

    value = traitlets.Unicode()  # not synced: the slider and the field are

    def __init__(self, value: float, *, low: float, high: float, step: float,
                 description: str, whole: bool = False, percent: bool = False,
                 style: dict | None = None, layout: widgets.Layout | dict | None = None):
        self.low, self.high, self.whole, self.percent = low, high, whole, percent
        slider_type = widgets.IntSlider if whole else widgets.FloatSlider
        self.slider = slider_type(value=value, min=low, max=high, step=step, readout=False,
                                  continuous_update=False, description=description,
                                  style=shared(SliderStyle, **(style or {})),
                                  layout=layout if isinstance(layout, widgets.Layout)
                                  else shared(widgets.Layout, **(layout or {})))
        self.field = NumberField(value, low=low, high=high, whole=whole, percent=percent,
                                 layout=shared(widgets.Layout, width="80px"),
                                 style=shared(TextStyle))
        super().__init__([self.slider, self.field], value=self.field.value,
                         layout=shared(widgets.Layout))
        self.add_class("ovop-slider-field")
        if percent:
            self.add_class("ovop-percent")  # «%» after the field: TOOL_CSS
        self.slider.observe(self._slider_moved, names="value")
        self.field.observe(self._typed, names="value")

    @property
    def description(self) -> str:
        return self.slider.description

    @property
    def min(self) -> float:
        return self.slider.min

    @property
    def max(self) -> float:
        return self.slider.max

    def text(self) -> str:
        return self.field.value

    def put_text(self, text: str) -> None:
        self.field.value = text

    def _slider_moved(self, change) -> None:
        try:
            same = self.number() == change["new"]
        except OvopError:
            same = False
        if not same:
            self.field.value = self.show(change["new"])

    def _typed(self, change) -> None:
        try:
            self.slider.value = self.number()
        except OvopError:
            pass  # the Tool shows the message when it reads the value
        self.value = change["new"]
