"""Real servers on loopback for the tests: a free port and waiting until one answers."""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.request
from pathlib import Path


class ServerDidNotStart(RuntimeError):
    """The process ended or did not answer in time; the message carries its log."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_up(
    proc: subprocess.Popen[bytes], probe_url: str, log: Path, timeout_s: float, name: str
) -> None:
    """Poll ``probe_url`` until it answers 200; fail with the server's log otherwise."""
    deadline = time.monotonic() + timeout_s
    while True:
        if proc.poll() is not None:
            text = log.read_text(errors="replace")
            raise ServerDidNotStart(f"{name} exited with {proc.returncode}:\n{text}")
        try:
            with urllib.request.urlopen(probe_url, timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            text = log.read_text(errors="replace")
            raise ServerDidNotStart(f"{name} did not answer within {timeout_s:.0f} s:\n{text}")
        time.sleep(0.1)
