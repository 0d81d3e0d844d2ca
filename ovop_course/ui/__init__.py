"""Interactive tools (ipywidgets), one per course step, on the shared :class:`Tool` base."""

from ._base import Tool
from ._registry import make_tool, register, tool_names

__all__ = ["Tool", "make_tool", "register", "tool_names"]
