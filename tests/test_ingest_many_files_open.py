"""Ingest keeps working when the process already holds more than 1024 open files.

A long-running app (or this test session) can hold many descriptors; the parser child's
pipe then gets a number above 1023, which ``select()`` cannot watch.
"""

from __future__ import annotations

import os
import resource
from collections.abc import Iterator

import pytest

from core.factory import Services
from ingest.pipeline import IngestOptions, ingest_bytes

pytestmark = pytest.mark.slow


@pytest.fixture
def many_open_files() -> Iterator[None]:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < 1300:
        pytest.fail(f"this test needs a file limit of 1300, the hard limit is {hard}")
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, 1300), hard))
    fds = [os.open(os.devnull, os.O_RDONLY) for _ in range(1100)]
    try:
        yield
    finally:
        for fd in fds:
            os.close(fd)
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def test_parser_child_works_with_high_descriptors(
    services: Services, many_open_files: None
) -> None:
    ws = services.workspaces.open("viele", create=True)
    report = ingest_bytes(
        ws,
        [("notiz.md", b"# Notiz\n\nDaten bleiben in der Schweiz.\n")],
        IngestOptions(category="policy"),
    )
    assert report.count("ingested") == 1, report.failed
