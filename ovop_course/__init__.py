"""Helper package of the course «Одно Село Один Продукт» (ОСОП).

In a notebook, one line shows a step's interactive tool::

    import ovop_course
    ovop_course.tool("concept_quiz")

Heavy parts (widgets, charts) are imported only when first used, so ``import ovop_course``
stays fast.
"""

__version__ = "0.1.0"


def tool(name: str, **options):
    """Build and return the interactive tool ``name`` (it displays itself in a notebook)."""
    from .ui._registry import make_tool

    return make_tool(name, **options)
