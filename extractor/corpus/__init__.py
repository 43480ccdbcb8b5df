"""Across the reports of a run: pairing bodies and years, the repetition signal (the same
section-五 text in many reports), and the run's output folder. (Which copy of a report the outputs
use is chosen in `extractor.outputs`: it ranks copies by their status.)

Public API: `BodyMatcher`, `body_key`, `load_aliases`; `BatchIndex`; `OutputFolder`, `replace_file`, `clean_temporaries`, `LOCK_NAME`.
"""

from extractor.corpus._bodies import BodyMatcher, body_key, load_aliases
from extractor.corpus._outdir import LOCK_NAME, OutputFolder, clean_temporaries, replace_file
from extractor.corpus._repetition import BatchIndex

__all__ = ["BatchIndex", "body_key", "BodyMatcher", "clean_temporaries", "load_aliases", "LOCK_NAME", "OutputFolder",
           "replace_file"]
