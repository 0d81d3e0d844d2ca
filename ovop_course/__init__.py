"""Helper package of the course «Одно Село Один Продукт» (ОСОП).

In a notebook, one line shows a step's interactive tool::

    import ovop_course
    ovop_course.tool("concept_quiz")

Heavy parts (widgets, charts) are imported only when first used, so ``import ovop_course``
stays fast. Inside IPython the import also makes the course's errors readable boxes and numpy's
numbers plain numbers (:mod:`ovop_course.notebook`).
"""

from .notebook import install as _install_in_notebook

__version__ = "0.1.0"


def tool(name: str, **options):
    """Build and return the interactive tool ``name`` (it displays itself in a notebook).

    The tool speaks the language of the tools saved in the trainee's workbook (module 0); with
    no readable workbook the current language stays.
    """
    from .i18n import set_language
    from .ui._registry import make_tool
    from .workbook import saved_language

    language = saved_language(options.get("workbook_path"))
    if language:
        set_language(language)
    return make_tool(name, **options)


_install_in_notebook()
