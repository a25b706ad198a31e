"""Thin ipywidgets panels; each `build_*_panel()` wires controls to logic that lives below."""
