"""What a test needs from the machine: skip when it is missing, fail under CI=true."""
from __future__ import annotations

import os

import pytest


def missing(tests: str, what: str):
    """Skip (or, under CI=true, fail) because `tests` need `what`."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{tests} tests need {what} (CI=true: not skipping)")
    pytest.skip(f"{tests} tests need {what}")
