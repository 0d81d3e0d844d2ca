"""The registry of tools: a name (``"concept_quiz"``) → the Tool class that builds it.

A tool module in ``ovop_course/ui/`` registers its class with ``@register``; the modules whose
name starts with ``_`` (the base, this registry, shared widgets) are not tools. The modules are
imported only when a tool is first asked for, so ``import ovop_course`` stays small and a new
step's tool needs no change here. A tool lives in the module of its name (``ideas`` in
``ui/ideas.py``), so asking for one tool imports just that module (and its step's modules);
a name not found that way, and :func:`tool_names`, import them all.
"""

from __future__ import annotations

import pkgutil
from importlib import import_module

from ..errors import OvopError
from ..heap import settle_imports
from ..i18n import t

_REGISTRY: dict[str, type] = {}


def register(cls: type) -> type:
    """Class decorator: add a Tool class to the registry under its ``name``."""
    if cls.name in _REGISTRY and _REGISTRY[cls.name] is not cls:
        raise ValueError(f"tool name {cls.name!r} is registered twice")
    _REGISTRY[cls.name] = cls
    return cls


def _load(name: object) -> None:
    """Import the module of the tool ``name``, or every tool module when there is none."""
    if isinstance(name, str) and name.isidentifier() and not name.startswith("_"):
        module = f"{__package__}.{name}"
        try:
            import_module(module)
        except ModuleNotFoundError as e:
            if e.name != module:
                raise
    if name not in _REGISTRY:
        _load_all()
    settle_imports()  # the tools' libraries are loaded: matplotlib, ipywidgets (see heap)


def _load_all() -> None:
    """Import every tool module of this package (each registers its tools)."""
    for module in pkgutil.iter_modules(_package_path()):
        if not module.name.startswith("_"):
            import_module(f"{__package__}.{module.name}")


def _package_path() -> list[str]:
    from . import __path__ as path

    return list(path)


def tool_names() -> list[str]:
    """Names of every registered tool, sorted."""
    _load_all()
    return sorted(_REGISTRY)


def make_tool(name: str, **options):
    """Build the tool called ``name``; unknown names get a Russian message listing known ones."""
    if name not in _REGISTRY:
        _load(name)
    if name not in _REGISTRY:
        raise OvopError(t("tool.unknown", name=name, known=", ".join(sorted(_REGISTRY))))
    return _REGISTRY[name](**options)
