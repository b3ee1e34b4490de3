"""Open a Neo4j driver, and turn what goes wrong into one-line errors.

The password is passed to the driver and nowhere else: no message here contains it.
"""
from __future__ import annotations

import logging
import re
from contextlib import contextmanager
from typing import TYPE_CHECKING, Iterator

from .. import logs

if TYPE_CHECKING:
    from neo4j import Driver

DEFAULT_URI = "neo4j://localhost:7687"
_USERINFO = re.compile(r"(?<=://)[^/@]*@")  # neo4j://user:password@host
TIMEOUT = 5.0  # seconds to open a connection; bounds how long an unreachable server takes

log = logging.getLogger("graphbuild.neo4j")
logging.getLogger("neo4j").addHandler(logging.NullHandler())  # errors are reported, not logged


class Neo4jFailure(RuntimeError):
    """A one-line, user-facing reason why Neo4j could not be used."""


@contextmanager
def connect(uri: str, user: str, password: str | None, database: str) -> Iterator[Driver]:
    """A driver that has reached `database`; Neo4j errors inside raise Neo4jFailure."""
    from neo4j.exceptions import DriverError, Neo4jError  # the driver is imported when used
    auth = (user, password) if password else None
    logs.mask(password)
    log.debug("connecting to %s as %r, database %r, %s password", shown_uri(uri), user,
              database, "with a" if password else "without a")
    try:
        driver = _driver(uri, auth)
    except (DriverError, ValueError) as err:
        raise _scrubbed(f"{shown_uri(uri)}: {_line(err)}", password) from None
    with driver:
        try:
            driver.verify_connectivity()
            with driver.session(database=database) as session:
                session.run("RETURN 1").consume()
        except (Neo4jError, DriverError, ValueError) as err:
            raise _scrubbed(_failure(err, uri, auth, database), password) from None
        try:
            yield driver
        except (Neo4jError, DriverError) as err:
            raise _scrubbed(_failure(err, uri, auth, database), password) from None


def shown_uri(uri: str) -> str:
    """The address as messages show it: user and password written into it are masked."""
    return _USERINFO.sub("***@", uri)


def _scrubbed(failure: Neo4jFailure | str, password: str | None) -> Neo4jFailure:
    """A last guard: whatever a driver message echoes, the password is not shown."""
    text = str(failure)
    return Neo4jFailure(text.replace(password, "***") if password else text)


def _driver(uri: str, auth: tuple[str, str] | None) -> Driver:
    from neo4j import GraphDatabase, NotificationMinimumSeverity
    return GraphDatabase.driver(
        uri, auth=auth, connection_timeout=TIMEOUT, connection_acquisition_timeout=2 * TIMEOUT,
        max_transaction_retry_time=2 * TIMEOUT,
        notifications_min_severity=NotificationMinimumSeverity.OFF)


def _failure(err: Exception, uri: str, auth, database: str) -> Neo4jFailure:
    from neo4j.exceptions import AuthError, Neo4jError, ServiceUnavailable
    where = shown_uri(uri)
    if isinstance(err, AuthError):
        hint = "" if auth else " (set NEO4J_PASSWORD)"
        return Neo4jFailure(f"{where}: Neo4j refused user {auth[0] if auth else 'neo4j'!r}: "
                            f"wrong user or password{hint}")
    if isinstance(err, ValueError):  # the driver's word for an address that does not resolve
        return Neo4jFailure(f"{where}: cannot reach Neo4j ({_line(err)})")
    if isinstance(err, ServiceUnavailable):
        return Neo4jFailure(f"{where}: cannot reach Neo4j ({_reason(err, uri, auth)})")
    if isinstance(err, Neo4jError) and err.code == "Neo.ClientError.Database.DatabaseNotFound":
        return Neo4jFailure(f"{where}: no database {database!r} on this server")
    if isinstance(err, Neo4jError):
        return Neo4jFailure(f"{where}: {err.code}: {_line(err.message or err)}")
    return Neo4jFailure(f"{where}: {_line(err)}")


def _reason(err: Exception, uri: str, auth) -> str:
    """Routing (neo4j://) failures hide their cause: ask the server directly (bolt://)."""
    direct = re.sub(r"^neo4j(\+s|\+ssc)?://", r"bolt\1://", uri)
    if direct != uri:
        try:
            with _driver(direct, auth) as probe:
                probe.verify_connectivity()
        except Exception as inner:  # any failure here is only a better explanation
            err = inner
    while err.__cause__ is not None:
        err = err.__cause__
    return _line(err)


def _line(err: object) -> str:
    text = " ".join(str(err).split())
    return text if len(text) <= 200 else text[:197] + "..."
