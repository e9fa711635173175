"""`make bench`: the figures the issues ask for, against PostgreSQL.

Uses BENCH_DATABASE_URL (default: a `valuecreation_bench` database on the local PostgreSQL),
never the development or test database. Each benchmark module exposes `run() -> list[str]`.
Timings on a shared 2-core machine are noisy: read them as ratios and orders of magnitude.
"""

import importlib
import os
import subprocess
import sys
import time

BENCHMARKS = [
    "benchmarks.bench_import",
    "benchmarks.bench_obligations",
    "benchmarks.bench_reminders",
    "benchmarks.bench_pages",
    "benchmarks.bench_dashboards",
    "benchmarks.bench_packets",
]


def main() -> int:
    url = os.environ.get(
        "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/valuecreation_bench"
    )
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ["DJANGO_DEBUG"] = "false"  # DEBUG keeps every query in memory
    name = url.rsplit("/", 1)[-1]
    exists = subprocess.run(
        [
            "psql",
            url.rsplit("/", 1)[0] + "/postgres",
            "-tAc",
            f"SELECT 1 FROM pg_database WHERE datname='{name}'",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if "1" not in exists.stdout:
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    selected = sys.argv[1:] or BENCHMARKS
    print(f"# make bench — {time.strftime('%Y-%m-%d %H:%M')} — database {name}")
    for module_name in selected:
        module = importlib.import_module(module_name)
        print(f"\n## {module_name.rsplit('.', 1)[-1]}")
        for line in module.run():
            print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
