"""Load data (data steward, admin): upload an export, see the full validation report, then confirm the load.

Limits are enforced here, server-side, on the received bytes (name and size before anything is written or parsed,
rows while reading; :func:`ingest.readers.receive_upload`): the uploader's ``type=`` filter and the browser's
size check are only conveniences. Both the validation and the load go through the audited write entry
(:func:`ingest.pipeline.ingest_file`): role checked and audit record written before the file is read.
"""

from __future__ import annotations

import shutil
import tempfile
from datetime import date
from pathlib import Path

import streamlit as st

from app.state import get_audit, get_db
from app.ui import guarded, page_actor
from graph.settings import PROJECT_ROOT
from ingest.mapping import load_mapping
from ingest.pipeline import IngestContext, ingest_file
from ingest.readers import UPLOAD_LIMITS, FileProblem, receive_upload
from ingest.validate import Report
from queries.access import write_roles

SHOWN_PROBLEMS = 50

actor = page_actor("Load data", "ingest_page", *write_roles("ingest_load"))

MAPPINGS = sorted((PROJECT_ROOT / "mappings").glob("*.yaml"))
choice = st.selectbox("Mapping", MAPPINGS, format_func=lambda p: p.name)
as_of = st.date_input("Export date (as of)", value=date.today(), format="DD-MM-YYYY",
                      help="The date the export describes. With `on_missing: end` in the mapping, rows that were "
                           "in the previous import and are missing now end on this date.")
upload = st.file_uploader("Export file (.csv or .xlsx)", type=["csv", "xlsx"],
                          max_upload_size=UPLOAD_LIMITS.max_bytes // 1_000_000)
st.caption(f"At most {UPLOAD_LIMITS.max_bytes // 1_000_000} MB and {UPLOAD_LIMITS.max_rows:,} rows per file. "
           "Unknown columns are dropped and never stored; BSNs are pseudonymised at once.")


def _show(report: Report, title: str) -> None:
    st.subheader(title)
    (st.error if report.status == "rejected" else st.success)(report.to_text(max_lines=0).splitlines()[0])
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
        st.table([{"file": p.file, "row": p.row, "column": p.column, "value": p.value, "reason": p.reason}
                  for p in report.problems[:SHOWN_PROBLEMS]])
        if report.problem_count > SHOWN_PROBLEMS:
            st.caption(f"… and {report.problem_count - SHOWN_PROBLEMS:,} more problems: download the report.")
        st.download_button("Report (CSV)", report.to_csv(), file_name=f"{report.file}.report.csv",
                           key=f"csv-{report.status}")


def _run(path: Path, dry_run: bool) -> Report:
    db = get_db()
    # In-process (workers=1): worker processes are spawned, and a spawned child would re-run the page script
    # that Streamlit installs as __main__. Uploads are small (UPLOAD_LIMITS); large files go through the CLI.
    ctx = IngestContext.from_settings(db, limits=UPLOAD_LIMITS, as_of=as_of, workers=1)
    return ingest_file(ctx, get_audit(), actor, load_mapping(choice), path, dry_run=dry_run)


if upload is not None and choice is not None:
    folder = Path(tempfile.mkdtemp(prefix="wijknet-upload-"))
    try:
        try:
            path = receive_upload(upload.name, upload.getvalue(), folder, UPLOAD_LIMITS)
        except FileProblem as exc:
            st.error(str(exc))
            st.stop()
        report = guarded(lambda: _run(path, dry_run=True))
        if report is not None:
            _show(report, "Validation report")
            if report.status == "validated" and report.rows_valid:
                if st.button(f"Load {report.rows_valid:,} valid rows", type="primary"):
                    loaded = guarded(lambda: _run(path, dry_run=False))
                    if loaded is not None:
                        _show(loaded, "Load summary")
            elif report.status == "validated":
                st.error("No valid rows: nothing can be loaded.")
    finally:
        shutil.rmtree(folder, ignore_errors=True)  # the upload never outlives the script run
