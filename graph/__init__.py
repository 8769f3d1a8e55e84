"""wijknet's connection to Neo4j: settings, the managed local server, the driver, the schema and the model.

Everything that touches the database goes through :func:`graph.db.execute`.
"""

from __future__ import annotations

__all__ = ["clock", "db", "errors", "model", "schema", "server", "settings", "spreadsheet"]
