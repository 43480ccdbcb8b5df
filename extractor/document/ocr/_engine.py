"""Text recognition with RapidOCR's PP-OCR recogniser (ONNX Runtime on CPU; the model ships
inside the `rapidocr_onnxruntime` wheel, nothing is downloaded).

Only the recogniser is used: the line crops come from the table grid and from the page's ink
(layout.py), which costs far less than the detector on a whole page. Lines are batched by width
with a narrow minimum, so a one-digit cell is not padded to 320 pixels. Each line's confidence is
its **lowest** character probability: one unsure digit makes the whole number unsure.
"""

from __future__ import annotations

import math
import threading
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import cv2
import numpy as np

from extractor.errors import ReadError

if TYPE_CHECKING:
    import onnxruntime

__all__ = ["read_chars"]

REC_MODEL = "ch_PP-OCRv4_rec_infer.onnx"  # PP-OCRv4 Chinese recogniser, inside the wheel

HEIGHT = 48  # the recogniser's input height
BATCH = 16
MIN_RATIO = 1.5  # narrowest input: width = 1.5 × height
BATCH_PIXELS = 16 * 200  # columns of one batch, padded


THREADS = 1  # one thread per session: `run` gives each file its own worker, one per core


def _session(model: str) -> onnxruntime.InferenceSession:
    """An ONNX Runtime session on one thread that does not spin while it waits: on a shared
    2-core machine a spinning pool burns CPU seconds without reading faster."""
    import onnxruntime

    opts = onnxruntime.SessionOptions()
    opts.intra_op_num_threads = THREADS
    opts.inter_op_num_threads = 1
    opts.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
    opts.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
    opts.log_severity_level = 4
    opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return onnxruntime.InferenceSession(model, sess_options=opts, providers=["CPUExecutionProvider"])


class _Recogniser:
    """Only PP-OCR's recogniser, loaded from the wheel's model file: the detector and the
    direction classifier are never used (the crops come from the grid and the ink), so they
    are not loaded either (time and memory)."""

    def __init__(self) -> None:
        try:
            import rapidocr_onnxruntime
        except ImportError:  # pragma: no cover - installed with the package
            raise ReadError("OCR needs rapidocr_onnxruntime: pip install rapidocr_onnxruntime") from None
        model = Path(rapidocr_onnxruntime.__file__).parent / "models" / REC_MODEL
        if not model.is_file():  # pragma: no cover - a broken install
            raise ReadError(f"OCR model missing: {model}")
        session = _session(str(model))
        self.input = session.get_inputs()[0].name
        self.session = session
        # CTC classes: 0 is the blank, then the model's characters, then the space
        chars = session.get_modelmeta().custom_metadata_map["character"].splitlines()
        self.characters: list[str] = ["blank", *chars, " "]
        self.lock = threading.Lock()

    def read(self, crops: list[np.ndarray]) -> list[list[tuple[str, float, float]]]:
        """Each grayscale crop of one text line -> its characters as (char, probability, x),
        x the character's centre in the crop's pixels (from the CTC time step it was read at)."""
        out: list[list[tuple[str, float, float]]] = [[] for _ in crops]
        for chunk in _batches([_width(c) for c in crops]):
            width = max(_width(crops[i]) for i in chunk)
            batch = np.zeros((len(chunk), 3, HEIGHT, width), np.float32)
            for k, i in enumerate(chunk):
                crop = crops[i]
                w = _width(crop, exact=True)
                line = cv2.resize(crop, (w, HEIGHT)).astype(np.float32) / 127.5 - 1.0
                batch[k, :, :, :w] = line  # gray into the three channels
            with self.lock:
                preds = self.session.run(None, {self.input: batch})[0]
            step = width / preds.shape[1]  # input pixels per time step
            for k, i in enumerate(chunk):
                scale = crops[i].shape[0] / HEIGHT
                out[i] = [(ch, p, x * step * scale) for ch, p, x in self._decode(preds[k])]
        return out

    def _decode(self, pred: np.ndarray) -> list[tuple[str, float, float]]:
        """Greedy CTC: (char, its highest probability, its mean time step) per character."""
        idx = pred.argmax(axis=1)
        prob = pred.max(axis=1)
        out: list[tuple[str, float, float]] = []
        steps: list[int] = []
        prev = 0
        for t, c in enumerate(idx):
            if c != 0 and c == prev:
                ch, p, _ = out[-1]
                out[-1] = (ch, max(p, float(prob[t])), 0.0)
                steps.append(t)
            elif c != 0:
                if out:
                    out[-1] = (out[-1][0], out[-1][1], (sum(steps) / len(steps)) + 0.5)
                out.append((self.characters[c], float(prob[t]), 0.0))
                steps = [t]
            prev = c
        if out:
            out[-1] = (out[-1][0], out[-1][1], (sum(steps) / len(steps)) + 0.5)
        return out


def _width(crop: np.ndarray, exact: bool = False) -> int:
    """The crop's width at the recogniser's height (at least MIN_RATIO × HEIGHT unless exact)."""
    w = max(1, int(math.ceil(HEIGHT * crop.shape[1] / max(1, crop.shape[0]))))
    return w if exact else max(w, int(HEIGHT * MIN_RATIO))


def _batches(widths: list[int]) -> list[list[int]]:
    """Crops grouped by width, so that little is padding: a batch holds at most BATCH crops and
    at most BATCH_PIXELS columns once padded to its widest (a long line of text goes alone)."""
    order = sorted(range(len(widths)), key=widths.__getitem__)
    out: list[list[int]] = []
    for i in order:
        if out and len(out[-1]) < BATCH and widths[i] * (len(out[-1]) + 1) <= BATCH_PIXELS \
                and widths[i] <= 1.25 * widths[out[-1][0]]:
            out[-1].append(i)
        else:
            out.append([i])
    return out


@cache
def recogniser() -> _Recogniser:
    """Loaded on the first picture (≈0.3 s); a run without pictures never imports ONNX Runtime."""
    return _Recogniser()


def read_chars(crops: list[np.ndarray]) -> list[list[tuple[str, float, float]]]:
    """Each line crop's characters: (char, probability, x centre in the crop)."""
    return recogniser().read(crops) if crops else []


def read_lines(crops: list[np.ndarray]) -> list[tuple[str, float]]:
    """Each line crop's text and its lowest character probability (0.0 for nothing read)."""
    return [("".join(c for c, _, _ in chars), min((p for _, p, _ in chars), default=0.0))
            for chars in read_chars(crops)]
