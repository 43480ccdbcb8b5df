"""What a `--dry-run` counts: only the reviews that would really be sent. A report whose review
is in the response cache costs nothing, nor does one `run` would keep from its results.jsonl
(resume: same file content, same settings key — prompt text hash included — review not failed)."""

from __future__ import annotations

from pathlib import Path

from extractor.review.llm import LLMSettings

__all__ = ["run_inputs"]


def run_inputs(input_dir: Path, out: Path, settings: LLMSettings, full: bool = False
               ) -> tuple[list[tuple[Path, str]], set[str]]:
    """The reports `run` would see, named as it names them, and those it would keep as done."""
    from extractor.batch._runner import RESULTS, ResultsFile, file_digest, settings_key
    from extractor.document import display_path, find_reports

    done = ResultsFile(out / RESULTS).index()
    key = settings_key(settings, full)
    inputs, kept = [], set()
    for path in find_reports(input_dir, exclude=out):
        source = display_path(path.relative_to(input_dir).as_posix())
        inputs.append((path, source))
        previous = done.get(source)
        if previous and not previous.review_failed and previous.settings == key and previous.sha256 == file_digest(path):
            kept.add(source)
    return inputs, kept
