"""The identity checks table_checks makes without IdentityCheck's __init__ call (_checks._new)
read as constructed ones; an identity with a gap is decided as before."""

from __future__ import annotations

import copy
import pickle

from extractor import parse_text
from extractor.models import CellInfo, CellState
from extractor.tables._checks import IdentityCheck, table_checks
from extractor.tables._template import identities
from samples.synth import ReportSpec, consistent_values, make_report


def test_checks_made_in_place_read_as_constructed():
    result = parse_text(make_report(ReportSpec(version="2021", layout="pipe", values=consistent_values(3, "2021"))))
    checks = table_checks("applications", "2021", result.fields, result.cells)
    made = [c for c in checks if isinstance(c, IdentityCheck)]
    assert made and all(c.ok for c in made)
    for check in made:
        again = IdentityCheck(check._identity, check.ok, check._values, check._span, check._zeroed, check._unknown)
        assert (again.id, again.ok, again.detail, again.keys) == (check.id, check.ok, check.detail, check.keys)
        plain = pickle.loads(pickle.dumps(check))
        assert (plain.id, plain.ok, plain.detail, plain.keys) == (check.id, check.ok, check.detail, check.keys)
    assert copy.deepcopy(made[0]).detail == made[0].detail


def test_a_gap_is_blank_read_as_0_or_unknown():
    identity = identities("review_litigation", "2019")[0]
    keys = identity.keys
    fields: dict[str, int | float | None] = {k: 1 for k in keys[1:]}
    fields[keys[0]] = len(keys) - 1
    cells = {k: CellInfo(str(v), CellState.NUMBER) for k, v in fields.items()}
    fields[keys[1]] = None
    cells[keys[1]] = CellInfo("", CellState.BLANK)
    check = next(c for c in table_checks("review_litigation", "2019", fields, cells) if c.id == identity.id)
    assert check.ok is False and "blank read as 0: 1 cell" in check.detail
    cells[keys[1]] = CellInfo("12 3", CellState.GLUED)
    check = next(c for c in table_checks("review_litigation", "2019", fields, cells) if c.id == identity.id)
    assert check.ok is None and keys[1] in check.detail
    del cells[keys[1]]  # no cell: unknown too
    check = next(c for c in table_checks("review_litigation", "2019", fields, cells) if c.id == identity.id)
    assert check.ok is None and check.detail.endswith(keys[1])
