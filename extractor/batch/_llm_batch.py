"""`extractor run --backend openai --batch`: the section-五 reviews through the OpenAI Batch API.

A first run parses everything and writes each report's line with its review *pending*; then it
submits every pending review (not answered from the cache) as one JSONL (`/v1/files`,
`/v1/batches`) and records the batch in the output folder (`llm-batch.json`). A later run with
the same arguments polls the batch; once it is complete it collects the answers, validates
them as a direct call would (quotes or ids must fit the section), and rewrites those lines.
While a batch is recorded nothing is submitted again; a batch that failed, expired or was
cancelled is forgotten and the next run submits the still-pending reviews anew.

A pending review is stored with ok false and the error PENDING (models.PENDING_ERROR); its state
is `ReviewState.PENDING` (status.review_state).
Public API: `PENDING`, `sync_batch(out_dir, results_path, reviewer, key)`.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from extractor.corpus import replace_file
from extractor.errors import ExtractorError
from extractor.models import PENDING_ERROR, ReviewState
from extractor.review import Reviewer
from extractor.tables import review_state

__all__ = ["BatchStatus", "PENDING", "sync_batch"]

STATE = "llm-batch.json"
PENDING = PENDING_ERROR
_DONE = {"completed"}
_GONE = {"failed", "expired", "cancelled", "cancelling"}


@dataclass
class BatchStatus:
    action: str  # submitted | waiting | collected | nothing
    batch_id: str | None = None
    requests: int = 0
    detail: str = ""

    def line(self) -> str:
        if self.action == "nothing":
            return "batch: no review pending"
        return f"batch {self.batch_id}: {self.action} ({self.requests} reviews){' — ' + self.detail if self.detail else ''}"


def _records(results_path: Path) -> list[dict[str, Any]]:
    with results_path.open("rb") as f:
        return [orjson.loads(line) for line in f if line.endswith(b"\n")]


def _rewrite(results_path: Path, records: list[dict[str, Any]]) -> None:
    with replace_file(results_path) as f:
        for r in records:
            f.write(orjson.dumps(r) + b"\n")


def sync_batch(out_dir: Path, results_path: Path, reviewer: Reviewer, key: str) -> BatchStatus:
    """Poll and collect the recorded batch, or submit the pending reviews as a new one."""
    backend = reviewer.openai_backend
    if backend is None:
        raise ExtractorError("--batch needs --backend openai")
    state_path = out_dir / STATE
    client = backend.client()
    records = _records(results_path)
    if state_path.exists():
        state = json.loads(state_path.read_text(encoding="utf-8"))
        batch = client.batches.retrieve(state["batch_id"])
        if batch.status in _GONE:
            state_path.unlink()
            return BatchStatus("forgotten", batch.id, len(state["sources"]),
                               f"status {batch.status}: the next run submits the pending reviews again")
        if batch.status not in _DONE or not batch.output_file_id:
            return BatchStatus("waiting", batch.id, len(state["sources"]), f"status {batch.status}")
        answers = {}
        for line in client.files.content(batch.output_file_id).text.splitlines():
            if line.strip():
                item = json.loads(line)
                answers[item["custom_id"]] = item
        by_source = {r["source"]: r for r in records}
        for custom_id, source in state["sources"].items():
            r = by_source.get(source)
            if r is None or review_state(r.get("classify")) is not ReviewState.PENDING:
                continue
            section = r["parse"]["sections"]["problems_improvements"]
            r["classify"] = backend.from_batch_answer(section, source, answers.get(custom_id)).to_json_dict()
        _rewrite(results_path, records)
        state_path.unlink()
        return BatchStatus("collected", batch.id, len(state["sources"]))
    pending = [r for r in records if r["settings"] == key and review_state(r.get("classify")) is ReviewState.PENDING]
    if not pending:
        return BatchStatus("nothing")
    lines, sources = [], {}
    for i, r in enumerate(pending):
        custom_id = f"r{i}"
        section = r["parse"]["sections"]["problems_improvements"]
        cached = backend.cached_review(section, r["source"])
        if cached is not None:
            r["classify"] = cached.to_json_dict()
            continue
        lines.append(json.dumps(backend.batch_request(section, custom_id), ensure_ascii=False))
        sources[custom_id] = r["source"]
    _rewrite(results_path, records)  # cache hits are written now
    if not lines:
        return BatchStatus("nothing", detail="every pending review was in the cache")
    upload = client.files.create(file=("reviews.jsonl", io.BytesIO(("\n".join(lines) + "\n").encode())),
                                 purpose="batch")
    batch = client.batches.create(input_file_id=upload.id, endpoint="/v1/chat/completions", completion_window="24h")
    state_path.write_text(json.dumps({"batch_id": batch.id, "input_file_id": upload.id, "settings": key,
                                      "sources": sources}, ensure_ascii=False), encoding="utf-8")
    return BatchStatus("submitted", batch.id, len(sources), "run again with the same arguments to collect")
