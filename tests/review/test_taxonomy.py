"""The taxonomy in code is the one of ../shared/spec/taxonomy.md, and the prompt shows all of it."""

import re

from extractor.review._prompts import load_prompt
from extractor.review._taxonomy import THEME_KEYS, ThemeKey
from tests.conftest import SHARED, needs_shared


@needs_shared
def test_theme_keys_match_the_spec():
    spec = (SHARED / "spec" / "taxonomy.md").read_text(encoding="utf-8")
    themes_table = spec.split("## Themes", 1)[1].split("\n## ", 1)[0]
    keys = re.findall(r"^\| `([a-z_]+)` \|", themes_table, re.M)
    assert tuple(keys) == THEME_KEYS


def test_prompt_renders_every_theme_and_the_section():
    prompt = load_prompt("section5/v1")
    system, user = prompt.messages("五的正文")
    for key in THEME_KEYS:
        assert f"`{key}`" in system["content"]
    assert user["content"].endswith("<report>\n五的正文\n</report>")  # the report as delimited data
    assert {k.value for k in ThemeKey} == set(THEME_KEYS)
