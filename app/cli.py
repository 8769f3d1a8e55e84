"""The ``wijknet`` command: a thin layer over graph/, ingest/ and queries/.

Every command turns a :class:`graph.errors.WijknetError` into one sentence on stderr and exit code 1;
no traceback reaches the user.
"""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import typer

from app.errors import log_unexpected
from graph import server
from graph.db import Database, connect
from graph.errors import AccessDenied, InvalidFields, WijknetError
from graph.settings import NEO4J_VERSION, PROJECT_ROOT, Settings, load_settings

if TYPE_CHECKING:
    from app.auth import UserStore
    from queries.privacy import ReErasure

__all__ = ["app", "first_start", "main"]

app = typer.Typer(help="wijknet: the professional network around vulnerable households.", no_args_is_help=True,
                  add_completion=False, pretty_exceptions_enable=False)
db_app = typer.Typer(help="Manage the Neo4j database (the local server, or the one at NEO4J_URI).",
                     no_args_is_help=True)
demo_app = typer.Typer(help="The synthetic demo neighbourhood.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(demo_app, name="demo")

F = TypeVar("F", bound=Callable[..., Any])


def friendly(fn: F) -> F:
    """Turn our errors into one sentence and exit 1."""
    return _friendly(fn, in_language=False)


def friendly_in_language(fn: F) -> F:
    """:func:`friendly`, with every error said in the app's language, as the page says it: the intake and caseload
    commands, whose own lines are Dutch (an English reason after a Dutch field name read "kanaal: Choose a channel
    from the list")."""
    return _friendly(fn, in_language=True)


def _friendly(fn: F, *, in_language: bool) -> F:
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except WijknetError as exc:
            prefix, text = "Error", str(exc)
            # The whole line in the app's language, as the command's own lines; a refusal (no account, a role
            # that may not) from every command, so one refusal reads one way: "Fout: Uw rol (projectleider) mag
            # dit niet: account toevoegen." — never an English sentence with a role's identifier, or a Dutch
            # one with an English action.
            if in_language or isinstance(exc, AccessDenied):
                from app.errors import user_message
                from app.i18n import say, t

                prefix, text = t("errors.cli_prefix"), user_message(exc, on_server=True)
                if isinstance(exc, InvalidFields):
                    text = " ".join(f"{name}: {say(why)}" for name, why in exc.fields.items())
            typer.secho(f"{prefix}: {text}", err=True, fg=typer.colors.RED)
            raise typer.Exit(1) from None
        except KeyboardInterrupt:
            typer.secho("Interrupted.", err=True)
            raise typer.Exit(130) from None
        except BrokenPipeError:
            # the reader went away (`wijknet … | head`): nothing more to say to it, and nothing unexpected (it
            # said "something unexpected went wrong (BrokenPipeError)", an outside test); what is still buffered
            # goes nowhere instead of failing again at exit (the recipe of Python's signal module documentation)
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise typer.Exit(1) from None
        except (typer.Exit, typer.Abort, SystemExit, typer.BadParameter):  # a usage error: status 2, with usage
            raise
        except Exception as exc:  # the edge: log the detail, show one sentence
            where = log_unexpected(exc)
            typer.secho(f"Error: something unexpected went wrong ({type(exc).__name__}); details are in {where}.",
                        err=True, fg=typer.colors.RED)
            raise typer.Exit(2) from None

    return wrapper  # type: ignore[return-value]


def _echo(msg: str) -> None:
    typer.echo(msg, err=True)


def _check_state_permissions() -> None:
    """Start-up: tighten too-open state files and say so; refuse (ConfigError) what cannot be tightened."""
    from graph.files import check_state_permissions

    for note in check_state_permissions(load_settings()):
        _echo(note)


@db_app.command("start")
@friendly
def db_start() -> None:
    """Start the local Neo4j server (harmless when it runs already) and apply the schema."""
    from graph.schema import apply_schema

    _check_state_permissions()
    s = load_settings()
    if not s.managed:
        db = connect(s)
        try:
            db.verify()
        except WijknetError:
            db.close()  # the driver is not left to the garbage collector
            raise
        _echo(f"NEO4J_URI is set: using {s.neo4j_uri}; no local server started.")
    else:
        if server.running_info(s) is None:
            _echo(f"Starting Neo4j Community {NEO4J_VERSION} (the first start fetches it with Maven)…")
        info = server.start(s)
        db = connect(s)
        _echo(f"Neo4j {info.version} runs at {info.uri} (data in {info.home}).")
    version = apply_schema(db)
    _echo(f"Schema version {version} in force.")


@db_app.command("stop")
@friendly
def db_stop() -> None:
    """Stop the local Neo4j server."""
    s = load_settings()
    if not s.managed:
        _echo("NEO4J_URI is set: wijknet does not manage that server.")
        return
    _echo("Stopped." if server.stop(s) else "The local server was not running.")


def _status(db: Database) -> dict[str, Any]:
    from queries.overview import overview

    comp = db.execute("db_components", "CALL dbms.components() YIELD name, versions, edition "
                      "RETURN versions[0] AS version, edition").first() or {}
    ov = overview(db)
    return {"version": comp.get("version"), "edition": comp.get("edition"), "address": db.uri,
            "nodes": sum(ov.counts.values()), "counts": ov.counts}


@db_app.command("status")
@friendly
def db_status(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Show the server's version, address and database size."""
    s = load_settings()
    db = connect(s, start=False)
    db.verify()
    st = _status(db)
    if s.managed:
        st["disk_bytes"] = server.data_size_bytes(s)
    if as_json:
        typer.echo(json.dumps(st, default=str))
        return
    typer.echo(f"Neo4j {st['version']} ({st['edition']}) at {st['address']}")
    size = f", {st['disk_bytes'] / 1e6:.1f} MB on disk" if "disk_bytes" in st else ""
    typer.echo(f"{st['nodes']:,} nodes{size}")
    for lbl, n in sorted(st["counts"].items()):
        if n:
            typer.echo(f"  {lbl:<14} {n:>10,}")


def _operation(action: str, detail: str = "") -> Any:
    """Audit a server operation (``db reset``, ``db backup``, ``db restore``) before it runs, as the operating-system user:
    these act on the server's own files, which whoever runs them can delete anyway, so they name no account
    (docs/security.md, "Who may write"). Raises ``AuditUnavailable`` (nothing done) when it cannot be recorded;
    returns the function that records the outcome."""
    from app.identity import cli_os_actor
    from queries.access import audit_action
    from queries.audit import default_audit_log

    actor = cli_os_actor()
    audit_action(default_audit_log(), actor, action, purpose="operations", detail=detail)

    def done(result: str, outcome: str = "") -> None:
        audit_action(default_audit_log(), actor, action, purpose="operations", result=result, detail=outcome)

    return done


@db_app.command("reset")
@friendly
def db_reset(yes: bool = typer.Option(False, "--yes", help="Do not ask.")) -> None:
    """Delete all data of the local server (the password is kept) and start it empty."""
    s = load_settings()
    if not s.managed:
        raise WijknetError("NEO4J_URI is set: wijknet will not wipe a server it does not manage.")
    if not yes and not typer.confirm("Delete all data of the local Neo4j server?"):
        raise typer.Exit(1)
    done = _operation("db_reset")
    server.reset(s)
    server.start(s)
    done("reset", "all graph data deleted")
    _echo("The local database is empty again; `wijknet demo load` fills it with the demo neighbourhood.")


@db_app.command("backup")
@friendly
def db_backup(dest: Path = typer.Argument(..., help="A new, empty directory for the backup.")) -> None:
    """Dump the database (offline, briefly stopping the local server) and copy the audit log."""
    from graph.backup import backup

    done = _operation("db_backup", f"to {dest}")  # a copy of everything: audited before it is made
    _echo("Stopping Neo4j for the dump (Community edition dumps offline)…")
    m = backup(load_settings(), dest)
    done("ok", f"to {dest}: {m.nodes} nodes, {m.relationships} relationships, checksum {m.checksum[:12]}")
    _echo(f"Backup in {dest}: {m.nodes:,} nodes, {m.relationships:,} relationships, checksum {m.checksum[:12]}…; "
          "keep the pseudonymisation secret (WIJKNET_SECRET_FILE) in your secret store separately.")


@db_app.command("restore")
@friendly
def db_restore(src: Path = typer.Argument(..., help="A directory made by `wijknet db backup`."),
               yes: bool = typer.Option(False, "--yes", help="Do not ask.")) -> None:
    """Replace the database with a backup and verify counts and checksum."""
    from graph.backup import restore

    if not yes and not typer.confirm("Replace the current database with the backup?"):
        raise typer.Exit(1)
    from ingest.state import StateStore

    done = _operation("db_restore", f"from {src}")
    settings = load_settings()
    side = settings.state_dir / "ingest.sqlite"
    register = StateStore(side).erased()  # erasures made after the backup stay made, also when the restore fails
    try:
        d = restore(settings, src)
    finally:
        StateStore(side).register_erased(register.items())
    _echo(f"Restored and verified: {d.nodes:,} nodes, {d.relationships:,} relationships, checksum {d.checksum[:12]}….")
    # A backup made before an erasure holds the erased again; the register (added back above) names them.
    # The restored audit log replaced the current one: these records open its continuation.
    again = _erase_registered(settings)
    done("restored", f"from {src}: {d.nodes} nodes, {d.relationships} relationships, checksum {d.checksum[:12]}; "
         f"reerased_people={again.people} reerased_households={again.households}")
    _echo(_reerased_text(again.people, again.households))


def _erase_registered(settings: Settings) -> ReErasure:
    """Erase again what the erasure register names (:func:`queries.privacy.erase_registered`), as system:restore."""
    from queries.audit import default_audit_log
    from queries.privacy import erase_registered

    db = connect(settings)
    try:
        return erase_registered(db, default_audit_log())
    finally:
        db.close()


def _reerased_text(people: int, households: int) -> str:
    """How many erased people (and households) a restore erased again, in the app's language; never who."""
    from app.i18n import plural

    text = plural(people, "restore.reerased_people_one", "restore.reerased_people_more")
    if households:
        text += "; " + plural(households, "restore.reerased_households_one", "restore.reerased_households_more")
    return text + "."


@demo_app.command("load")
@friendly
def demo_load(
    seed: int = typer.Option(None, help="Seed (default WIJKNET_DEMO_SEED)."),
    households: int = typer.Option(None, help="Experiment-area households (default WIJKNET_DEMO_HOUSEHOLDS)."),
    force: bool = typer.Option(False, help="Load again even when the ledger says it is loaded."),
    account: str = typer.Option(None, "--as", metavar="ACCOUNT",
                                help="Load as this account (data_steward or admin) instead of the system actor "
                                "system:demo; either way the load is audited."),
) -> None:
    """Generate the synthetic neighbourhood and load it (skipped when already loaded).

    Acts as ``--as ACCOUNT`` (or WIJKNET_CLI_ACCOUNT) when given, otherwise as the documented system actor
    ``system:demo``; either way the load is audited with your system user name as the access point."""
    from app.identity import account_given, cli_system_actor, cli_write_actor
    from ingest.demo import ensure_demo
    from queries.access import SYSTEM_DEMO
    from queries.audit import default_audit_log

    s = load_settings()
    audit = default_audit_log()
    actor = (cli_write_actor(account, "demo_load", audit) if account_given(account)
             else cli_system_actor(SYSTEM_DEMO))
    seed = s.demo_seed if seed is None else seed
    households = s.demo_households if households is None else households
    db = connect(s)
    try:
        with typer.progressbar(length=1, label="Loading demo neighbourhood", file=sys.stderr) as bar:
            def progress(n: int) -> None:
                bar.label = f"Loading demo neighbourhood ({n:,} records)"
                bar.render_progress()

            stats = ensure_demo(db, audit, actor, seed, households, force=force, progress=progress)
            bar.update(1)
        if stats is None:
            _echo(f"Demo neighbourhood (seed {seed}, {households} households) is already loaded.")
        else:
            _echo(f"Loaded {stats.total:,} records: " + ", ".join(f"{k} {v:,}" for k, v in stats.rows.items()))
        from queries.aggregates import ready_after_load

        _echo(ready_after_load(db))
    finally:
        db.close()


@app.command("serve")
@friendly
def serve(
    port: int = typer.Option(None, help="Port (default WIJKNET_APP_PORT)."),
    demo: bool = typer.Option(True, help="Load the demo neighbourhood first when the database has none."),
    address: str = typer.Option("127.0.0.1", help="Address to bind the app to (0.0.0.0 only inside a container)."),
) -> None:
    """Start Neo4j, load the demo neighbourhood when needed and run the app on http://127.0.0.1:<port>."""
    from graph.schema import apply_schema

    _check_state_permissions()
    s = load_settings()
    db = connect(s)
    apply_schema(db)
    record_k(db, s.k)
    said = first_start(db, s, demo=demo)
    if said:
        _echo(said)
    from queries.warmup import warm_plans_in_background

    warm_plans_in_background(db)  # while Streamlit starts: the first coach does not wait for Neo4j to plan
    port = port or s.app_port
    _echo(f"wijknet runs on http://{address}:{port} (Ctrl-C stops the app; `wijknet db stop` stops Neo4j).")
    cmd = [sys.executable, "-m", "streamlit", "run", str(PROJECT_ROOT / "app" / "Home.py"),
           "--server.address", address, "--server.port", str(port), *SERVE_FLAGS]
    env = {**os.environ}
    if s.managed:
        # The app talks to the same server; it reads the password from the 0600 file, never from argv.
        env.setdefault("WIJKNET_STATE_DIR", str(s.state_dir))
    raise typer.Exit(_run_forwarding_signals(cmd, env))


#: Streamlit's options as wijknet serves the app (the tests' app servers too), on its command line, where neither
#: an environment variable nor another config file can change them: no usage statistics, no error details in
#: the browser, and no agent API (Streamlit's experimental HTTP API that drives the app without a browser, its
#: sessions anonymous without trusted headers; off by default, pinned off here).
SERVE_FLAGS = ("--server.headless", "true", "--browser.gatherUsageStats", "false", "--client.showErrorDetails", "none",
               "--server.enableAgentApi", "false")


def record_k(db: Database, k: int) -> None:
    """Record the disclosure threshold the app starts with as the deployment's (every ``wijknet report`` then
    publishes at least at it, :func:`queries.aggregates.deployment_k`); a change is audited as a server operation,
    before it is made."""
    from queries.aggregates import record_deployment_k, recorded_k

    before = recorded_k(db)
    if before == k:
        return
    done = _operation("disclosure_k", f"k {before if before is not None else '-'} -> {k}")
    record_deployment_k(db, k)
    done("ok", f"k={k}")


def first_start(db: Database, s: Settings, *, demo: bool, store: UserStore | None = None,
                password_file: Path | None = None) -> str:
    """What ``wijknet serve`` does before the app starts: load the demo neighbourhood (``demo``) and make the demo
    accounts (WIJKNET_DEMO_USERS), both as the system actor system:demo, audited, and only while the import
    ledger knows no real file (:func:`ingest.demo.demo_allowed`). Returns what to tell the operator."""
    from ingest.demo import RealImports, real_imports

    files, names = real_imports(db)
    if files:
        return (f"{RealImports(files, names)} No demo accounts are made either; sign in with the accounts made by "
                "`wijknet users add`.")
    if demo:  # no human at first start: the system actor system:demo, audited
        demo_load(seed=None, households=None, force=False, account=None)
    if not s.demo_users:
        return ""
    from app.accounts import add_demo_accounts, demo_names
    from app.auth import default_store, demo_password_path
    from app.identity import cli_system_actor
    from queries.access import SYSTEM_DEMO
    from queries.audit import default_audit_log
    from queries.people import coach_ids

    store = store or default_store()
    password_file = password_file or demo_password_path(s.state_dir)
    password, _ = add_demo_accounts(default_audit_log(), cli_system_actor(SYSTEM_DEMO), store, coach_ids(db),
                                    password_file)
    names = [a.username for a in store.list_users() if a.demo and not a.disabled]
    return (f"Demo users: {demo_names(names)}; password {password} (kept in {password_file}; "
            "set WIJKNET_DEMO_USERS=0 for real data).")


def _run_forwarding_signals(cmd: list[str], env: dict[str, str]) -> int:
    """Run ``cmd`` and wait for it; a SIGTERM or SIGHUP sent to this process (a service manager, ``kill``) is
    passed on, so the app stops with it instead of keeping the port (Ctrl-C reaches both: same process group)."""
    import signal

    proc = subprocess.Popen(cmd, env=env, cwd=str(PROJECT_ROOT))

    def forward(signum: int, _frame: object) -> None:
        proc.send_signal(signum)

    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, forward)
    while True:
        try:
            code = proc.wait()
            return 0 if code in (-signal.SIGTERM, -signal.SIGHUP, -signal.SIGINT) else code
        except KeyboardInterrupt:  # the app got it too and stops; wait for it
            continue


@app.command("docs")
@friendly
def docs(check: bool = typer.Option(False, help="Fail when the generated docs are out of date.")) -> None:
    """Regenerate docs/configuration.md and docs/queries.md from the code."""
    from app.gendocs import generated_docs

    stale = []
    for path, text in generated_docs().items():
        target = PROJECT_ROOT / path
        if target.exists() and target.read_text() == text:
            continue
        stale.append(path)
        if not check:
            target.write_text(text)
    if check and stale:
        raise WijknetError(f"Generated docs are out of date: {', '.join(stale)}; run `wijknet docs`.")
    _echo("Docs are up to date." if not stale else f"Wrote {', '.join(stale)}.")


@app.callback()
def _start(ctx: typer.Context) -> None:
    """Every command starts by validating the deployment profile (``WIJKNET_PROFILE``), except ``profile``
    itself, which is how a broken one is inspected and fixed."""
    if ctx.invoked_subcommand in ("profile", "docs"):
        return
    from graph.profile import active_profile

    try:
        active_profile()
    except WijknetError as exc:
        typer.secho(f"Error: {exc}", err=True, fg=typer.colors.RED)
        raise typer.Exit(1) from None


def _register_command_groups() -> None:
    import importlib
    import pkgutil

    import app.commands as commands

    for mod_info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        mod = importlib.import_module(f"app.commands.{mod_info.name}")
        app.add_typer(mod.app, name=mod.NAME, help=mod.HELP)


if __name__ != "__main__":
    _register_command_groups()


def main() -> None:
    app()


if __name__ == "__main__":  # pragma: no cover
    # `python -m app.cli`: command groups import `app.cli` (for `friendly`), so run that module, not this copy.
    from app.cli import main as _main

    _main()
