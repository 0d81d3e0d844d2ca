"""Charts: built without pyplot, in the course style, from the data they are given."""

import matplotlib
import pytest

from ovop_course.charts import (
    PALETTE,
    CourseFigure,
    new_figure,
    roadmap_figure,
    set_margins,
    to_png,
)
from ovop_course.data import load_table


def test_roadmap_shows_every_step_with_its_role():
    steps = load_table("course/methodology_steps")
    fig = roadmap_figure(steps)
    texts = [t.get_text().replace("\n", " ") for t in fig.axes[0].texts]
    for row in steps.itertuples():
        assert str(row.step) in texts
        assert row.ovop_plus_one_role.split()[0] in " ".join(texts)
    assert isinstance(fig, CourseFigure)


def test_roadmap_follows_given_data():
    steps = load_table("course/methodology_steps").head(3)
    fig = roadmap_figure(steps)
    numbers = [t.get_text() for t in fig.axes[0].texts if t.get_text().isdigit()]
    assert numbers == ["1", "2", "3"]


def test_png_and_jupyter_repr():
    fig = roadmap_figure()
    png = to_png(fig)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert fig._repr_png_()[:8] == png[:8]


def test_no_pyplot_figures_are_left_open():
    import matplotlib.pyplot as plt

    before = len(plt.get_fignums())
    roadmap_figure()
    assert len(plt.get_fignums()) == before
    assert matplotlib.colors.is_color_like(PALETTE[0])


def test_png_has_the_same_pixels_as_savefig():
    import io

    import matplotlib.image as mpimg

    fig = roadmap_figure()
    ours = mpimg.imread(io.BytesIO(to_png(fig)), format="png")
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=fig.dpi)
    theirs = mpimg.imread(io.BytesIO(buffer.getvalue()), format="png")
    assert ours.shape == theirs.shape and (abs(ours - theirs) < 1e-6).all()


def test_png_cache_keeps_the_most_recently_used():
    from ovop_course.charts import PngCache

    cache, drawn = PngCache(size=2), []

    def draw(name):
        return lambda: drawn.append(name) or name.encode()

    for name in ("a", "b", "a", "c", "a", "b"):
        assert cache.get(name, draw(name)) == name.encode()
    assert drawn == ["a", "b", "c", "b"] and len(cache) == 2  # "b" was the least recent
    assert PngCache(size=0).get("x", draw("x")) == b"x"


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
