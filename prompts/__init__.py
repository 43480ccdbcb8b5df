"""The versioned prompts (section5/v1.md, ...), edited here at the top of the repository and shipped
inside the wheel as the package data of `extractor.prompts` (pyproject.toml maps that package to this
folder), so an installed wheel and an editable install read the same files. No code belongs here.
"""
