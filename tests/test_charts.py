"""Charts: built without pyplot, in the course style, from the data they are given."""

import re
from pathlib import Path

import ipywidgets as widgets
import matplotlib
import pytest
from matplotlib.text import Text

from ovop_course.charts import (
    PALETTE,
    CourseFigure,
    PictureCache,
    new_figure,
    roadmap_figure,
    set_margins,
    to_svg,
)
from ovop_course.data import load_table
from ovop_course.i18n import set_language
from ovop_course.ui import make_tool, tool_names

ROOT = Path(__file__).resolve().parents[1]


def test_roadmap_shows_every_step_with_its_role():
    steps = load_table("course/methodology_steps")
    fig = roadmap_figure(steps)
    texts = [t.get_text().replace("\n", " ") for t in fig.axes[0].texts]
    for row in steps.itertuples():
        assert str(row.step) in texts
        assert row.ovop_plus_one_role.split()[0] in " ".join(texts)
    assert isinstance(fig, CourseFigure)


def test_roadmap_is_drawn_at_the_width_a_notebook_shows_it_with_readable_captions():
    """At 1366 px a notebook cell is about 920 px wide: a wider picture is shrunk, and its
    captions with it (they were about 7 px high). Shown at its own size (an SVG's inch is
    96 px in a browser), it fits, every text is at least 10 pt (≈ 13 px) and the road does not
    cross a caption."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = roadmap_figure()
    assert fig.get_size_inches()[0] * 96 <= 920
    sizes = [text.get_fontsize() for text in fig.axes[0].texts]
    assert min(sizes) >= 10
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    road = fig.axes[0].lines[0].get_window_extent(renderer)
    captions = [text.get_window_extent(renderer) for text in fig.axes[0].texts
                if text.get_style() == "italic"]
    path = fig.axes[0].lines[0].get_path().transformed(fig.axes[0].lines[0].get_transform())
    assert road.width > 0 and not any(path.intersects_bbox(box, filled=False) for box in captions)


def test_roadmap_follows_given_data():
    steps = load_table("course/methodology_steps").head(3)
    fig = roadmap_figure(steps)
    numbers = [t.get_text() for t in fig.axes[0].texts if t.get_text().isdigit()]
    assert numbers == ["1", "2", "3"]


def test_svg_draws_text_as_text_with_fallback_fonts_and_jupyter_shows_it():
    """Text stays text (the browser draws it crisp at any zoom), in DejaVu Sans or, where the
    browser lacks it, Arial (narrower: a label never outgrows the place laid out for it)."""
    fig = roadmap_figure()
    svg = to_svg(fig).decode()
    assert svg.startswith("<?xml") and "<svg" in svg and "<image" not in svg
    first = load_table("course/methodology_steps").iloc[0]
    assert re.search(r"<text[^>]*>" + re.escape(first["name"].split()[0]), svg)
    assert "font-family: 'DejaVu Sans', 'Arial', 'Liberation Sans', sans-serif" in svg
    assert fig._repr_svg_() == svg


def test_the_same_figure_gives_the_same_svg():
    """No date and fixed ids: a picture changes only when what it shows changes (a kept
    picture and a new one can be compared byte for byte)."""
    assert to_svg(roadmap_figure()) == to_svg(roadmap_figure())
    assert to_svg(roadmap_figure()) != to_svg(roadmap_figure(
        load_table("course/methodology_steps").head(3)))


def test_no_pyplot_figures_are_left_open():
    import matplotlib.pyplot as plt

    before = len(plt.get_fignums())
    roadmap_figure()
    assert len(plt.get_fignums()) == before
    assert matplotlib.colors.is_color_like(PALETTE[0])


def test_picture_cache_keeps_the_most_recently_used():
    cache, drawn = PictureCache(size=2), []

    def draw(name):
        return lambda: drawn.append(name) or name.encode()

    for name in ("a", "b", "a", "c", "a", "b"):
        assert cache.get(name, draw(name)) == name.encode()
    assert drawn == ["a", "b", "c", "b"] and len(cache) == 2  # "b" was the least recent
    assert PictureCache(size=0).get("x", draw("x")) == b"x"


def test_fixed_margins_in_inches():
    fig = new_figure(10, 6, layout=None)
    top, bottom = fig.subplots(2, 1, height_ratios=[3, 2])
    set_margins(fig, left=1.0, right=0.5, top=0.4, bottom=0.6, gap=0.5)
    fig.canvas.draw()  # nothing moves them when drawn
    inches = fig.transFigure + fig.dpi_scale_trans.inverted()  # figure fraction → inches
    upper, lower = (ax.get_position().transformed(inches)
                    for ax in (top, bottom))
    assert (upper.x0, 10 - upper.x1, 6 - upper.y1) == pytest.approx((1.0, 0.5, 0.4))
    assert (lower.y0, upper.y0 - lower.y1) == pytest.approx((0.6, 0.5))
    assert upper.height / lower.height == pytest.approx(3 / 2)   # 3 in and 2 in of 5 in


def _tabs(widget):
    """Every Tab inside a widget tree."""
    if isinstance(widget, widgets.Tab):
        yield widget
    for child in getattr(widget, "children", ()):
        yield from _tabs(child)


@pytest.fixture
def drawn(monkeypatch):
    """The texts drawn from now on: (text, whether it stays inside its picture)."""
    texts = []
    original = Text.draw

    def drawing(self, renderer):
        original(self, renderer)
        if self.get_visible() and self.get_text().strip():
            box, frame = self.get_window_extent(renderer), self.get_figure(root=True).bbox
            inside = frame.padded(-2)  # a text that ends on the edge is cut in the picture
            texts.append((self.get_text(),
                          inside.contains(*box.min) and inside.contains(*box.max)))

    monkeypatch.setattr(Text, "draw", drawing)
    return texts


@pytest.fixture(params=["ru", "en"])
def language(request):
    set_language(request.param)
    yield request.param
    set_language("ru")


def draw_every_tool_picture(name):
    """Open every tab of the tool ``name`` so that each of its pictures is drawn."""
    tool = make_tool(name)
    for tab in _tabs(tool.widget):
        for index in range(len(tab.children)):
            tab.selected_index = index


def draw_lesson_figures():
    from ovop_course.charts.ideas import stability_figure
    from ovop_course.steps.ideas import select_ideas

    every = select_ideas(top_n=2, spread=0.5, rules=[])
    for fig in (roadmap_figure(), stability_figure(every.table, 2, 0.5, 500),
                stability_figure(every.table.assign(eligible=False), 2, 0.5, 500)):
        to_svg(fig)


def cut_off(drawn):
    return [text for text, inside in drawn if not inside]


@pytest.mark.parametrize("name", tool_names())
def test_no_text_of_a_tool_picture_is_cut_off(name, language, drawn):
    """Every picture a tool draws, in every tab, shows its titles and labels whole."""
    draw_every_tool_picture(name)
    assert cut_off(drawn) == []


def test_no_text_of_the_lesson_figures_is_cut_off(language, drawn):
    draw_lesson_figures()
    assert drawn and cut_off(drawn) == []


CYRILLIC = re.compile(r"[А-Яа-яЁё]+")


def data_words() -> set[str]:
    """Every Cyrillic word of the course's data files (names of ideas, segments, sellers…)."""
    return {word for path in (ROOT / "data").rglob("*.*") if path.suffix in (".csv", ".yaml")
            for word in CYRILLIC.findall(path.read_text(encoding="utf-8"))}


@pytest.mark.parametrize("name", [*tool_names(), "lesson figures"])
def test_picture_texts_follow_the_ui_language(name, drawn):
    """In English, a Cyrillic word in a picture comes from the data, never from the code."""
    set_language("en")
    try:
        draw_lesson_figures() if name == "lesson figures" else draw_every_tool_picture(name)
    finally:
        set_language("ru")
    words = {word for text, _ in drawn for word in CYRILLIC.findall(text)}
    assert words <= data_words(), sorted(words - data_words())
