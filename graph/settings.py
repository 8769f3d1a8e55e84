"""Every setting of wijknet, declared once: name, default, meaning.

Settings come from environment variables. ``docs/configuration.md`` is generated from :data:`SETTINGS`
(``wijknet docs``) and a test fails when a setting is undocumented.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from graph.errors import ConfigError

__all__ = ["NEO4J_VERSION", "PROJECT_ROOT", "SETTINGS", "Setting", "Settings", "load_settings"]

#: The Neo4j Community release the project manages locally (5.26 LTS, pinned exactly).
NEO4J_VERSION = "5.26.30"

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("NEO4J_URI", "", "Bolt URI of an existing Neo4j (bolt://, neo4j://, neo4j+s://). "
            "Empty: wijknet starts and uses its own local Neo4j 5.26 server."),
    Setting("NEO4J_USER", "neo4j", "User name for NEO4J_URI."),
    Setting("NEO4J_PASSWORD", "", "Password for NEO4J_URI. For the local server a generated password is "
            "kept in <state dir>/neo4j/password (mode 0600)."),
    Setting("NEO4J_DATABASE", "neo4j", "Database name (Community has one user database)."),
    Setting("WIJKNET_STATE_DIR", "<project>/.state", "Where the local server's data, logs, password, the "
            "audit log and the user accounts live."),
    Setting("WIJKNET_CACHE_DIR", "~/.cache/wijknet", "Where the Neo4j jars resolved from Maven Central are "
            "cached (outside the repository)."),
    Setting("WIJKNET_BOLT_PORT", "0", "Bolt port of the local server; 0 picks a free port on first start "
            "and keeps it."),
    Setting("WIJKNET_NEO4J_HEAP", "1g", "Java heap of the local server."),
    Setting("WIJKNET_NEO4J_PAGECACHE", "512m", "Page cache of the local server."),
    Setting("WIJKNET_NEO4J_JVM_OPTIONS", "", "Extra options for the local server's Java (and its admin tool), "
            "separated by spaces, each starting with a dash. The tests run theirs with -XX:TieredStopAtLevel=1 (they "
            "live minutes, and compiling Java code for the long run was the largest part of their CPU) and the "
            "throughput collector (-XX:-UseG1GC -XX:+UseParallelGC: less CPU, longer pauses); a long-running server "
            "is best left without them."),
    Setting("WIJKNET_START_TIMEOUT", "180", "Seconds to wait for the local server to answer on Bolt."),
    Setting("WIJKNET_QUERY_TIMEOUT", "30", "Seconds a single named query may run before it is cancelled."),
    Setting("WIJKNET_ROW_CAP", "200000", "Most rows one named query may return."),
    Setting("WIJKNET_SNAPSHOT_MAX_AGE", "300", "Seconds the policymaker's and project lead's pages may keep "
            "showing the overlap snapshot after the data changed, while a fresh one is read (the page says as of "
            "when; 0 = always exact: count in the database until the fresh snapshot is there). The project lead's "
            "threshold signals follow it too: derived again in the background meanwhile."),
    Setting("WIJKNET_COMPUTE_AHEAD", "yes", "Whether the app computes the overlap page's hidden cells (the linear "
            "programmes of every year end and life domain) in the background from each new snapshot, and a command "
            "those of every year end after a load, so no policymaker waits for them: yes or no. The tests say no: "
            "their data change with every test module and their servers live minutes, so the work was never used."),
    Setting("WIJKNET_SIGNALS_WAIT", "1", "Seconds a page waits for the project lead's threshold signals to be "
            "derived (the first time in a process, or once the kept ones are older than WIJKNET_SNAPSHOT_MAX_AGE; at "
            "city size it takes tens of seconds) before the sidebar says they are being counted and the page asks "
            "again by itself (0 = never wait)."),
    Setting("WIJKNET_CYPHER_COUNT_LIMIT", "20000", "Households above which the policymaker's and project lead's "
            "pages do not count in the database while a fresh overlap snapshot is read and none may be shown: "
            "they say the figures are being computed and ask again by themselves (0 = always count)."),
    Setting("WIJKNET_SECRET_FILE", "~/.config/wijknet/pseudonym.key", "HMAC key for pseudonymising BSNs; "
            "created on first use with mode 0600. Keep it outside the database and the repository."),
    Setting("WIJKNET_AUDIT_KEY_FILE", "~/.config/wijknet/audit.key", "HMAC key that chains the audit log "
            "records; created on first use with mode 0600. Keep it outside the state directory (an attacker "
            "with the log but not this key cannot rewrite it unnoticed) and in the secret store with the "
            "pseudonym key."),
    Setting("WIJKNET_AUDIT_SIGNING_KEY_FILE", "~/.config/wijknet/audit-signing.key", "Ed25519 private key that "
            "signs audit checkpoints; created on first use with mode 0600. `wijknet audit checkpoint` prints its "
            "public key: keep that with the shipped checkpoints to verify them without trusting this host."),
    Setting("WIJKNET_AUDIT_CHECKPOINT_FILE", "<state dir>/audit-checkpoints.jsonl", "Append-only file of signed "
            "audit checkpoints (count and head of the log). Ship it off this host regularly; "
            "`wijknet audit verify --checkpoint <shipped copy>` then detects a cut, emptied or replaced log."),
    Setting("WIJKNET_AUDIT_CHECKPOINT_EVERY", "1000", "The audit log writes a signed checkpoint to "
            "WIJKNET_AUDIT_CHECKPOINT_FILE every this many records (0 = only `wijknet audit checkpoint`)."),
    Setting("WIJKNET_K", "10", "Disclosure threshold: aggregate cells with 0 < n < k are suppressed "
            "(never below 5). `wijknet serve` records the app's k in the graph; a `wijknet report` never publishes "
            "below it (docs/security.md, Disclosure control)."),
    Setting("WIJKNET_DEMO_SEED", "2008", "Seed of the demo neighbourhood."),
    Setting("WIJKNET_DEMO_HOUSEHOLDS", "634", "Households in the experiment area of the demo neighbourhood."),
    Setting("WIJKNET_APP_PORT", "8501", "Port of the Streamlit app (bound to 127.0.0.1)."),
    Setting("WIJKNET_DEMO_USERS", "1", "1: create the demo accounts (coach1.., projectleider, beleid, "
            "datasteward, admin) with one random password kept in <state dir>/demo-password (mode 0600). "
            "Set 0 outside a demo: then only accounts made with `wijknet users add` or OpenID Connect exist."),
    Setting("WIJKNET_SESSION_IDLE_MINUTES", "30", "A signed-in session ends after this many minutes without "
            "activity."),
    Setting("WIJKNET_SESSION_MAX_HOURS", "10", "A signed-in session ends this many hours after sign-in, "
            "active or not."),
    Setting("WIJKNET_RETENTION_DAYS", "730", "`wijknet privacy retention` removes involvements, handovers "
            "and referrals that ended more than this many days ago (Verwijsindex practice: 2 years)."),
    Setting("WIJKNET_PROFILE", "enschede", "The deployment profile: what differs per municipality (the generalist "
            "role's name, whether it holds mandates, areas, local organisations and their aliases, extra code "
            "values). A shipped profile's name (enschede, leeuwarden) or the path of a .toml file; validated when "
            "the app or a command starts. See docs/configuration.md, Deployment profiles."),
    Setting("WIJKNET_NOTICE_RETENTION_DAYS", "730", "Signals (match and threshold notices, see docs/signals.md) "
            "live this many days after the event they report; `wijknet signals expire` removes older ones "
            "(Verwijsindex: at most 2 years)."),
    Setting("WIJKNET_NOTICE_MAX_CASEMANAGERS", "5", "A household's coach and the project lead get a signal when "
            "this many casemanagers are active on the household at once."),
    Setting("WIJKNET_CLI_ACCOUNT", "", "The account a `wijknet` command that writes data acts as when it is "
            "given no `--as ACCOUNT` (an enabled account whose role may do the write; see docs/security.md)."),
    Setting("WIJKNET_LANGUAGE", "nl", "Language of the app's pages, messages, code values and export headers: "
            "nl (Dutch) or en (English). Every text comes from one catalogue (app/catalogue.py), also what the "
            "ingest, the audit check and the query layer say on a page (graph/said.py). The wijknet command, an "
            "operator's tool, writes its reports and errors in English (the intake and caseload commands' own lines "
            "in Dutch, and what they refuse in this language); a refusal (no account, a role that may not) reads in "
            "this language from every command."),
)

_BY_NAME = {s.name: s for s in SETTINGS}


@dataclass(frozen=True)
class Settings:
    neo4j_uri: str
    neo4j_user: str
    neo4j_password: str
    neo4j_database: str
    state_dir: Path
    cache_dir: Path
    bolt_port: int
    neo4j_heap: str
    neo4j_pagecache: str
    start_timeout: float
    query_timeout: float
    row_cap: int
    snapshot_max_age: int
    cypher_count_limit: int
    secret_file: Path
    k: int
    demo_seed: int
    demo_households: int
    app_port: int
    demo_users: bool = True
    session_idle_minutes: int = 30
    session_max_hours: int = 10
    retention_days: int = 730
    audit_key_file: Path = Path("~/.config/wijknet/audit.key").expanduser()
    audit_signing_key_file: Path = Path("~/.config/wijknet/audit-signing.key").expanduser()
    audit_checkpoint_file: Path = PROJECT_ROOT / ".state" / "audit-checkpoints.jsonl"
    audit_checkpoint_every: int = 1000
    cli_account: str = ""
    profile: str = "enschede"
    notice_retention_days: int = 730
    notice_max_casemanagers: int = 5
    language: str = "nl"
    signals_wait: int = 1
    neo4j_jvm_options: tuple[str, ...] = ()
    compute_ahead: bool = True

    @property
    def managed(self) -> bool:
        """True when wijknet runs its own local server (no NEO4J_URI given)."""
        return not self.neo4j_uri


def _yes_no(env: Mapping[str, str], name: str) -> bool:
    raw = env.get(name, _BY_NAME[name].default)
    value = {"yes": True, "ja": True, "true": True, "on": True, "1": True,
             "no": False, "nee": False, "false": False, "off": False, "0": False}.get(raw.strip().lower())
    if value is None:
        raise ConfigError(f"{name} must be yes or no, not {raw!r}.")
    return value


def _int(env: Mapping[str, str], name: str, minimum: int | None = None) -> int:
    raw = env.get(name, _BY_NAME[name].default)
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {raw!r}.") from None
    if minimum is not None and value < minimum:
        raise ConfigError(f"{name} must be at least {minimum}, not {value}.")
    return value


LANGUAGES = ("nl", "en")


def _language(raw: str) -> str:
    value = raw.strip().lower()
    if value not in LANGUAGES:
        raise ConfigError(f"WIJKNET_LANGUAGE must be one of {', '.join(LANGUAGES)}, not {raw!r}.")
    return value


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Read all settings from ``env`` (default: the process environment)."""
    e = os.environ if env is None else env

    def get(name: str) -> str:
        return e.get(name, _BY_NAME[name].default)

    state = e.get("WIJKNET_STATE_DIR") or str(PROJECT_ROOT / ".state")
    state_dir = Path(state).expanduser().resolve()
    k = _int(e, "WIJKNET_K")
    if k < 5:
        raise ConfigError(f"WIJKNET_K must be at least 5 (small counts can identify people), not {k}.")
    try:
        start_timeout = float(get("WIJKNET_START_TIMEOUT"))
        query_timeout = float(get("WIJKNET_QUERY_TIMEOUT"))
    except ValueError:
        raise ConfigError("WIJKNET_START_TIMEOUT and WIJKNET_QUERY_TIMEOUT must be numbers of seconds.") from None
    for name in ("WIJKNET_NEO4J_HEAP", "WIJKNET_NEO4J_PAGECACHE"):
        if not re.fullmatch(r"[1-9][0-9]*[kKmMgG]?", get(name).strip()):
            raise ConfigError(f"{name} must be a size like 512m or 2g, not {get(name)!r}.")
    jvm_options = tuple(get("WIJKNET_NEO4J_JVM_OPTIONS").split())
    if bad := [o for o in jvm_options if not o.startswith("-")]:
        raise ConfigError(f"WIJKNET_NEO4J_JVM_OPTIONS holds Java options, each starting with a dash: {bad[0]!r} "
                          "is not one.")
    return Settings(
        neo4j_uri=get("NEO4J_URI").strip(),
        neo4j_user=get("NEO4J_USER"),
        neo4j_password=get("NEO4J_PASSWORD"),
        neo4j_database=get("NEO4J_DATABASE"),
        state_dir=state_dir,
        cache_dir=Path(get("WIJKNET_CACHE_DIR")).expanduser(),
        bolt_port=_int(e, "WIJKNET_BOLT_PORT", 0),
        neo4j_heap=get("WIJKNET_NEO4J_HEAP").strip(),
        neo4j_pagecache=get("WIJKNET_NEO4J_PAGECACHE").strip(),
        start_timeout=start_timeout,
        query_timeout=query_timeout,
        row_cap=_int(e, "WIJKNET_ROW_CAP", 1),
        snapshot_max_age=_int(e, "WIJKNET_SNAPSHOT_MAX_AGE", 0),
        cypher_count_limit=_int(e, "WIJKNET_CYPHER_COUNT_LIMIT", 0),
        signals_wait=_int(e, "WIJKNET_SIGNALS_WAIT", 0),
        secret_file=Path(get("WIJKNET_SECRET_FILE")).expanduser(),
        k=k,
        demo_seed=_int(e, "WIJKNET_DEMO_SEED"),
        demo_households=_int(e, "WIJKNET_DEMO_HOUSEHOLDS", 1),
        app_port=_int(e, "WIJKNET_APP_PORT", 1),
        demo_users=get("WIJKNET_DEMO_USERS").strip().lower() in ("1", "true", "yes", "on"),
        session_idle_minutes=_int(e, "WIJKNET_SESSION_IDLE_MINUTES", 1),
        session_max_hours=_int(e, "WIJKNET_SESSION_MAX_HOURS", 1),
        retention_days=_int(e, "WIJKNET_RETENTION_DAYS", 1),
        audit_key_file=Path(get("WIJKNET_AUDIT_KEY_FILE")).expanduser(),
        audit_signing_key_file=Path(get("WIJKNET_AUDIT_SIGNING_KEY_FILE")).expanduser(),
        audit_checkpoint_file=Path(e.get("WIJKNET_AUDIT_CHECKPOINT_FILE")
                                   or state_dir / "audit-checkpoints.jsonl").expanduser(),
        audit_checkpoint_every=_int(e, "WIJKNET_AUDIT_CHECKPOINT_EVERY", 0),
        cli_account=get("WIJKNET_CLI_ACCOUNT").strip(),
        profile=get("WIJKNET_PROFILE").strip() or "enschede",
        notice_retention_days=_int(e, "WIJKNET_NOTICE_RETENTION_DAYS", 1),
        notice_max_casemanagers=_int(e, "WIJKNET_NOTICE_MAX_CASEMANAGERS", 2),
        language=_language(get("WIJKNET_LANGUAGE")),
        neo4j_jvm_options=jvm_options,
        compute_ahead=_yes_no(e, "WIJKNET_COMPUTE_AHEAD"),
    )
