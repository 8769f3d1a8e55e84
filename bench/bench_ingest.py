"""End-to-end ingest throughput vs Neo4j's own LOAD CSV, on the same involvement rows in the same run.

    WIJKNET_CACHE_DIR=/tmp/wijknet-cache python bench/bench_ingest.py [--repeat 3] 10000 100000 [1000000]

For each tier: a VIS2-style CSV with N involvement rows (N/4 persons by fictional BSN, 40 professionals of two
organisations) is (a) loaded by ``wijknet ingest`` (read → validate the whole file → pseudonymise → load with
the change ledger), then the graph is emptied and (b) loaded by ``LOAD CSV … CALL {…} IN TRANSACTIONS`` from
the server's import directory writing the same nodes and relationships. LOAD CSV gets the person pseudonym
precomputed in a column (Cypher has no HMAC), so it does a little less work. Peak memory is the Python
process's resident set (sampled) above its level before the tier. Runs on its own throwaway state dir/server.
"""

from __future__ import annotations

import os
import random
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LOAD_CSV = """
LOAD CSV WITH HEADERS FROM 'file:///bench.csv' AS row FIELDTERMINATOR ';'
CALL (row) {
  MATCH (p:Professional {id: row.medewerker})
  MATCH (o:Organisation {id: row.org})
  MERGE (per:Person {id: row.person}) SET per.has_bsn = true, per.source = 'VIS2'
  MERGE (i:Involvement {id: 'VIS2-' + row.registratienummer})
  SET i.life_domain = 'ZORG_HULPVERLENING', i.role = row.rol, i.function = row.functie, i.source = 'VIS2',
      i.since = date({year: toInteger(substring(row.startdatum, 6, 4)), month: toInteger(substring(row.startdatum, 3, 2)),
                      day: toInteger(substring(row.startdatum, 0, 2))}),
      i.until = CASE WHEN row.einddatum IS NULL THEN null ELSE date({year: toInteger(substring(row.einddatum, 6, 4)),
                 month: toInteger(substring(row.einddatum, 3, 2)), day: toInteger(substring(row.einddatum, 0, 2))}) END
  MERGE (p)-[r1:PERFORMS]->(i) SET r1.source = 'VIS2'
  MERGE (i)-[r2:ON_BEHALF_OF]->(o) SET r2.source = 'VIS2'
  MERGE (i)-[c:CONCERNS]->(per) SET c.source = 'VIS2'
} IN TRANSACTIONS OF 5000 ROWS
"""


class PeakRss:
    def __init__(self) -> None:
        import psutil

        self.proc = psutil.Process()
        self.base = self.proc.memory_info().rss
        self.peak = self.base
        self._stop = threading.Event()
        self._t = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(0.05):
            self.peak = max(self.peak, self.proc.memory_info().rss)

    def __enter__(self) -> PeakRss:
        self._t.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._t.join()

    @property
    def mb(self) -> float:
        return float(self.peak - self.base) / 1e6


def write_files(n: int, folder: Path, pseudo: object, prefix: str = "",
                taken: set[str] | frozenset[str] = frozenset()) -> tuple[Path, Path]:
    """The same ``n`` involvement rows twice: as a VIS2 export (``ours``) and as LOAD CSV input (``theirs``);
    registration numbers start with ``prefix`` so a run can be told apart from data already loaded. Persons
    whose pseudonym is in ``taken`` (already in the graph) are not used, so both loads add the same persons."""
    from ingest.synthetic import fictional_bsn

    rng = random.Random(n)
    persons: list[str] = []
    while len(persons) < max(1, n // 4):
        bsn = fictional_bsn(rng)
        if pseudo.person_from_bsn(bsn) not in taken:  # type: ignore[attr-defined]
            persons.append(bsn)
    ours, theirs = folder / "vis2-bench.csv", folder / "bench.csv"
    with open(ours, "w") as a, open(theirs, "w") as b:
        a.write("registratienummer;bsn;clientnummer;medewerker;instelling;functie;leefgebied;rol;startdatum;einddatum\n")
        b.write("registratienummer;person;medewerker;org;functie;rol;startdatum;einddatum\n")
        for i in range(n):
            bsn = persons[rng.randrange(len(persons))]
            pro = rng.randrange(40)
            org, name = (("ORG-TACTUS", "Tactus Instelling voor Verslavingszorg") if pro % 2 else
                         ("ORG-SMD", "SMD Enschede-Haaksbergen"))
            since = f"{rng.randint(1, 28):02d}-{rng.randint(1, 12):02d}-{rng.randint(2004, 2008)}"
            until = f"{rng.randint(1, 28):02d}-{rng.randint(1, 12):02d}-2010" if rng.random() < 0.5 else ""
            a.write(f"{prefix}{i};{bsn};;PRO-{pro};{name};casemanager;Hulpverlening;casemanager;{since};{until}\n")
            b.write(f"{prefix}{i};{pseudo.person_from_bsn(bsn)};PRO-{pro};{org};casemanager;casemanager;{since};{until}\n")  # type: ignore[attr-defined]
    return ours, theirs


REFERENCE_ORGS = (("ORG-TACTUS", "Tactus Instelling voor Verslavingszorg"), ("ORG-SMD", "SMD Enschede-Haaksbergen"))


def bench_writer(state_dir: Path) -> tuple[Any, Any]:
    """The audit log and the data steward the bench loads as: every ingest goes through the audited write entry
    (two audit records per file, as in production)."""
    from queries.access import Actor, Role
    from queries.audit import AuditLog

    return AuditLog(Path(state_dir) / "audit-bench.sqlite"), Actor("bench", Role.DATA_STEWARD, "bench",
                                                                    access_point="bench")


def reference_records() -> list[tuple[str, dict[str, object]]]:
    """The two organisations and 40 professionals the bench rows refer to."""
    from datetime import date

    refs: list[tuple[str, dict[str, object]]] = [
        ("organisation", {"id": o, "name": o, "sector": "x", "source": "bench"}) for o, _ in REFERENCE_ORGS]
    pros: list[tuple[str, dict[str, object]]]
    pros = [("professional", {"id": f"PRO-{i}", "name": f"P {i}", "function": "casemanager",
                              "organisation_id": "ORG-TACTUS" if i % 2 else "ORG-SMD", "since": date(2000, 1, 1),
                              "source": "bench"}) for i in range(40)]
    return refs + pros


# the ledger (:Import) and the last matching day (:NoticeDays) are bookkeeping of a load, not its data
_COUNTS = "MATCH (n) WHERE NOT n:Import AND NOT n:NoticeDays RETURN count(n) AS n, COUNT { ()-->() } AS r"


def compare_on(db: object, settings: object, n: int, work: Path, prefix: str = "BENCH") -> dict[str, object]:
    """Ingest ``n`` VIS2 rows with ``wijknet ingest``, remove exactly what they added, then load the same rows
    with LOAD CSV — on a database that may already hold data (the suite runs this last on a loaded tier).

    Organisations ORG-TACTUS/ORG-SMD (unless present) and professionals PRO-0..39 are merged first; the
    suite runs this after all other measurements of a tier, as it adds 40 professionals. Returns rows/s of both, the
    ratio, the Python process's peak RSS above its level before, and whether both added the same counts.
    """
    from datetime import date

    from ingest.loader import load_records
    from ingest.mapping import load_mapping
    from ingest.pipeline import IngestContext, ingest_file

    d = db  # typed loosely: bench modules import the package lazily
    work.mkdir(parents=True, exist_ok=True)
    mapping = load_mapping(ROOT / "mappings" / "vis2_betrokkenheid.yaml")
    known = {r["id"] for r in d.execute("bench_orgs", "MATCH (o:Organisation) RETURN o.id AS id").rows}  # type: ignore[attr-defined]
    # Organisations already loaded (the synthetic neighbourhood has both) are left as they are.
    load_records(d, [(k, r) for k, r in reference_records()  # type: ignore[arg-type]
                     if not (k == "organisation" and r["id"] in known)])
    ctx = IngestContext.from_settings(d, settings, today=date(2012, 1, 1), batch_size=5000)  # type: ignore[arg-type]
    taken = {r["id"] for r in d.execute("bench_person_ids", "MATCH (p:Person) RETURN p.id AS id",  # type: ignore[attr-defined]
                                        row_cap=10_000_000).rows}
    ours, theirs = write_files(n, work, ctx.pseudo, prefix, taken)
    before = d.execute("bench_counts", _COUNTS).first()  # type: ignore[attr-defined]
    audit, steward = bench_writer(settings.state_dir)  # type: ignore[attr-defined]
    with PeakRss() as mem:
        t0 = time.perf_counter()
        report = ingest_file(ctx, audit, steward, mapping, ours)
        ours_s = time.perf_counter() - t0
    if report.rows_loaded != n or not report.reconciles:
        raise RuntimeError(report.to_text())
    after_ours = d.execute("bench_counts", _COUNTS).first()  # type: ignore[attr-defined]
    persons = sorted({line.split(";")[1] for line in theirs.read_text().splitlines()[1:]})
    with d.driver.session(database=d.database) as s:  # type: ignore[attr-defined]
        s.run("MATCH (i:Involvement) WHERE i.id STARTS WITH $p CALL (i) { DETACH DELETE i } "
              "IN TRANSACTIONS OF 10000 ROWS", {"p": f"VIS2-{prefix}"}).consume()
        s.run("UNWIND $ids AS id MATCH (p:Person {id: id}) CALL (p) { DETACH DELETE p } IN TRANSACTIONS OF 10000 ROWS",
              {"ids": persons}).consume()
    restored = d.execute("bench_counts", _COUNTS).first()  # type: ignore[attr-defined]
    import_dir = Path(str(settings.state_dir)) / "neo4j" / "import"  # type: ignore[attr-defined]
    import_dir.mkdir(parents=True, exist_ok=True)
    shutil.copy(theirs, import_dir / "bench.csv")
    t0 = time.perf_counter()
    with d.driver.session(database=d.database) as s:  # type: ignore[attr-defined]
        s.run(LOAD_CSV).consume()
    theirs_s = time.perf_counter() - t0
    after_theirs = d.execute("bench_counts", _COUNTS).first()  # type: ignore[attr-defined]
    (import_dir / "bench.csv").unlink()
    assert before and after_ours and after_theirs and restored
    added_ours = (after_ours["n"] - before["n"], after_ours["r"] - before["r"])
    added_theirs = (after_theirs["n"] - restored["n"], after_theirs["r"] - restored["r"])
    return {"rows": n, "ingest_s": round(ours_s, 2), "ingest_rows_per_s": round(n / ours_s),
            "load_csv_s": round(theirs_s, 2), "load_csv_rows_per_s": round(n / theirs_s),
            "ratio": round(theirs_s / ours_s, 3), "ingest_peak_rss_mb": round(mem.mb),
            "same_counts": added_ours == added_theirs, "added_nodes_rels": list(added_ours),
            "cleanup_restored": (restored["n"], restored["r"]) == (before["n"], before["r"])}


def main(tiers: list[int], repeat: int = 1, warm: bool = False) -> None:
    """Each tier ``repeat`` times per side, alternating, each run on a freshly started, empty server (a fresh
    server's first seconds go to compiling, and one run of a side varies by up to a third); the medians are
    compared. ``warm``: one server for the whole invocation, warmed by one untimed run of each side on the first
    tier, emptied (not restarted) between runs — a server that has been running, as the nightly load meets it."""
    state = Path(tempfile.mkdtemp(prefix="wijknet-bench-"))
    os.environ.update({"WIJKNET_STATE_DIR": str(state), "WIJKNET_SECRET_FILE": str(state / "pseudonym.key"),
                       "WIJKNET_BOLT_PORT": "0"})
    from datetime import date
    from statistics import median

    from graph import server
    from graph.db import connect
    from graph.schema import apply_schema
    from graph.settings import load_settings
    from ingest.loader import load_records
    from ingest.mapping import load_mapping
    from ingest.pipeline import IngestContext, ingest_file
    settings = load_settings()
    server.start(settings)
    db = connect(settings)
    apply_schema(db)

    def fresh() -> Any:
        """An empty database: the store is removed (deleting a million nodes in Cypher needs more memory); on a
        warm server, the nodes are deleted in transactions instead (the server keeps its compiled plans)."""
        if warm:
            with db.driver.session(database=db.database) as s:
                s.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()
            load_records(db, refs)
            return db
        db.close()
        server.reset(settings)
        server.start(settings)
        new = connect(settings)
        apply_schema(new)
        load_records(new, refs)
        return new

    mapping = load_mapping(ROOT / "mappings" / "vis2_betrokkenheid.yaml")
    refs = reference_records()
    if warm:  # one untimed run of each side, so both meet compiled plans and a JIT that has seen the statements
        load_records(db, refs)
        work = state / "warm-up"
        work.mkdir()
        ctx = IngestContext.from_settings(db, today=date(2012, 1, 1), batch_size=5000)
        ours, theirs = write_files(min(tiers), work, ctx.pseudo)
        audit, steward = bench_writer(state)
        ingest_file(ctx, audit, steward, mapping, ours)
        for f in state.glob("ingest.sqlite*"):
            f.unlink()
        db = fresh()
        shutil.copy(theirs, state / "neo4j" / "import" / "bench.csv")
        with db.driver.session(database=db.database) as s:
            s.run(LOAD_CSV).consume()
        shutil.rmtree(work)
    print(f"server: {'warm (started once, emptied between runs)' if warm else 'freshly started for every run'}")
    print(f"{'rows':>9} {'wijknet rows/s':>15} {'peak MB':>8} {'LOAD CSV rows/s':>16} {'ratio':>6}  runs  counts equal")
    try:
        for n in tiers:
            work = state / f"tier-{n}"
            work.mkdir()
            ours_s: list[float] = []
            theirs_s: list[float] = []
            peak = 0.0
            same = True
            for run in range(repeat):
                db = fresh()
                ctx = IngestContext.from_settings(db, today=date(2012, 1, 1), batch_size=5000)
                if run == 0:
                    ours, theirs = write_files(n, work, ctx.pseudo)
                audit, steward = bench_writer(state)
                with PeakRss() as mem:
                    t0 = time.perf_counter()
                    report = ingest_file(ctx, audit, steward, mapping, ours)
                    ours_s.append(time.perf_counter() - t0)
                assert report.rows_loaded == n and report.reconciles, report.to_text()
                for f in state.glob("ingest.sqlite*"):  # the next run starts with an empty side store, as this one
                    f.unlink()
                peak = max(peak, mem.mb)
                ours_counts = db.execute("bench_counts", _COUNTS).first()
                db = fresh()
                shutil.copy(theirs, state / "neo4j" / "import" / "bench.csv")
                t0 = time.perf_counter()
                with db.driver.session(database=db.database) as s:
                    s.run(LOAD_CSV).consume()
                theirs_s.append(time.perf_counter() - t0)
                same = same and ours_counts == db.execute("bench_counts", _COUNTS).first()
                print(f"{n:>9,} run {run + 1}: wijknet {ours_s[-1]:.1f} s, LOAD CSV {theirs_s[-1]:.1f} s, "
                      f"ratio {theirs_s[-1] / ours_s[-1]:.2f}", flush=True)
            o, t = median(ours_s), median(theirs_s)
            print(f"{n:>9,} {n / o:>15,.0f} {peak:>8.0f} {n / t:>16,.0f} {t / o:>6.2f}  {repeat:>4}  {same} "
                  f"{ours_counts}", flush=True)
            shutil.rmtree(work)
    finally:
        db.close()
        server.stop(settings)
        shutil.rmtree(state, ignore_errors=True)


if __name__ == "__main__":
    import argparse

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("tiers", type=int, nargs="*", default=[10_000, 100_000], help="Involvement rows per tier.")
    ap.add_argument("--repeat", type=int, default=1, help="Runs per side and tier, alternating; medians compared.")
    ap.add_argument("--warm", action="store_true",
                    help="One server for all runs, warmed first and emptied between runs (default: a fresh one each).")
    a = ap.parse_args()
    main(a.tiers, a.repeat, a.warm)
