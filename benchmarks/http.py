"""Drive pages served by gunicorn with wrk, at one connection, and compare each page's
requests per second with a trivial view's, measured in the same run."""

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

ROOT = Path(__file__).resolve().parent.parent
DURATION = os.environ.get("BENCH_SECONDS", "5")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def gunicorn() -> Iterator[str]:
    port = _free_port()
    # Persistent connections, as in production (CONN_MAX_AGE there defaults to 60 s).
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DJANGO_DEBUG": "false",
        "CONN_MAX_AGE": "60",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", "1", "--log-level", "warning"],
        cwd=ROOT, env={**env, "DJANGO_SETTINGS_MODULE": "config.settings.local"},
        stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)


def wrk(url: str, cookie: str) -> float:
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install wrk")
    out = subprocess.run(
        ["wrk", "-t1", "-c1", f"-d{DURATION}s", "-H", f"Cookie: {cookie}", "-H",
         "Host: 127.0.0.1", url],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    match = re.search(r"Requests/sec:\s+([\d.]+)", out)
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    if non2xx:
        raise SystemExit(f"{url}: {non2xx.group(1)} error responses\n{out}")
    return float(match.group(1)) if match else 0.0


@dataclass
class PageFigure:
    name: str
    path: str
    rps: float
    queries: int


def session_cookie(client: Client) -> str:
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def measure(pages: list[tuple[str, str]], client: Client) -> list[str]:
    """pages: (name, path); the first is the trivial view. Query counts come from the same
    pages rendered in-process against the same database."""
    cookie = session_cookie(client)
    figures = []
    with gunicorn() as base:
        for name, path in pages:
            with CaptureQueriesContext(connection) as ctx:
                status = client.get(path, HTTP_HOST="127.0.0.1").status_code
            if status != 200:
                raise SystemExit(f"{path} answered {status}")
            wrk(base + path, cookie)  # warm-up run, discarded
            figures.append(
                PageFigure(name, path, wrk(base + path, cookie), len(ctx.captured_queries))
            )
    trivial = figures[0].rps
    lines = [
        f"wrk -t1 -c1 -d{DURATION}s against gunicorn (1 worker), PostgreSQL; ratio = page/trivial"
    ]
    for f in figures:
        lines.append(
            f"{f.name:<22} {f.rps:8.1f} req/s  ratio {f.rps / trivial:5.2f}  "
            f"{f.queries:3d} queries  {f.path}"
        )
    return lines
