"""Placeholder until the requirements page is delivered: says the feature is coming."""

from ui.layout import coming_soon

coming_soon("nav.requirements")
