"""Batch runs over folders of reports: `run_folder(input_dir, out_dir, settings, ...)`.

Each file is parsed in a supervised worker (`SupervisedPool`; `run_bounded` for one file in
this process), section 五 is reviewed (through the LLM's Batch API where asked), results.jsonl
(`RESULTS`) keeps the state, then the outputs are written (`extractor.outputs`).

Public API: `run_folder`, `RunSummary`, `WorkerLimits`, `RESULTS`, `run_inputs` (what a run would
send to the LLM), `SupervisedPool`, `run_bounded`; `OutputError` (defined in `extractor.errors`).
"""

from typing import TYPE_CHECKING

from extractor.batch._pool import SupervisedPool, run_bounded
from extractor.errors import OutputError
from extractor.lazy import lazy_names as _lazy_names

__all__ = ["OutputError", "RESULTS", "run_bounded", "run_folder", "run_inputs", "RunSummary", "SupervisedPool",
           "WorkerLimits"]

if TYPE_CHECKING:
    from extractor.batch._dryrun import run_inputs
    from extractor.batch._folder import RunSummary, run_folder
    from extractor.batch._runner import RESULTS, WorkerLimits

# Imported on first use (PEP 562): `parse FILE` uses the pool; the run pulls in the outputs (xlsxwriter, jinja2) and the review (pydantic).
_LAZY = {
    "RESULTS": "extractor.batch._runner",
    "WorkerLimits": "extractor.batch._runner",
    "RunSummary": "extractor.batch._folder",
    "run_folder": "extractor.batch._folder",
    "run_inputs": "extractor.batch._dryrun",
}

__getattr__ = _lazy_names(__name__, _LAZY)
