"""Open a Neo4j driver, and turn what goes wrong into one-line errors.

The password is passed to the driver and nowhere else: no message here contains it.
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

from neo4j import Driver, GraphDatabase, NotificationMinimumSeverity
from neo4j.exceptions import (AuthError, ConfigurationError, DriverError, Neo4jError,
                              ServiceUnavailable)

DEFAULT_URI = "neo4j://localhost:7687"
TIMEOUT = 5.0  # seconds to open a connection; bounds how long an unreachable server takes


class Neo4jFailure(RuntimeError):
    """A one-line, user-facing reason why Neo4j could not be used."""


@contextmanager
def connect(uri: str, user: str, password: str | None, database: str) -> Iterator[Driver]:
    """A driver that has reached `database`; any failure inside raises Neo4jFailure."""
    auth = (user, password) if password else None
    try:
        driver = GraphDatabase.driver(
            uri, auth=auth, connection_timeout=TIMEOUT, connection_acquisition_timeout=2 * TIMEOUT,
            max_transaction_retry_time=2 * TIMEOUT,
            notifications_min_severity=NotificationMinimumSeverity.OFF)
    except (ConfigurationError, ValueError) as err:
        raise Neo4jFailure(f"{uri}: {_line(err)}") from None
    try:
        with driver:
            driver.verify_connectivity()
            with driver.session(database=database) as session:
                session.run("RETURN 1").consume()
            yield driver
    except AuthError:
        hint = "" if password else " (set NEO4J_PASSWORD)"
        raise Neo4jFailure(f"{uri}: Neo4j refused user {user!r}: wrong user or password{hint}"
                           ) from None
    except ServiceUnavailable as err:
        raise Neo4jFailure(f"{uri}: cannot reach Neo4j ({_line(err)})") from None
    except Neo4jError as err:
        if err.code == "Neo.ClientError.Database.DatabaseNotFound":
            raise Neo4jFailure(f"{uri}: no database {database!r} on this server") from None
        raise Neo4jFailure(f"{uri}: {err.code}: {_line(err.message or err)}") from None
    except DriverError as err:
        raise Neo4jFailure(f"{uri}: {_line(err)}") from None


def _line(err: object) -> str:
    text = " ".join(str(err).split())
    return text if len(text) <= 200 else text[:197] + "..."
