"""OCR of scanned pages and of tables published as pictures, offline (RapidOCR's PP-OCR models
inside the `rapidocr_onnxruntime` wheel, ONNX Runtime on CPU).

Nothing heavy is imported here: OpenCV, NumPy and ONNX Runtime load when a file has a picture.

Public API: `read_image(data, page)`, `read_gray(gray, page)`, `page_lines(page)`, `row_cells`,
`row_line`, `with_ocr_rows` (OCR tables as grid rows of the document); what was read: `OcrPage`, `OcrTable`, `OcrCell`, `OcrLine`.
"""

from extractor.document.ocr._read import page_lines, read_gray, read_image, row_cells, row_line
from extractor.document.ocr._rows import with_ocr_rows
from extractor.document.ocr._types import OcrCell, OcrLine, OcrPage, OcrTable

__all__ = ["OcrCell", "OcrLine", "OcrPage", "OcrTable", "page_lines", "read_gray", "read_image", "row_cells",
           "row_line", "with_ocr_rows"]
