"""The deployment profile's reference data (its areas and organisations, with their aliases) loaded through the
one audited ingest, as the exports the shipped mappings ``gebieden`` and ``organisaties`` read: the same
validation, the same ledger ("already imported" on a re-run) and the same audit records as any file. Used by
``wijknet profile apply`` and by the *Load data* page (:mod:`app.views.ingest`)."""

from __future__ import annotations

import csv
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from graph.profile import Profile
from ingest.kept_mappings import SHIPPED_DIR
from ingest.mapping import load_mapping

if TYPE_CHECKING:
    from ingest.pipeline import IngestContext
    from ingest.validate import Report
    from queries.access import Actor
    from queries.audit import AuditLog

__all__ = ["PROFILE_MAPPINGS", "apply_profile", "profile_exports"]

#: the shipped mappings the profile's exports are read with, in load order (areas first)
PROFILE_MAPPINGS = ("gebieden", "organisaties")


def _write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    """An ingest *input* in a private temporary directory, read back at once by ingest and never opened in a
    spreadsheet: written as it is (the ingest checks every cell, formula-like ones included)."""
    with open(path, "w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh, delimiter=";")
        out.writerow(header)
        out.writerows(rows)


def _yes_no(flag: bool | None) -> str:
    """A flag as the export's cell: empty when the profile does not say, so a loaded value is kept."""
    return "" if flag is None else "ja" if flag else "nee"


def profile_exports(p: Profile, folder: Path) -> list[tuple[str, Path]]:
    """Write the profile's areas and organisations as the exports of the shipped mappings; return
    ``(mapping name, file)`` pairs in load order (areas first)."""
    out: list[tuple[str, Path]] = []
    if p.areas:
        path = folder / f"gebieden-{p.key}.csv"
        _write(path, ["code", "naam", "soort", "gemeente"], [[a.code, a.name, a.kind, p.municipality] for a in p.areas])
        out.append(("gebieden", path))
    if p.organisations:
        path = folder / f"organisaties-{p.key}.csv"
        _write(path, ["code", "naam", "sector", "groep", "mandaat_verleend", "aliassen"],
               [[o.id, o.name, o.sector, o.covenant_group or "", _yes_no(o.mandating), "|".join(o.aliases)]
                for o in p.organisations])
        out.append(("organisaties", path))
    return out


def apply_profile(ctx: IngestContext, audit: AuditLog, actor: Actor, p: Profile, *, dry_run: bool
                  ) -> list[Report]:
    """Validate (``dry_run``) or load the profile's exports through :func:`ingest.pipeline.ingest_file` as
    ``actor``, one report per file in load order; none when the profile declares no areas and no organisations.
    The files live in a private temporary directory only while they are read."""
    from ingest.pipeline import ingest_file

    with tempfile.TemporaryDirectory(prefix="wijknet-profile-") as tmp:
        return [ingest_file(ctx, audit, actor, load_mapping(SHIPPED_DIR / f"{name}.yaml"), path,
                            dry_run=dry_run)
                for name, path in profile_exports(p, Path(tmp))]
