"""Hand-labelled table gold (eval/gold/tables/<id>.json) and where the shared corpus lives.

A gold file lists only what differs from its `default` (0 in most reports): `values` for the
other printed cells (null for a printed blank, dash or slash), `absent` for key prefixes not in
the source (cut-off excerpts, tables published as images), `unreadable` for key prefixes that
are printed but cannot be read from this source (glued digits that fit several splits, dropped
empty cells). The full key set comes from each table's template version.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from pydantic import BaseModel, Field

from extractor.tables import REVIEW_VERSION, all_keys

__all__ = ["REPO_ROOT", "SPLITS", "TableGold", "gold_dir", "gold_split", "gold_tables_dir", "load_table_gold",
           "set_gold_dir", "shared_dir"]

REPO_ROOT = Path(__file__).resolve().parents[2]
SPLITS = ("dev", "test")
# The gold set: eval/gold of a checkout. An installed package has none; `extractor eval --gold DIR`
# (or $EXTRACTOR_GOLD) says where it is.
_GOLD = {"dir": Path(os.environ.get("EXTRACTOR_GOLD") or REPO_ROOT / "eval" / "gold")}


def set_gold_dir(path: Path) -> None:
    _GOLD["dir"] = path


def gold_dir() -> Path:
    return _GOLD["dir"]


def gold_tables_dir() -> Path:
    return gold_dir() / "tables"


def gold_split(path: Path | None = None) -> dict[str, str]:
    """Gold item id -> "dev" or "test": the split by issuing body (eval/gold/split.json). Rules are
    tuned on dev; test is reported beside it, never tuned on."""
    path = path or gold_dir() / "split.json"
    if not path.is_file():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return {item: body["split"] for body in data["bodies"].values() for item in body["items"]}


def shared_dir() -> Path:
    """The shared folder (spec and corpus): $EXTRACTOR_SHARED, else ../shared beside the checkout
    that holds the gold (eval/gold → ../../../shared), else beside this package's repository."""
    if os.environ.get("EXTRACTOR_SHARED"):
        return Path(os.environ["EXTRACTOR_SHARED"])
    beside_gold = gold_dir().resolve().parents[2] / "shared" if len(gold_dir().resolve().parents) > 2 else None
    if beside_gold is not None and beside_gold.is_dir():
        return beside_gold
    return REPO_ROOT.parent / "shared"


class TableGold(BaseModel):
    id: str
    source: str  # relative to the shared folder
    year: int | None
    template: str | None
    table_versions: dict[str, str | None]
    default: int | None = 0
    values: dict[str, int | float | None] = Field(default_factory=dict)
    absent: list[str] = Field(default_factory=list)  # key prefixes not in the source
    unreadable: list[str] = Field(default_factory=list)  # key prefixes printed but not readable here
    own_errors: list[str] = Field(default_factory=list)  # check ids the report itself breaks
    notes: str = ""

    def keys(self) -> list[str]:
        """Every field key of the report's table versions (tables without a version: none)."""
        keys: list[str] = []
        for table in ("active_disclosure", "applications"):
            version = self.table_versions.get(table)
            if version:
                keys += all_keys(table, version)
        return keys + list(all_keys("review_litigation", REVIEW_VERSION))

    def kind(self, key: str) -> str:
        """"absent", "unreadable" or "printed"."""
        if any(key.startswith(p) for p in self.absent):
            return "absent"
        if any(key.startswith(p) for p in self.unreadable):
            return "unreadable"
        return "printed"

    def expected_fields(self) -> dict[str, int | float | None]:
        """The true value of every printed, readable cell."""
        keys = self.keys()
        unknown = set(self.values) - set(keys)
        if unknown:
            raise ValueError(f"{self.id}: gold keys not in the template: {sorted(unknown)[:3]}")
        return {k: self.values.get(k, self.default) for k in keys if self.kind(k) == "printed"}


def load_table_gold(directory: Path | None = None) -> list[TableGold]:
    directory = directory or gold_tables_dir()
    return [TableGold(**json.loads(p.read_text(encoding="utf-8"))) for p in sorted(directory.glob("*.json"))]
