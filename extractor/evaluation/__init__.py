"""Evaluation against hand-labelled gold: tables (cells) and section 五 (statements)."""
