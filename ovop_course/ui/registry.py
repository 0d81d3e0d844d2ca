"""The registry of tools: a name (``"concept_quiz"``) → the Tool class that builds it.

A tool module in ``ovop_course/ui/`` registers its class with ``@register``. The modules are
found and imported only when a tool is first asked for, so ``import ovop_course`` stays small
and a new step's tool needs no change here.
"""

from __future__ import annotations

import pkgutil
from importlib import import_module

from ..errors import OvopError
from ..heap import settle_imports
from ..i18n import t

_NOT_TOOLS = {"base", "registry"}
_REGISTRY: dict[str, type] = {}


def register(cls: type) -> type:
    """Class decorator: add a Tool class to the registry under its ``name``."""
    if cls.name in _REGISTRY and _REGISTRY[cls.name] is not cls:
        raise ValueError(f"tool name {cls.name!r} is registered twice")
    _REGISTRY[cls.name] = cls
    return cls


def _load_all() -> None:
    """Import every tool module of this package (each registers its tools)."""
    for module in pkgutil.iter_modules(_package_path()):
        if module.name not in _NOT_TOOLS:
            import_module(f"{__package__}.{module.name}")
    settle_imports()  # the tools' libraries are loaded: matplotlib, ipywidgets (see heap)


def _package_path() -> list[str]:
    from . import __path__ as path

    return list(path)


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
