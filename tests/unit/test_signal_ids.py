"""A signal's id is made by wijknet itself and must pass its own id checks: the intake's id fields refuse text
that holds nine digits passing the BSN 11-proef, and a CI run met a signal whose own id did (the lead could not take
it as an intake)."""

from __future__ import annotations

import uuid

import pytest

from ingest import intake
from ingest.validate import holds_bsn


def test_a_new_signal_id_never_looks_like_a_bsn(monkeypatch: pytest.MonkeyPatch) -> None:
    drawn = iter([uuid.UUID("123456782abc4def8123456789abcdef"), uuid.UUID("abcdefabcdef4def8123456789abcdef")])
    monkeypatch.setattr(intake.uuid, "uuid4", lambda: next(drawn))
    assert holds_bsn("SIG-123456782ABC")  # what the first draw would have given
    assert intake.new_signal_id() == "SIG-ABCDEFABCDEF"


def test_many_new_signal_ids_pass_the_id_check() -> None:
    ids = {intake.new_signal_id() for _ in range(5_000)}
    assert len(ids) == 5_000 and not any(holds_bsn(i) for i in ids)
    assert all(len(i) == 16 and i.startswith("SIG-") for i in ids)
