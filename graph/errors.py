"""One exception hierarchy for wijknet.

::

    WijknetError                   every error we raise on purpose; ``str(e)`` is one sentence for a user
    ├── ConfigError                a setting has an impossible value
    ├── ServerError                the local Neo4j server could not be managed
    │   ├── JavaMissing            no ``java`` on PATH / JAVA_HOME
    │   ├── JavaTooOld             Java older than 17
    │   ├── MavenMissing           no Maven and no cached Neo4j jars
    │   ├── PortInUse              the Bolt port is taken by another program
    │   └── ServerStartFailed      the server process exited or did not answer in time
    ├── DatabaseError              talking to Neo4j failed
    │   ├── AuthFailed             wrong user name or password
    │   ├── Unreachable            nothing answers at the configured address
    │   └── QueryFailed            a named query failed (the name is in the message, values are not)
    │       └── ConstraintViolated a write broke a uniqueness constraint (ingest retries with MERGE)
    ├── AccessDenied               the actor may not see this (raised in ``queries``)
    ├── IngestError                a source file cannot be loaded (carries the collected problems)
    ├── InvalidFields              a value typed into a form or command is not valid (a message per field)
    │   └── InvalidEntry           a coach's entry in the workspace has bad values
    └── ChangedMeanwhile           someone else changed the record since it was read (optimistic concurrency)

Domain code raises these; the CLI and the pages turn them into one clear sentence (see ``app.errors``).
"""

from __future__ import annotations

from graph.said import said

__all__ = [
    "AccessDenied",
    "AuthFailed",
    "BeingComputed",
    "ChangedMeanwhile",
    "ConfigError",
    "ConstraintViolated",
    "DatabaseError",
    "IngestError",
    "InvalidEntry",
    "InvalidFields",
    "JavaMissing",
    "JavaTooOld",
    "MavenMissing",
    "PortInUse",
    "QueryFailed",
    "ServerError",
    "ServerStartFailed",
    "Unreachable",
    "WijknetError",
]


class WijknetError(Exception):
    """Base class: the message is a complete sentence that says what happened and what to do."""


class ConfigError(WijknetError):
    pass


class ServerError(WijknetError):
    pass


class JavaMissing(ServerError):
    pass


class JavaTooOld(ServerError):
    pass


class MavenMissing(ServerError):
    pass


class PortInUse(ServerError):
    pass


class ServerStartFailed(ServerError):
    pass


class DatabaseError(WijknetError):
    pass


class AuthFailed(DatabaseError):
    pass


class Unreachable(DatabaseError):
    pass


class QueryFailed(DatabaseError):
    pass


class ConstraintViolated(QueryFailed):
    pass


class AccessDenied(WijknetError):
    pass


class IngestError(WijknetError):
    pass


class InvalidFields(WijknetError):
    """Values entered in the app or on the command line that are not valid: ``fields`` maps each field name to
    its message (a :class:`graph.said.Said` sentence, said in the user's language next to the field);
    ``str(e)`` joins them into one (English) sentence. Nothing is written."""

    def __init__(self, fields: dict[str, str]) -> None:
        self.fields = dict(fields)
        super().__init__(" ".join(f"{name}: {msg}" for name, msg in self.fields.items()))


class InvalidEntry(InvalidFields):
    """A coach's entry (ingest.record) was refused: ``problems`` (= ``fields``) maps each form field to a
    sentence (said next to the field on the page)."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__(problems)
        self.problems = self.fields
        self.args = ("Not recorded: " + " ".join(f"{v}" for v in self.problems.values()),)


class ChangedMeanwhile(WijknetError):
    """Optimistic concurrency: the record was changed by someone else (``by``) since it was read; nothing was
    written. ``message`` replaces the standard sentence."""

    def __init__(self, by: str = "", *, message: str = "") -> None:
        self.by = by
        super().__init__(message or (
            said("said.errors.changed_by", "Changed meanwhile by {by}; your input is kept. Look at the new state "
                 "and save again.", by=by) if by else
            said("said.errors.changed", "Changed meanwhile by someone else; your input is kept. Look at the new "
                 "state and save again.")))


class BeingComputed(WijknetError):
    """What a page asked for is being derived from the data as it is now (a fresh overlap snapshot on a graph too
    large to count in Cypher per request, the project lead's threshold signals on a city-size graph); the page
    says so and asks again shortly (:func:`app.ui.guarded`)."""
