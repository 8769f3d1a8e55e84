"""Load data (data steward, admin): upload an export, see the full validation report, then confirm the load.

Limits are enforced here, server-side, on the received bytes (name and size before anything is written or parsed,
rows while reading; :func:`ingest.readers.receive_upload`): the uploader's ``type=`` filter and the browser's
size check are only conveniences. Both the validation and the load go through the audited write entry
(:func:`ingest.pipeline.ingest_file`): role checked and audit record written before the file is read.

The mapping is one installed with wijknet (``mappings/``), one kept earlier, or a ``.yaml`` uploaded with the
export: checked exactly like one on disk, size- and name-limited, never executed (:mod:`ingest.kept_mappings`);
it can be kept for next time in ``<state dir>/mappings/`` and is then offered by its name and description.
Each validation shows one verdict: loadable, loadable in part, or nothing to load.

The deployment profile's areas and organisations can be loaded here too (:mod:`ingest.profile`, as ``wijknet
profile apply``): checked first, then loaded on a click, with the same reports.
"""

from __future__ import annotations

import functools
import hashlib
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import streamlit as st

from app.aggregate_widgets import filter_fields, typed_date
from app.catalogue import CATALOGUE
from app.dates import dmy, dmy_time
from app.i18n import language, num, page_title, plural, record_kind, row_keys, say, shown_text, t
from app.session import while_signed_in
from app.state import get_audit, get_db
from app.ui import busy, guarded, page_actor, problem_rows, uploader_in_language
from graph.clock import today as dutch_today
from graph.profile import Profile, active_profile
from graph.said import message_of
from graph.settings import load_settings
from ingest.kept_mappings import (
    SHIPPED_DIR,
    KeptMapping,
    keep_mapping,
    kept_mappings,
    known_mappings,
    read_uploaded_mapping,
    shipped_mapping,
)
from ingest.mapping import Mapping, MappingError, load_mapping
from ingest.pipeline import IngestContext, ingest_file
from ingest.profile import apply_profile
from ingest.readers import UPLOAD_LIMITS, FileProblem, receive_upload
from ingest.report import steward_csv
from ingest.source import mappings_for_file
from ingest.validate import Report
from queries.access import audit_action, write_roles
from queries.imports import import_history

SHOWN_PROBLEMS = 50
HISTORY_ROWS = 20  # the latest imports shown

actor = page_actor(page_title("ingest"), "ingest_page", *write_roles("ingest_load"))
uploader_in_language()

MAPPINGS = sorted(SHIPPED_DIR.glob("*.yaml"))
KEPT_DIR = load_settings().state_dir / "mappings"
UPLOAD_MAPPING = t("ingest.upload_mapping")

kept, broken = kept_mappings(KEPT_DIR)
options: list[Path | KeptMapping | str] = [*MAPPINGS, *kept, UPLOAD_MAPPING]


def _label(option: Path | KeptMapping | str) -> str:
    if isinstance(option, KeptMapping):
        return t("ingest.kept", label=option.label)
    if isinstance(option, Path):  # a shipped mapping by its description and name; a broken one by its file's name
        return m.label if (m := shipped_mapping(option)) is not None else option.name
    return option


def _option_id(option: Path | KeptMapping | str) -> str:
    """The chosen mapping in the page's address, so a reload (or a bookmark) keeps it: it went back to the first."""
    if isinstance(option, KeptMapping):
        return f"bewaard:{option.path.stem}"
    return option.stem if isinstance(option, Path) else "eigen"


_ids = [_option_id(o) for o in options]
_wanted = st.query_params.get("mapping")
# no mapping until one is chosen: the page opened on the first of the list (Adviezen), and a file uploaded under
# it was checked with it and rejected; a file uploaded first is told which mappings read it (_find_mapping)
choice = st.selectbox(t("ingest.mapping"), options, format_func=_label,
                      index=_ids.index(_wanted) if _wanted in _ids else None,
                      placeholder=t("ingest.mapping_placeholder"))
if choice is None:
    if "mapping" in st.query_params:  # a mapping no longer offered (or mistyped in the address)
        del st.query_params["mapping"]
elif st.query_params.get("mapping") != _option_id(choice):
    st.query_params["mapping"] = _option_id(choice)
for sentence in broken:
    st.warning(sentence)
mapping: Mapping | None = None
if isinstance(choice, KeptMapping):
    mapping = choice.mapping
elif isinstance(choice, Path):
    mapping = guarded(lambda: load_mapping(choice))
elif choice is not None:
    # no type=: the browser refused another extension in English and left the previous file's check on the page
    # (an outside test); the name is checked here, in a sentence of ours (ingest.kept_mappings, ingest.readers)
    own = st.file_uploader(t("ingest.mapping_file"), max_upload_size=1, key="own-mapping",
                           help=t("ingest.mapping_file_help"))
    if own is None:
        st.info(t("ingest.choose_mapping"))
    else:
        try:
            mapping = read_uploaded_mapping(own.name, own.getvalue())
        except MappingError as exc:
            st.error(say(message_of(exc), markdown=True))
        if mapping is not None:  # an uploaded mapping's words as written, as a file's are
            st.caption(t("ingest.mapping_ok", name=shown_text(mapping.name), kind=t(f"load.{mapping.kind.name}"))
                       + (f" {shown_text(mapping.description)}" if mapping.description else ""))
            if st.button(t("ingest.keep")):
                try:
                    # every steward is offered it from now on: who kept (or replaced) which content, before it is
                    audit_action(get_audit(), actor, "mapping_keep", purpose="data_loading", target=mapping.name,
                                 detail=f"file={own.name};sha256={hashlib.sha256(own.getvalue()).hexdigest()}")
                    stored = keep_mapping(KEPT_DIR, own.name, own.getvalue())
                except (MappingError, OSError) as exc:
                    st.error(t("ingest.not_kept", reason=say(message_of(exc), markdown=True)))
                else:
                    st.success(t("ingest.kept_ok", label=shown_text(stored.label)))
with filter_fields():  # a mistyped date stops the page after the file field: the chosen file is kept
    as_of = typed_date(t("ingest.as_of"), dutch_today(), "ingest-as-of", help=t("ingest.as_of_help"))
    end_most = mapping is not None and mapping.on_missing == "end" and \
        st.checkbox(t("ingest.end_most"), key="ingest-end-most", help=t("ingest.end_most_help"))
    upload = st.file_uploader(t("ingest.file"), key="export",
                              max_upload_size=UPLOAD_LIMITS.max_bytes // 1_000_000)
st.caption(t("ingest.limits", mb=UPLOAD_LIMITS.max_bytes // 1_000_000, rows=num(UPLOAD_LIMITS.max_rows)))
if choice is None and upload is None:
    st.info(t("ingest.mapping_first"))


def verdict(report: Report) -> tuple[str, str]:
    """The one verdict of a validation or load: ``("error" | "warning" | "success" | "info", sentence)``."""
    head = t(f"ingest.head_{report.status}", file=shown_text(report.file), mapping=shown_text(report.mapping))
    usable = report.rows_valid if report.status == "validated" else report.rows_loaded
    if report.status == "rejected":
        return "error", head
    if report.status == "already_imported":
        return "info", head
    if not usable:
        return "error", t("ingest.no_valid_rows", head=head,
                          verb=t("ingest.can" if report.status == "validated" else "ingest.is"))
    if report.rows_rejected:
        what = (plural(usable, "ingest.can_load_one", "ingest.can_load") if report.status == "validated"
                else plural(usable, "ingest.loaded_one", "ingest.loaded"))
        rejected = plural(report.rows_rejected, "ingest.rows_one", "ingest.rows_n")
        return "warning", t("ingest.some_rejected", head=head, rejected=rejected, what=what,
                            valid=plural(usable, "ingest.valid_rows_one", "ingest.valid_rows_n"))
    return "success", head


def reject_label(code: str) -> str:
    """Why rows were rejected, by the problem's code (``unknown_code``), in words."""
    return t(f"reject.{code}") if f"reject.{code}" in CATALOGUE else code.replace("_", " ")


def _show(report: Report, title: str, key: str = "") -> None:
    st.subheader(title)
    kind, sentence = verdict(report)
    {"error": st.error, "warning": st.warning, "success": st.success, "info": st.info}[kind](sentence)
    # read = loaded (or valid) + rejected + skipped: rows about an erased person or household are a column of
    # their own when there are any, so the figures a steward adds up reconcile on the page as in the report
    cols = st.columns(4 if report.rows_skipped else 3)
    cols[0].metric(t("ingest.rows_read"), num(report.rows_read))
    cols[1].metric(t("ingest.valid") if report.status == "validated" else t("ingest.loaded_metric"),
                   num(report.rows_valid if report.status == 'validated' else report.rows_loaded))
    cols[2].metric(t("ingest.rejected"), num(report.rows_rejected))
    if report.rows_skipped:
        cols[3].metric(t("ingest.skipped"), num(report.rows_skipped), help=t("ingest.skipped_help"))
    # what a file holds (its name, headers, sheet, cells) is shown as written, never read as Markdown: a header
    # "![beacon](http://…)" made the steward's browser fetch it (an outside test of 06-12-2026)
    for p in report.file_problems:
        st.error(say(p, markdown=True))
    if report.unknown_columns:
        st.info(t("ingest.dropped", columns=", ".join(shown_text(c) for c in report.unknown_columns)))
    for code, n in sorted(report.rejected_by_reason.items()):
        st.caption(t("ingest.rejected_reason", reason=reject_label(code), n=num(n)))
    if report.rows_vanished:
        verb = {"validated": t("ingest.will_end"), "loaded": t("ingest.ended", n=num(report.rows_ended))}
        what = verb.get(report.status, "") if report.on_missing == "end" else t("ingest.kept_unchanged")
        st.warning(plural(report.rows_vanished, "ingest.vanished_one", "ingest.vanished", what=what)
                   + shown_text(row_keys(report.vanished_keys[:20])) + (" …" if report.rows_vanished > 20 else ""))
    for note in report.notes:
        st.caption(say(note, markdown=True))
    if report.records_written or report.records_unchanged:
        st.caption(t("ingest.written", written=", ".join(f"{record_kind(k)} {num(v)}"
                                                          for k, v in report.records_written.items())
                     or t("ingest.none"), unchanged=num(report.records_unchanged)))
    if report.review_added:
        st.info(plural(report.review_added, "ingest.review_added_one", "ingest.review_added"))
    if report.problems:
        # a plain table (readable, copyable, findable by assistive tech) of the first problems; all are in the CSV
        with st.container(key="ingest-problems"):
            # the value as written, its spaces kept: "7533  QA" read as a valid postcode beside "postcode heeft
            # niet de vorm 1234 AB" (an outside test); the value is the fifth column after the row numbers
            st.html("<style>.st-key-ingest-problems tbody td:nth-of-type(5), .st-key-ingest-problems tbody "
                    "td:nth-of-type(5) * { white-space: pre-wrap; }</style>")
            st.table(problem_rows(report.problems[:SHOWN_PROBLEMS]))
        if report.problem_count > SHOWN_PROBLEMS:
            st.caption(plural(report.problem_count - SHOWN_PROBLEMS, "ingest.more_problems_one", "ingest.more_problems"))
        # built when clicked, and only while the session lives (a disabled account downloads nothing); the
        # report holds the export's cells, so the download is audited before it is built, as every other is
        headings = [t(f"col.{c}") for c in ("file", "row", "key", "column", "value", "reason", "code")]

        def report_csv(report: Report = report, headings: list[str] = headings) -> bytes:
            audit_action(get_audit(), actor, "download_report", purpose="data_quality",
                         detail=f"file={report.file};mapping={report.mapping};problems={report.problem_count}")
            return steward_csv(report, headings, functools.partial(say, lang=language()))

        st.download_button(t("ingest.report_csv"), while_signed_in(actor, report_csv, what="download_report"),
                           file_name=f"{report.file}.report.csv", mime="text/csv",
                           key=f"csv-{report.status}{key}", on_click="ignore")


def _file_of(option: Path | KeptMapping | str) -> Path | None:
    return option.path if isinstance(option, KeptMapping) else option if isinstance(option, Path) else None


def _option_of(mapping: Mapping) -> Path | KeptMapping | str | None:
    """The page's choice that is ``mapping`` (by its file), if it is one."""
    if mapping.path is None:
        return None
    where = mapping.path.resolve()
    return next((o for o in options if (f := _file_of(o)) is not None and f.resolve() == where), None)


def _offer_fitting(report: Report) -> None:
    """A file the chosen mapping cannot read, whose columns another mapping finds (the sentence above names it):
    a button per such mapping that chooses it, and the file is checked with it at once (it stays uploaded)."""
    if report.status == "rejected":
        _offer(report.fitting)


def _offer(fitting: list[Mapping]) -> None:
    for n, fits in enumerate(fitting):
        option = _option_of(fits)
        if option is not None:
            st.button(t("ingest.check_with", label=shown_text(_label(option))), key=f"fits-{n}",
                      icon=":material/swap_horiz:", on_click=_choose, args=(_option_id(option),))


def _choose(option_id: str) -> None:
    st.query_params["mapping"] = option_id  # the select is drawn with this choice on the run the click starts


def _run(path: Path, dry_run: bool, mapping: Mapping,
         progress: Callable[[int, int], None] | None = None) -> Report:
    db = get_db()
    # In-process (workers=1): worker processes are spawned, and a spawned child would re-run the page script
    # that Streamlit installs as __main__. Uploads are small (UPLOAD_LIMITS); large files go through the CLI.
    ctx = IngestContext.from_settings(db, limits=UPLOAD_LIMITS, as_of=as_of, workers=1, end_most=end_most)
    return ingest_file(ctx, get_audit(), actor, mapping, path, dry_run=dry_run, progress=progress)


def _load_with_progress(path: Path, mapping: Mapping, rows: int) -> Report | None:
    """The load, with a bar that says how many of the valid rows are written (the page is never blank: a load
    of a large upload takes a while, and the check and its button have given way)."""
    bar = st.progress(0.0, text=t("ingest.loading", done=num(0), total=num(rows)))

    def shown(done: int, total: int) -> None:
        bar.progress(min(done / total, 1.0) if total else 1.0, text=t("ingest.loading", done=num(done),
                                                                        total=num(total)))

    try:
        return guarded(lambda: _run(path, dry_run=False, mapping=mapping, progress=shown))
    finally:
        bar.empty()


_CHECKED = "ingest_checked"  # (what was checked, its report): see the upload below
_PROFILE_CHECKED = "profile-checked"


def _profile_section(profile: Profile) -> None:
    """The profile's areas and organisations: a dry run on the first click, then the load on the second."""
    st.caption(t("ingest.profile_intro", municipality=profile.municipality, profile=profile.key,
                 areas=plural(len(profile.areas), "ingest.profile_areas_one", "ingest.profile_areas"),
                 organisations=plural(len(profile.organisations), "ingest.profile_orgs_one",
                                      "ingest.profile_orgs")))
    if not profile.areas and not profile.organisations:
        st.info(t("ingest.profile_empty"))
        return
    if not st.session_state.get(_PROFILE_CHECKED):
        if st.button(t("ingest.profile_check"), icon=":material/fact_check:"):
            st.session_state[_PROFILE_CHECKED] = True
            st.rerun()
        return
    ctx = IngestContext.from_settings(get_db(), limits=UPLOAD_LIMITS, workers=1)
    reports = guarded(lambda: apply_profile(ctx, get_audit(), actor, profile, dry_run=True))
    if reports is None:
        st.session_state[_PROFILE_CHECKED] = False
        return
    box = st.empty()  # the check and its button give way to the load's summaries
    with box.container():
        for n, report in enumerate(reports):
            _show(report, t("ingest.validation_report") + f" · {report.file}", key=f"-profile-{n}")
        loadable = sum(r.rows_valid for r in reports if r.status == "validated")
        c1, c2 = st.columns(2)
        confirmed = loadable and c1.button(t("ingest.profile_load"), type="primary")
        if c2.button(t("ingest.profile_close")):
            st.session_state[_PROFILE_CHECKED] = False
            st.rerun()
    if confirmed:
        box.empty()
        st.session_state[_PROFILE_CHECKED] = False
        loaded = guarded(lambda: apply_profile(ctx, get_audit(), actor, profile, dry_run=False))
        for n, report in enumerate(loaded or []):
            _show(report, t("ingest.load_summary") + f" · {report.file}", key=f"-profile-loaded-{n}")


with st.expander(t("ingest.profile"), icon=":material/domain:", expanded=bool(st.session_state.get(_PROFILE_CHECKED))):
    try:
        shown_profile = active_profile()
    except Exception as exc:  # a broken profile file: its sentence names the file, the entry and the value
        st.error(say(message_of(exc), markdown=True))
    else:
        _profile_section(shown_profile)

@contextmanager
def _received(name: str, data: bytes) -> Iterator[Path | None]:
    """The upload as a file in a folder of its own that never outlives the block (nor the script run); ``None``,
    and the page says why, when its name, size or rows are refused (:func:`ingest.readers.receive_upload`)."""
    folder = Path(tempfile.mkdtemp(prefix="wijknet-upload-"))
    try:
        try:
            path: Path | None = receive_upload(name, data, folder, UPLOAD_LIMITS)
        except FileProblem as exc:
            st.error(say(message_of(exc), markdown=True))
            path = None
        yield path
    finally:
        shutil.rmtree(folder, ignore_errors=True)


_FOUND = "ingest_found"  # (the file, the mappings that read it): a rerun neither reads nor audits it again


def _find_mapping(name: str, data: bytes) -> None:
    """A file uploaded before a mapping was chosen: the mappings whose columns its header has, each a button that
    chooses it (the file is then checked with it at once), or a sentence that none does. Only the first rows are
    read, after the audit record of who looked at which file (:func:`ingest.source.mappings_for_file`)."""
    digest = hashlib.sha256(data).hexdigest()
    kept_found = st.session_state.get(_FOUND)
    if kept_found is not None and kept_found[0] == (digest, name):
        fitting: list[Mapping] = kept_found[1]
    else:
        with _received(name, data) as path:
            if path is None:
                return
            audit_action(get_audit(), actor, "mapping_find", purpose="data_loading",
                         detail=f"file={path.name};sha256={digest}")
            try:
                fitting = mappings_for_file(path, known_mappings(KEPT_DIR), UPLOAD_LIMITS)
            except FileProblem as exc:  # no way of reading opens it (a damaged workbook): said as a check says it
                st.error(say(message_of(exc), markdown=True))
                return
        st.session_state[_FOUND] = ((digest, name), fitting)
    if fitting:
        st.info(t("ingest.fits_found", file=shown_text(name),
                  names="; ".join(f"‘{shown_text(m.label)}’" for m in fitting)))
        _offer(fitting)
    else:
        st.warning(t("ingest.fits_none", file=shown_text(name), own=UPLOAD_MAPPING))


if upload is not None and choice is None:
    guarded(lambda: _find_mapping(upload.name, upload.getvalue()))
if upload is not None and mapping is not None:
    chosen = mapping
    with _received(upload.name, upload.getvalue()) as received:
        if received is None:
            st.stop()
        path = received
        # the check of this file with this mapping and date, kept for the session's next run: a click on the load
        # button checked a large file a second time before loading it (an outside test: 93 s for each)
        # keyed by what the mapping does and the file's name too: a corrected mapping of the same name, or the same
        # bytes under another name, showed the old check and then loaded something else (an outside test)
        checked = (hashlib.sha256(upload.getvalue()).hexdigest(), upload.name, chosen.digest, as_of, end_most)
        kept = st.session_state.get(_CHECKED)
        if kept is not None and kept[0] == checked:
            report = kept[1]
        else:
            with busy(t("ingest.checking", file=shown_text(upload.name))):
                report = guarded(lambda: _run(path, dry_run=True, mapping=chosen))
            if report is not None:
                st.session_state[_CHECKED] = (checked, report)
        if report is not None:
            check = st.empty()  # the check and its button give way to the load's summary once confirmed
            with check.container():
                _show(report, t("ingest.validation_report"))
                _offer_fitting(report)
                confirmed = report.status == "validated" and report.rows_valid and st.button(
                    plural(report.rows_valid, "ingest.load_button_one", "ingest.load_button"), type="primary")
            if confirmed:
                st.session_state.pop(_CHECKED, None)  # after the load the same file is "already imported"
                check.empty()  # "nothing was written" and a second load button would contradict the summary
                loaded = _load_with_progress(path, chosen, report.rows_valid)
                if loaded is not None:
                    _show(loaded, t("ingest.load_summary"))

# what was loaded before: "did last night's file load?", a file that stopped half-way, the export dates so far.
# A toggle, not an expander: an expander's content is built (and its read audited) on every run, shown or not
st.divider()
if st.toggle(t("ingest.history"), key="ingest-history", help=t("ingest.history_help")):
    runs = guarded(lambda: import_history(get_db(), get_audit(), actor, limit=HISTORY_ROWS))
    if runs is not None and not runs:
        st.info(t("ingest.history_empty"))
    elif runs:
        st.table(  # a plain table, as the problems are: readable, copyable, found by assistive tech
            [{t("ingest.history_file"): shown_text(r.file), t("ingest.history_mapping"): shown_text(r.mapping),
              t("ingest.history_as_of"): dmy(r.as_of), t("ingest.history_when"): dmy_time(r.completed_at or r.started_at),
              t("ingest.rows_read"): r.rows_read, t("ingest.loaded_metric"): r.rows_loaded,
              t("ingest.rejected"): r.rows_rejected,
              t("ingest.history_state"): t("ingest.history_done" if r.completed else "ingest.history_open")}
             for r in runs])
        if any(not r.completed for r in runs):
            st.caption(t("ingest.history_open_help"))
        if len(runs) == HISTORY_ROWS:
            st.caption(t("ingest.history_more", n=HISTORY_ROWS))
