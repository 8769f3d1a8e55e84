"""Stage *checks*: pass 1 over the whole file — every problem of every row — before anything is written.

The per-row work (cell checks, pseudonyms, records, digests) is the records stage's (:mod:`ingest.prepare`,
in worker processes for a large file); here, in the main process and in row order, come the checks *across*
rows: duplicate keys (a conflicting duplicate rejects both rows, never "last row wins"), one person with two
birth dates/names/genders, and references to organisations, professionals, areas, households, persons, plans,
mandates or involvements that do not exist in the database. The key of every row that could be resolved is
staged in the side store (for the vanished-rows check), also when the row is rejected later for another reason:
it is still *in* the file.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from graph.clock import today as dutch_today
from graph.said import Said, said
from ingest.mapping import FieldSpec, Mapping
from ingest.prepare import Job, _same, _spelled_apart, prepare, worker_count
from ingest.readers import Table
from ingest.resolve import (
    existing_ids,
    lookup_tables,
    normalise_name,
    organisation_names,
    shown_address,
    with_graph_areas,
)
from ingest.rows import RowFacts, RowTrouble, Spill
from ingest.validate import Problem, Report, _shown, mask_digits, shown_key, shown_person

if TYPE_CHECKING:
    from ingest.pipeline import IngestContext

__all__ = ["NOTE_ROWS", "Pass1", "validate"]

#: row keys noted in the side store per SQLite transaction (and records noted by the writer)
NOTE_ROWS = 25_000


@dataclass(frozen=True)
class Pass1:
    """What pass 1 leaves for pass 2."""

    #: the row numbers to reject
    rejected: frozenset[int]
    #: rows that could not be read far enough to know their key
    unkeyed: int
    #: the ledger epoch whose digests marked records as unchanged (None: none were)
    epoch: str | None


class _CrossRows:
    """The checks across rows, fed one row's facts at a time in file order."""

    def __init__(self, ctx: IngestContext, mapping: Mapping, report: Report, run: str) -> None:
        self.ctx, self.mapping, self.report, self.run = ctx, mapping, report, run
        self.rejected: dict[int, str] = {}
        self.staged: list[str] = []
        self.unkeyed = 0
        self.keys: dict[bytes, tuple[bytes | None, int]] = {}
        #: the (first, later) rows of each key met again with other values: told apart by a second look
        self.conflicts: list[tuple[int, int]] = []
        self.persons: dict[str, tuple[bytes | None, int]] = {}
        self.refs: dict[tuple[str, str], tuple[str, array[int]]] = {}
        self.key_col = ", ".join(mapping.key)

    def reject(self, p: Problem) -> None:
        self.report.add(p)
        if p.row is not None and p.row not in self.rejected:
            self.rejected[p.row] = p.code

    def take(self, info: RowFacts | RowTrouble) -> None:
        if isinstance(info, RowTrouble):
            if info.what == "warn":  # about the next row, which it does not reject
                for p in info.problems:
                    self.report.add(p)
                return
            if info.what == "erased":  # said and counted, neither loaded nor rejected, its key not kept
                self.report.rows_read += 1
                self.report.rows_skipped += 1
                for p in info.problems:
                    self.report.add(p)
                return
            self.report.rows_read += 1
            self.unkeyed += 1
            for p in info.problems:
                self.reject(p)
            # what it names is checked with the other rows' references (a staff code a mapping may create is not
            # noted as created for a row that is not loaded)
            self._refer(info.row_no, [r for r in info.references
                                      if not (r[0] == "Professional" and self.mapping.create_professionals)])
            return
        self.report.rows_read += 1
        self.staged.append(info.row_key)
        if len(self.staged) >= NOTE_ROWS:
            self.ctx.store.stage_row_keys(self.mapping.name, self.run, self.staged)
            self.staged = []
        if self._duplicate(info) or self._same_person(info):
            return
        self._refer(info.row_no, info.references)

    def _refer(self, row_no: int, references: list[tuple[str, str, str]]) -> None:
        for label, ref_id, fname in references:
            entry = self.refs.get((label, ref_id))
            if entry is None:
                entry = self.refs[(label, ref_id)] = (fname, array("I"))
            entry[1].append(row_no)

    def _seen_before(self, seen: dict[Any, tuple[bytes | None, int]], key: Any, digest: bytes | None,
                     row_no: int) -> tuple[bytes | None, int] | None:
        """The (digest, row) ``key`` was first seen with in ``seen``; None the first time (then noted)."""
        first = seen.get(key)
        if first is None:
            seen[key] = (digest, row_no)
        return first

    def _reject_both(self, rows: tuple[int, int], col: str, shown: str, reason: Callable[[int], str],
                     key: str = "") -> None:
        """A conflict between two rows rejects both; ``reason(other)`` names the other row."""
        a, b = rows
        self.reject(Problem(self.report.file, a, col, shown, reason(b), "conflicting_duplicate", key))
        self.reject(Problem(self.report.file, b, col, shown, reason(a), "conflicting_duplicate", key))

    def _duplicate(self, info: RowFacts) -> bool:
        """A key seen before: a duplicate row, or a conflict (both rows rejected)."""
        if info.key_digest is None:
            return False
        seen = self._seen_before(self.keys, info.key_digest, info.values_digest, info.row_no)
        if seen is None:
            return False
        kshown = shown_key(self.mapping, info.key_cells or ())
        # the columns of the cells shown: a key's empty cells are left out of both, so they read side by side
        cols = ", ".join(c for c, v in zip(self.mapping.key, info.key_cells or (), strict=False)
                         if v is not None and str(v).strip()) or self.key_col
        if seen[0] != info.values_digest:
            self.conflicts.append((seen[1], info.row_no))
            # both rows have this key (the same digest): its text is the value of both problems
            self._reject_both((info.row_no, seen[1]), cols, kshown, lambda other: said(
                "said.ingest.same_key", "same key as row {row} with different values (conflict: neither row is "
                "loaded)", row=str(other)), kshown)
        else:
            self.reject(Problem(self.report.file, info.row_no, cols, kshown, said(
                "said.ingest.duplicate_row", "duplicate of row {row}", row=str(seen[1])), "duplicate_row", kshown))
        return True

    def _same_person(self, info: RowFacts) -> bool:
        """A person seen before with a different name, birth date or gender: both rows rejected."""
        if info.person_id is None:
            return False
        seen = self._seen_before(self.persons, info.person_id, info.person_digest, info.row_no)
        if seen is None or seen[0] == info.person_digest:
            return False
        col = info.person_column or ""
        self._reject_both((info.row_no, seen[1]), col, shown_person(self.mapping, col, info.person_cell),
                          lambda other: said("said.ingest.same_person", "the same person as row {row} with a different "
                                             "name, birth date or gender (conflict)", row=str(other)))
        return True

    def check_references(self) -> None:
        """Reject the rows referring to nodes that do not exist (``create_professionals``: report those made)."""
        if not self.refs:
            return
        if self.ctx.db is None:
            self.report.notes.append(said("said.ingest.refs_unchecked",
                                          "references to existing nodes were not checked (no database)"))
            return
        by_label: dict[str, list[str]] = {}
        for label, ref_id in self.refs:
            by_label.setdefault(label, []).append(ref_id)
        for label, ids in sorted(by_label.items()):
            found = existing_ids(self.ctx.db, label, ids)
            if label == "Professional" and self.mapping.create_professionals:
                _note_created(self.report, sorted(set(ids) - found))
                continue
            missing = sorted(set(ids) - found)
            # an organisation's name where its code belongs (a staff export that names the employer): said so
            names = organisation_names(self.ctx.db) if missing and label == "Organisation" else {}
            for ref_id in missing:
                self._unknown(label, ref_id, names.get(normalise_name(ref_id)))

    def _unknown(self, label: str, ref_id: str, named: str | None = None) -> None:
        fname, rows = self.refs[(label, ref_id)]
        col = self.mapping.fields[fname].column or fname
        address = label == "Household" and "|" in ref_id
        if address:  # the address is in two or three columns: each named (a review read "postcode: 9999 ZZ 4")
            parts = ("postcode", "house_number", "suffix") if ref_id.rsplit("|", 1)[-1] else ("postcode", "house_number")
            col = " + ".join(f.column or name for name in parts if (f := self.mapping.fields.get(name)) is not None)
        # the address is the steward's own file's (the key column shows it too when the key holds it): said as
        # people write it, 8-9 digit runs masked as in any value
        shown = mask_digits(shown_address(ref_id)) if address else mask_digits(ref_id)
        if named:
            why = said("said.ingest.name_not_code", "{id!r} is not an organisation's code but the name of {code}: "
                       "write its code, or let the mapping match this column by name (match: name)", id=shown,
                       code=named)
        elif address:
            why = said("said.ingest.unknown_address", "{label} at this address does not exist in the database (load it "
                       "first)", label=said(f"said.node.{label}", label.lower()))
        else:
            why = said("said.ingest.unknown_reference", "{label} {id!r} does not exist in the database (load it first)",
                       label=said(f"said.node.{label}", label.lower()), id=shown)
        for r in rows:
            self.reject(Problem(self.report.file, r, col, shown, why, "unknown_reference"))


def validate(ctx: IngestContext, mapping: Mapping, table: Table, index: dict[str, int], report: Report, run: str,
             spill: Spill | None = None, epoch: str | None = None) -> Pass1:
    """Pass 1: every problem of every row (into ``report``); the accepted rows' records into ``spill``, those
    unchanged since the last load into the graph of ledger ``epoch`` marked so."""
    mapping = with_graph_areas(ctx.db, mapping)  # an area column takes the areas loaded, by code or name
    checks = _CrossRows(ctx, mapping, report, run)
    epoch = epoch if ctx.db is not None and spill is not None else None
    job = Job(mapping=mapping, index=index, file=report.file, today=ctx.today or dutch_today(),
              pseudo=ctx.pseudo, aliases=ctx.store.person_aliases(),
              digests=(str(ctx.store.path), epoch, mapping.source) if epoch else None, spill=spill is not None,
              lines=ctx.import_dir is not None, lookups=lookup_tables(ctx.db, mapping), erased=ctx.store.erased())
    for infos, blob in prepare(job, table.rows(), worker_count(table.path, ctx.workers)):
        if spill is not None:
            spill.add_blob(blob)
        for info in infos:
            checks.take(info)
    checks.check_references()
    ctx.store.stage_row_keys(mapping.name, run, checks.staged)
    for code in checks.rejected.values():
        report.rejected_by_reason[code] += 1
    second_look(mapping, table, index, report, checks.conflicts)
    report.problems.sort(key=lambda p: (p.row or 0, p.column))
    return Pass1(frozenset(checks.rejected), checks.unkeyed, epoch)


def _note_created(report: Report, codes: list[str]) -> None:
    """``create_professionals``: say which professionals the load creates (not in the graph before)."""
    if codes:
        shown = ", ".join(mask_digits(c) for c in codes[:50]) + (", …" if len(codes) > 50 else "")
        report.notes.append(said("said.ingest.professionals_created", "professionals created (first seen in this "
                                 "export): {n}: {codes}", n=len(codes), codes=shown))


def second_look(mapping: Mapping, table: Table, index: dict[str, int], report: Report,
                conflicts: list[tuple[int, int]]) -> None:
    """Give the problems found across rows (unknown references, a person's conflicting rows) their row's key, and
    the rows of one key with other values the columns they differ in (:func:`_differing`).

    Pass 1 keeps no key and no cells per row (it would cost memory and time for every row of a clean file): only
    when such problems were reported is the file read once more, for just those rows.
    """
    need = {p.row for p in report.problems
            if not p.key and p.row is not None and p.code in ("unknown_reference", "conflicting_duplicate")}
    cols = [index.get(c.casefold()) for c in mapping.key]
    keyed = any(i is not None for i in cols)
    wanted = (need if keyed else set()) | {r for pair in conflicts for r in pair}
    if not wanted:
        return
    keys: dict[int, str] = {}
    rows: dict[int, list[Any]] = {}
    last = max(wanted)
    for row_no, cells, _ in table.rows():
        if row_no in wanted and cells is not None:
            rows[row_no] = cells
            if keyed:
                keys[row_no] = shown_key(mapping, _cells(cells, cols))
        if row_no >= last:
            break
    told = _differing(mapping, table.header, index, conflicts, rows)
    report.problems = [_told(p, told, keys) for p in report.problems]
    report.problems = [replace(p, key=keys[p.row]) if not p.key and p.row in keys else p for p in report.problems]


def _told(p: Problem, told: dict[tuple[int, int], tuple[str, str, Said]], keys: dict[int, str]) -> Problem:
    """``p`` as :func:`_differing` tells it, when it is a key's conflict it told apart, with its own row's key as
    written (pass 1 gave both rows the later row's spelling: ``7545ab, 012`` for a row that has ``7545 AB, 12``)."""
    if p.row is None or getattr(p.reason, "key", "") != "said.ingest.same_key":
        return p
    new = told.get((p.row, int(p.reason.params["row"])))  # type: ignore[attr-defined]
    key = keys.get(p.row, p.key)
    return replace(p, key=key) if new is None else replace(p, column=new[0], value=new[1], reason=new[2], key=key)


def _differing(mapping: Mapping, header: list[str], index: dict[str, int], conflicts: list[tuple[int, int]],
               rows: dict[int, list[Any]]) -> dict[tuple[int, int], tuple[str, str, Said]]:
    """Per (row, other row) of a key met with other values: the columns the two rows differ in (as pass 1 compared
    them: a postcode, suffix or BSN by its value, ``7554 GH`` = ``7554gh``), this row's cells there, and the
    reason naming the other row's (a BSN masked as in any report)."""
    by_column = {spec.column.casefold(): (name, spec) for name, spec in mapping.fields.items() if spec.column}
    # the key's columns are the same by what made it a conflict (as pass 1 compared them: 12 and 012 one number)
    key = {c.casefold() for c in mapping.key}
    mapped = [h for h in header if h.casefold() in by_column and h.casefold() not in key]
    fields = [by_column[h.casefold()] for h in mapped]
    at = [index.get(h.casefold()) for h in mapped]
    out: dict[tuple[int, int], tuple[str, str, Said]] = {}
    for pair in conflicts:
        if not all(r in rows for r in pair):
            continue
        cells = {r: _cells(rows[r], at) for r in pair}
        named = [k for k, f in enumerate(fields) if _compared(f, cells[pair[0]][k]) != _compared(f, cells[pair[1]][k])]
        if not named:
            continue
        shown = {r: [_shown(mapping, fields[k][0], cells[r][k]) for k in named] for r in pair}
        for row, other in (pair, pair[::-1]):
            theirs = ", ".join(f"{mapped[k]} '{v}'" for k, v in zip(named, shown[other], strict=True))
            out[(row, other)] = (", ".join(mapped[k] for k in named), ", ".join(f"'{v}'" for v in shown[row]),
                                 said("said.ingest.same_key_differs", "same key as row {row}, which has {theirs} "
                                      "(conflict: neither row is loaded)", row=str(other), theirs=theirs))
    return out


def _compared(field: tuple[str, FieldSpec], cell: Any) -> Any:
    """A cell as pass 1 compares two rows of one key (:func:`ingest.prepare._same` for a field written several
    ways; every other cell as written)."""
    name, spec = field
    return _same(name, spec, cell) if _spelled_apart(name, spec) else cell


def _cells(cells: list[Any], cols: list[int | None]) -> tuple[Any, ...]:
    return tuple(cells[i] if i is not None and i < len(cells) else None for i in cols)
