"""Load data (data steward, admin): upload an export, see the full validation report, then confirm the load.

Limits are enforced here, server-side, on the received bytes (name and size before anything is written or parsed,
rows while reading; :func:`ingest.readers.receive_upload`): the uploader's ``type=`` filter and the browser's
size check are only conveniences. Both the validation and the load go through the audited write entry
(:func:`ingest.pipeline.ingest_file`): role checked and audit record written before the file is read.

The mapping is one installed with wijknet (``mappings/``), one kept earlier, or a ``.yaml`` uploaded with the
export: checked exactly like one on disk, size- and name-limited, never executed (:mod:`ingest.kept_mappings`);
it can be kept for next time in ``<state dir>/mappings/`` and is then offered by its name and description.
Each validation shows one verdict: loadable, loadable in part, or nothing to load.
"""

from __future__ import annotations

import shutil
import tempfile
from datetime import date
from pathlib import Path

import streamlit as st

from app.state import get_audit, get_db
from app.ui import guarded, page_actor
from graph.settings import PROJECT_ROOT, load_settings
from ingest.kept_mappings import KeptMapping, keep_mapping, kept_mappings, read_uploaded_mapping
from ingest.mapping import Mapping, MappingError, load_mapping
from ingest.pipeline import IngestContext, ingest_file
from ingest.readers import UPLOAD_LIMITS, FileProblem, receive_upload
from ingest.validate import Report
from queries.access import write_roles

SHOWN_PROBLEMS = 50

actor = page_actor("Load data", "ingest_page", *write_roles("ingest_load"))

MAPPINGS = sorted((PROJECT_ROOT / "mappings").glob("*.yaml"))
KEPT_DIR = load_settings().state_dir / "mappings"
UPLOAD_MAPPING = "Eigen mapping uploaden (.yaml)…"

kept, broken = kept_mappings(KEPT_DIR)
options: list[Path | KeptMapping | str] = [*MAPPINGS, *kept, UPLOAD_MAPPING]


@st.cache_data(show_spinner=False)
def _shipped_label(path: str, mtime: float) -> str:
    """A shipped mapping as a person recognises it: its description, then its name (the file's stem)."""
    try:
        m = load_mapping(Path(path))
    except Exception:  # a broken mapping file is reported when it is chosen; here it is offered by file name
        return Path(path).name
    return f"{m.description.rstrip('.')} ({m.name})" if m.description else m.name


def _label(option: Path | KeptMapping | str) -> str:
    if isinstance(option, KeptMapping):
        return f"{option.label} (bewaard)"
    return _shipped_label(str(option), option.stat().st_mtime) if isinstance(option, Path) else option


choice = st.selectbox("Mapping", options, format_func=_label)
for sentence in broken:
    st.warning(sentence)
mapping: Mapping | None = None
if isinstance(choice, KeptMapping):
    mapping = choice.mapping
elif isinstance(choice, Path):
    mapping = guarded(lambda: load_mapping(choice))
else:
    own = st.file_uploader("Mappingbestand (.yaml)", type=["yaml", "yml"], max_upload_size=1, key="own-mapping",
                           help="De mapping bij deze export. Hij wordt gecontroleerd zoals een mapping op de "
                                "server, en alleen als gegevens gelezen, nooit uitgevoerd.")
    if own is None:
        st.info("Kies het mappingbestand dat bij de export hoort.")
    else:
        try:
            mapping = read_uploaded_mapping(own.name, own.getvalue())
        except MappingError as exc:
            st.error(str(exc))
        if mapping is not None:
            st.caption(f"Mapping **{mapping.name}** ({mapping.kind.name}) is in orde."
                       + (f" {mapping.description}" if mapping.description else ""))
            if st.button("Mapping bewaren voor de volgende keer"):
                try:
                    stored = keep_mapping(KEPT_DIR, own.name, own.getvalue())
                except (MappingError, OSError) as exc:
                    st.error(f"De mapping is niet bewaard: {exc}")
                else:
                    st.success(f"Bewaard: de volgende keer staat ‘{stored.label}’ in de lijst van mappings.")
as_of = st.date_input("Export date (as of)", value=date.today(), format="DD-MM-YYYY",
                      help="The date the export describes. With `on_missing: end` in the mapping, rows that were "
                           "in the previous import and are missing now end on this date.")
upload = st.file_uploader("Export file (.csv or .xlsx)", key="export", type=["csv", "xlsx"],
                          max_upload_size=UPLOAD_LIMITS.max_bytes // 1_000_000)
st.caption(f"At most {UPLOAD_LIMITS.max_bytes // 1_000_000} MB and {UPLOAD_LIMITS.max_rows:,} rows per file. "
           "Unknown columns are dropped and never stored; BSNs are pseudonymised at once.")


def verdict(report: Report) -> tuple[str, str]:
    """The one verdict of a validation or load: ``("error" | "warning" | "success" | "info", sentence)``."""
    head = report.to_text(max_lines=0).splitlines()[0]
    usable = report.rows_valid if report.status == "validated" else report.rows_loaded
    if report.status == "rejected":
        return "error", head
    if report.status == "already_imported":
        return "info", head
    if not usable:
        return "error", f"{head} — geen geldige rijen: er {'kan' if report.status == 'validated' else 'is'} " \
                        "niets geladen worden."
    if report.rows_rejected:
        what = "kunnen worden geladen" if report.status == "validated" else "zijn geladen"
        return "warning", f"{head} — {report.rows_rejected:,} rijen afgewezen; de {usable:,} geldige rijen {what}."
    return "success", head


def _show(report: Report, title: str) -> None:
    st.subheader(title)
    kind, sentence = verdict(report)
    {"error": st.error, "warning": st.warning, "success": st.success, "info": st.info}[kind](sentence)
    c1, c2, c3 = st.columns(3)
    c1.metric("Rows read", f"{report.rows_read:,}")
    c2.metric("Valid" if report.status == "validated" else "Loaded",
              f"{report.rows_valid if report.status == 'validated' else report.rows_loaded:,}")
    c3.metric("Rejected", f"{report.rows_rejected:,}")
    for p in report.file_problems:
        st.error(p)
    if report.unknown_columns:
        st.info("Dropped (not stored): " + ", ".join(report.unknown_columns))
    for reason, n in sorted(report.rejected_by_reason.items()):
        st.caption(f"Rejected — {reason}: {n:,}")
    if report.rows_vanished:
        verb = {"validated": "will end on the export date", "loaded": f"ended: {report.rows_ended:,}"}
        what = verb.get(report.status, "") if report.on_missing == "end" else "kept unchanged (on_missing: report)"
        st.warning(f"{report.rows_vanished:,} rows of the previous import are missing from this file — {what}: "
                   + ", ".join(report.vanished_keys[:20]) + (" …" if report.rows_vanished > 20 else ""))
    for note in report.notes:
        st.caption(note)
    if report.records_written or report.records_unchanged:
        st.caption("Records written: " + (", ".join(f"{k} {v:,}" for k, v in report.records_written.items())
                                          or "none") + f"; unchanged {report.records_unchanged:,}")
    if report.review_added:
        st.info(f"{report.review_added} possible duplicate(s) added to *Review duplicates*.")
    if report.problems:
        # a plain table (readable, copyable, findable by assistive tech) of the first problems; all are in the CSV
        st.table([{"file": p.file, "row": p.row, "key": p.key, "column": p.column, "value": p.value,
                   "reason": p.reason}
                  for p in report.problems[:SHOWN_PROBLEMS]])
        if report.problem_count > SHOWN_PROBLEMS:
            st.caption(f"… and {report.problem_count - SHOWN_PROBLEMS:,} more problems: download the report.")
        st.download_button("Report (CSV)", report.to_csv(), file_name=f"{report.file}.report.csv",
                           key=f"csv-{report.status}")


def _run(path: Path, dry_run: bool, mapping: Mapping) -> Report:
    db = get_db()
    # In-process (workers=1): worker processes are spawned, and a spawned child would re-run the page script
    # that Streamlit installs as __main__. Uploads are small (UPLOAD_LIMITS); large files go through the CLI.
    ctx = IngestContext.from_settings(db, limits=UPLOAD_LIMITS, as_of=as_of, workers=1)
    return ingest_file(ctx, get_audit(), actor, mapping, path, dry_run=dry_run)


if upload is not None and mapping is not None:
    chosen = mapping
    folder = Path(tempfile.mkdtemp(prefix="wijknet-upload-"))
    try:
        try:
            path = receive_upload(upload.name, upload.getvalue(), folder, UPLOAD_LIMITS)
        except FileProblem as exc:
            st.error(str(exc))
            st.stop()
        report = guarded(lambda: _run(path, dry_run=True, mapping=chosen))
        if report is not None:
            _show(report, "Validation report")
            if report.status == "validated" and report.rows_valid:
                if st.button(f"Load {report.rows_valid:,} valid rows", type="primary"):
                    loaded = guarded(lambda: _run(path, dry_run=False, mapping=chosen))
                    if loaded is not None:
                        _show(loaded, "Load summary")
    finally:
        shutil.rmtree(folder, ignore_errors=True)  # the upload never outlives the script run
