"""The registry of tools: a name (``"concept_quiz"``) → the Tool class that builds it.

A tool module registers its class with ``@register``; :data:`TOOL_MODULES` lists the modules so
that ``make_tool`` can import them only when a tool is asked for (import time stays small).
"""

from __future__ import annotations

from importlib import import_module

from ..errors import OvopError
from ..i18n import t

TOOL_MODULES = ("ovop_course.ui.quiz",)

_REGISTRY: dict[str, type] = {}


def register(cls: type) -> type:
    """Class decorator: add a Tool class to the registry under its ``name``."""
    if cls.name in _REGISTRY and _REGISTRY[cls.name] is not cls:
        raise ValueError(f"tool name {cls.name!r} is registered twice")
    _REGISTRY[cls.name] = cls
    return cls


def _load_all() -> None:
    for module in TOOL_MODULES:
        import_module(module)


def tool_names() -> list[str]:
    """Names of every registered tool, sorted."""
    _load_all()
    return sorted(_REGISTRY)


def make_tool(name: str, **options):
    """Build the tool called ``name``; unknown names get a Russian message listing known ones."""
    _load_all()
    if name not in _REGISTRY:
        raise OvopError(t("tool.unknown", name=name, known=", ".join(sorted(_REGISTRY))))
    return _REGISTRY[name](**options)
