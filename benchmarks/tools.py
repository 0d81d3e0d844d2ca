"""Interaction latency of every registered tool: a control changes → result and chart redrawn.

The tools are found through the registry, so a new step's tool is measured with no change
here. For each control the harness picks values a trainee could choose (options of a list,
points across a slider's range, the other state of a checkbox) and times ``Tool.set``, which
recomputes and re-renders (figures included) exactly as a change in the browser does, once
with each tab of the tool open (a tab draws its chart only while it is open).
"""

from __future__ import annotations

import itertools
import time

import ipywidgets as widgets

from ovop_course.ui import make_tool, tool_names

from .stats import median, p95


def candidate_values(control: widgets.ValueWidget) -> list:
    """Valid values to move a control through, other than its current one where possible."""
    current = control.value
    if isinstance(control, widgets.SelectMultiple):
        options = [o[1] if isinstance(o, tuple) else o for o in control.options]
        return [tuple(options[: i + 1]) for i in range(len(options))] or [current]
    if hasattr(control, "options"):
        options = [o[1] if isinstance(o, tuple) else o for o in control.options]
        return [o for o in options if o != current] + [current] if options else [current]
    if isinstance(control, (widgets.Checkbox, widgets.ToggleButton)):
        return [not current, current]
    if hasattr(control, "min") and hasattr(control, "max"):
        low, high = control.min, control.max
        if isinstance(current, tuple):  # range sliders
            return [(low, high), current]
        points = [low + (high - low) * f for f in (0.25, 0.5, 0.75, 1.0, 0.0)]
        if isinstance(current, int):
            points = [round(p) for p in points]
        return [p for p in points if p != current] + [current]
    if isinstance(current, (int, float)) and not isinstance(current, bool):
        return [current * 1.1 if current else 1, current]
    return [current]


def tabs(widget: widgets.Widget):
    """Every tab bar inside a widget tree."""
    if isinstance(widget, widgets.Tab):
        yield widget
    for child in getattr(widget, "children", ()):
        yield from tabs(child)


def measure_tool(name: str, rounds: int = 3) -> dict:
    """Latencies (ms) of every value change of every control, ``rounds`` times over, with
    each tab of the tool opened in turn (a tab draws its chart only while it is open)."""
    tool = make_tool(name)
    samples, errors = [], 0
    plan = [(key, value) for key, control in tool.controls.items()
            for value in candidate_values(control)]
    openings = [(bar, i) for bar in tabs(tool.widget) for i in range(len(bar.children))]
    for bar, index in openings or [(None, None)]:
        if bar is not None:
            bar.selected_index = index
        for key, value in itertools.chain.from_iterable(itertools.repeat(plan, rounds)):
            start = time.perf_counter()
            tool.set(**{key: value})
            samples.append((time.perf_counter() - start) * 1000)
            errors += tool.error is not None
    return {"tool": name, "changes": len(samples), "median_ms": median(samples),
            "p95_ms": p95(samples), "max_ms": max(samples), "errors": errors}


def run(quick: bool = False) -> list[dict]:
    """Measure every registered tool."""
    return [measure_tool(name, 1 if quick else 3) for name in tool_names()]
