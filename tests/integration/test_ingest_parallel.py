"""Pass 1 in worker processes gives exactly what it gives in-process, and new records loaded from files in the
managed server's import directory give exactly what parameters give: the same reports (every problem, every
count) and the same graph, for every synthetic export with its planted errors, loaded in order, then re-loaded
with changes (so that records marked unchanged by the workers are really skipped)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

import ingest.loader as loader
import ingest.prepare as prepare
from graph import server
from graph.db import Database
from graph.settings import load_settings
from ingest.loader import load_records
from ingest.mapping import load_mapping
from ingest.pipeline import IngestContext, ingest_file
from ingest.prepare import worker_count
from ingest.pseudonym import Pseudonymiser
from ingest.resolve import StateStore
from tests.conftest import wipe
from tests.integration.ingest_helpers import graph_state
from tests.writers import STEWARD, session_audit

ROOT = Path(__file__).resolve().parents[2]
_NAMES = {"verwijzingen": "verwijzingen.xlsx"}


def _summary(report: Any) -> dict[str, Any]:
    data = report.summary()
    data["problems"] = [(p.row, p.column, p.value, p.reason, p.code) for p in report.problems]
    return data


def _run(db: Database, tmp: Path, exports: dict[str, Path], changed_vis2: Path, workers: int,
         import_dir: Path | None = None) -> tuple[list[dict[str, Any]], tuple[int, int, str]]:
    from ingest.synthetic import generate

    wipe(db)
    load_records(db, [(k, r) for k, r in generate(seed=5, households=30) if k == "area"])
    store = StateStore(tmp / f"store-{workers}-{import_dir is not None}.sqlite")
    ctx = IngestContext(db=db, pseudo=Pseudonymiser(b"p" * 64), store=store, today=date(2030, 1, 1), batch_size=11,
                        workers=workers, import_dir=import_dir)
    reports = []
    for stem, path in [*exports.items(), ("vis2_betrokkenheid", changed_vis2)]:
        r = ingest_file(ctx, session_audit(), STEWARD, load_mapping(ROOT / "mappings" / f"{_NAMES.get(stem, stem)}.yaml"), path)
        assert r.reconciles and r.status in ("loaded", "rejected"), r.to_text()  # a planted error may reject
        reports.append(_summary(r))
    return reports, graph_state(db)


def _exports(tmp_path: Path) -> tuple[dict[str, Path], Path]:
    from ingest.exports import write_exports

    exports = write_exports(tmp_path / "exp", seed=5, households=30, errors=True)
    lines = exports["vis2_betrokkenheid"].read_text(encoding="utf-8").splitlines(keepends=True)
    # the re-import: one row gets an end date, one row is gone, the rest is unchanged
    changed = tmp_path / "vis2-again.csv"
    m = len(lines) // 2
    row = lines[m].rstrip("\n").split(";")
    row[lines[0].split(";").index("einddatum")] = "31-12-2011"
    changed.write_text("".join([*lines[:m], ";".join(row) + "\n", *lines[m + 2:]]), encoding="utf-8")
    return exports, changed


def test_workers_give_the_same_reports_and_graph(db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                                 ) -> None:
    monkeypatch.setattr(prepare, "CHUNK_ROWS", 5)  # many chunks: duplicates and conflicts cross chunk borders
    exports, changed = _exports(tmp_path)
    serial, serial_graph = _run(db, tmp_path, exports, changed, workers=1)
    parallel, parallel_graph = _run(db, tmp_path, exports, changed, workers=2)

    assert parallel == serial
    assert parallel_graph == serial_graph
    again = serial[-1]
    assert again["records_unchanged"] > 0 and sum(again["records_written"].values()) >= 1  # the skip really ran
    assert any(r["problems"] for r in serial)  # the planted errors were found (and equally by both)
    assert sum(r["status"] == "loaded" for r in serial) >= 5


def test_new_records_from_load_files_give_the_same_reports_and_graph_as_parameters(
        db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = load_settings()
    if not settings.managed:
        pytest.skip("load files need the managed server's import directory (NEO4J_URI is set)")
    import_dir = server.import_dir(settings)
    monkeypatch.setattr(prepare, "CHUNK_ROWS", 5)
    exports, changed = _exports(tmp_path)
    sent: list[str] = []
    original = loader._write_load_file

    def write_load_file(where: Path, lines: list[str]) -> Path:
        sent.extend(lines)
        return original(where, lines)

    monkeypatch.setattr(loader, "_write_load_file", write_load_file)
    by_file, file_graph = _run(db, tmp_path, exports, changed, workers=2, import_dir=import_dir)
    by_params, params_graph = _run(db, tmp_path, exports, changed, workers=1)

    assert by_file == by_params
    assert file_graph == params_graph
    assert len(sent) > 50  # the involvements really travelled as files
    involvements = [loader.decode_line("involvement", line) for line in sent if line.startswith('"VIS2-')]
    # both shapes of involvement.file.cypher's rows went by file: with persons, and with only a household
    assert any(r["person_ids"] for r in involvements)
    assert any(r["household_id"] and not r["person_ids"] for r in involvements)
    assert not list(import_dir.glob("wijknet-load-*"))  # each removed once its transaction ended


def test_a_file_over_the_row_limit_is_refused_alike_by_workers(db: Database, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """The reader stops at the limit in the middle of the file, while workers hold chunks: same refusal."""
    from ingest.readers import Limits
    from tests.integration.test_ingest_load import VIS2, vis2_rows

    monkeypatch.setattr(prepare, "CHUNK_ROWS", 3)
    f = tmp_path / "state dir with spaces" / "vis2-long.csv"  # the side store's path is given to workers as a URI
    f.parent.mkdir()
    f.write_text(vis2_rows(30, start=7000))
    got = []
    for workers in (1, 2):
        ctx = IngestContext(db=db, pseudo=Pseudonymiser(b"q" * 64), store=StateStore(f.parent / f"s{workers}.sqlite"),
                            today=date(2030, 1, 1), limits=Limits(max_bytes=20_000_000, max_rows=12),
                            workers=workers)
        r = ingest_file(ctx, session_audit(), STEWARD, VIS2, f)
        got.append((r.status, r.file_problems, r.rows_read, r.rows_rejected, r.rows_loaded))
    assert got[0] == got[1]
    assert got[0][0] == "rejected" and "12" in got[0][1][0]


def test_worker_count_by_file_size(tmp_path: Path) -> None:
    small, big = tmp_path / "s.csv", tmp_path / "b.csv"
    small.write_text("x\n")
    big.write_bytes(b"x" * prepare.PARALLEL_MIN_BYTES)
    assert worker_count(small, None) == 1
    assert worker_count(big, None) >= 1
    assert worker_count(small, 3) == 3 and worker_count(small, 0) == 1
