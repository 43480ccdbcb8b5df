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

import cv2
import numpy as np

from extractor.errors import ReadError

HEIGHT = 48  # the recogniser's input height
BATCH = 16
MIN_RATIO = 1.5  # narrowest input: width = 1.5 × height


class _Recogniser:
    def __init__(self) -> None:
        try:
            from rapidocr_onnxruntime import RapidOCR
        except ImportError:  # pragma: no cover - installed with the package
            raise ReadError("OCR needs rapidocr_onnxruntime: pip install rapidocr_onnxruntime") from None
        engine = RapidOCR(print_verbose=False)
        rec = engine.text_rec
        self.session = rec.session
        self.characters = rec.postprocess_op.character
        self.lock = threading.Lock()

    def read(self, crops: list[np.ndarray]) -> list[tuple[str, float]]:
        """Each grayscale crop of one text line -> (text, lowest character probability)."""
        out: list[tuple[str, float]] = [("", 0.0)] * len(crops)
        order = sorted(range(len(crops)), key=lambda i: crops[i].shape[1] / max(1, crops[i].shape[0]))
        for start in range(0, len(order), BATCH):
            chunk = order[start:start + BATCH]
            ratio = max(MIN_RATIO, max(crops[i].shape[1] / max(1, crops[i].shape[0]) for i in chunk))
            width = int(math.ceil(HEIGHT * ratio))
            batch = np.zeros((len(chunk), 3, HEIGHT, width), np.float32)
            for k, i in enumerate(chunk):
                crop = crops[i]
                w = min(width, max(1, int(math.ceil(HEIGHT * crop.shape[1] / max(1, crop.shape[0])))))
                line = cv2.resize(crop, (w, HEIGHT)).astype(np.float32) / 127.5 - 1.0
                batch[k, :, :, :w] = line  # gray into the three channels
            with self.lock:
                preds = self.session(batch)[0]
            for k, i in enumerate(chunk):
                out[i] = self._decode(preds[k])
        return out

    def _decode(self, pred: np.ndarray) -> tuple[str, float]:
        idx = pred.argmax(axis=1)
        prob = pred.max(axis=1)
        chars, probs = [], []
        prev = -1
        for t, c in enumerate(idx):
            if c != 0 and c != prev:
                chars.append(self.characters[c])
                probs.append(float(prob[t]))
            elif c != 0 and c == prev and probs:
                probs[-1] = max(probs[-1], float(prob[t]))
            prev = c
        if not chars:
            return "", 0.0
        return "".join(chars), min(probs)


@cache
def recogniser() -> _Recogniser:
    """Loaded on the first picture (≈0.3 s); a run without pictures never imports ONNX Runtime."""
    return _Recogniser()


def read_lines(crops: list[np.ndarray]) -> list[tuple[str, float]]:
    return recogniser().read(crops) if crops else []
