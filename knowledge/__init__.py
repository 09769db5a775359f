"""Shipped domain knowledge: requirement catalog, plan templates, glossary, scenarios."""
