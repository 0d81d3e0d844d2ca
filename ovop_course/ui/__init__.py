"""Interactive tools (ipywidgets), one per course step, on the shared :class:`Tool` base."""

from .base import Tool
from .registry import make_tool, register, tool_names

__all__ = ["Tool", "make_tool", "register", "tool_names"]
