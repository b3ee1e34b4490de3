"""`graphbuild --verbose`: debug logging of graphbuild and the Neo4j driver on standard error.

Secrets never reach the log: every password graphbuild is handed is registered with
``mask`` before it is used, and the handler replaces it in each line it writes (the
driver already writes credentials as ``'*******'``; this is the second guard).
"""
from __future__ import annotations

import logging
import sys

_SECRETS: set[str] = set()
LOGGERS = ("graphbuild", "neo4j")


def mask(secret: str | None) -> None:
    """Never write ``secret`` to the log."""
    if secret:
        _SECRETS.add(secret)


def redact(text: str) -> str:
    for secret in sorted(_SECRETS, key=len, reverse=True):
        text = text.replace(secret, "***")
    return text


class _Redacting(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


def verbose() -> None:
    """Debug lines of graphbuild and the Neo4j driver to standard error."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_Redacting("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    for name in LOGGERS:
        logger = logging.getLogger(name)
        logger.setLevel(logging.DEBUG)
        logger.addHandler(handler)
