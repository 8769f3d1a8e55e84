"""Load data (data steward, admin): upload an export, see the full validation report, then confirm the load.

Limits are enforced here, server-side, on the received bytes (size before anything is parsed, rows while
reading): the uploader's ``type=`` filter is only a convenience. Both the validation and the load are audited.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import streamlit as st

from app.state import get_audit, get_db
from app.ui import guarded, page_actor
from graph.settings import PROJECT_ROOT
from ingest.mapping import load_mapping
from ingest.pipeline import IngestContext, ingest_file
from ingest.readers import UPLOAD_LIMITS, FileProblem, check_upload_name
from ingest.validate import Report
from queries.access import Role, audit_action

actor = page_actor("Load data", "ingest_page", Role.DATA_STEWARD, Role.ADMIN)

MAPPINGS = sorted((PROJECT_ROOT / "mappings").glob("*.yaml"))
choice = st.selectbox("Mapping", MAPPINGS, format_func=lambda p: p.name)
upload = st.file_uploader("Export file (.csv or .xlsx)", type=["csv", "xlsx"],
                          max_upload_size=UPLOAD_LIMITS.max_bytes // 1_000_000)
st.caption(f"At most {UPLOAD_LIMITS.max_bytes // 1_000_000} MB and {UPLOAD_LIMITS.max_rows:,} rows per file. "
           "Unknown columns are dropped and never stored; BSNs are pseudonymised at once.")


def _show(report: Report) -> None:
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
    if report.problems:
        st.dataframe([{"row": p.row, "column": p.column, "value": p.value, "reason": p.reason}
                      for p in report.problems[:2000]], hide_index=True, width="stretch")
        st.download_button("Report (CSV)", report.to_csv(), file_name=f"{report.file}.report.csv")


def _run(path: Path, dry_run: bool) -> Report:
    db = get_db()
    ctx = IngestContext.from_settings(db, limits=UPLOAD_LIMITS)
    report = ingest_file(ctx, load_mapping(choice), path, dry_run=dry_run)
    audit_action(get_audit(), actor, "ingest_validate" if dry_run else "ingest_load", target=report.file_hash[:16],
                 result=report.status, detail=f"{choice.name} rows={report.rows_read} loaded={report.rows_loaded} "
                 f"rejected={report.rows_rejected}")
    return report


if upload is not None and choice is not None:
    data = upload.getvalue()
    try:
        name = check_upload_name(upload.name)
        if len(data) > UPLOAD_LIMITS.max_bytes:
            raise FileProblem(f"The file is {len(data) / 1e6:.1f} MB, more than the limit of "
                              f"{UPLOAD_LIMITS.max_bytes // 1_000_000} MB.")
    except FileProblem as exc:
        st.error(str(exc))
        st.stop()
    folder = Path(tempfile.mkdtemp(prefix="wijknet-upload-"))
    path = folder / name
    path.write_bytes(data)
    report = guarded(lambda: _run(path, dry_run=True))
    if report is not None:
        _show(report)
        if report.status == "validated" and report.rows_valid:
            if st.button(f"Load {report.rows_valid:,} valid rows", type="primary"):
                loaded = guarded(lambda: _run(path, dry_run=False))
                if loaded is not None:
                    _show(loaded)
