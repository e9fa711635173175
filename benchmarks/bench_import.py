"""Enterprise import at scale: a 5,000-row GBK CSV (groups and subsidiaries, subsidiaries
listed before their group) through `manage.py import_enterprises`, then again with every
row changed (updates), then a dry run. Figures: time, rows per second, queries per 500 rows.

The benchmark's enterprises have credit codes starting 91BENCH, which no real or demo code
does; they and the benchmark's audit events are deleted before and after.
"""

import csv
import io
import os
import tempfile
import time
from pathlib import Path

ROWS = 5_000
SUBSIDIARIES_PER_GROUP = 4
PREFIX = "91BENCH"  # 7 characters + 10 digits = the 17 before the check character
FILE_NAME = "bench_import.csv"
AUTHORITY_CODES = ["SASAC", "11", "31", "44", "4403", "XPCC"]


def _code(n: int) -> str:
    from apps.enterprises.creditcode import make_credit_code

    return make_credit_code(f"{PREFIX}{n:010d}")


def _write_csv(path: Path, *, renamed: bool) -> None:
    header = [
        "统一社会信用代码",
        "企业名称",
        "英文名称",
        "监管机构代码",
        "功能类别",
        "行业门类",
        "上级企业统一社会信用代码",
        "是否上市",
    ]
    suffix = "（更名）" if renamed else ""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    n = 0
    group_size = SUBSIDIARIES_PER_GROUP + 1
    for g in range(ROWS // group_size):
        authority = AUTHORITY_CODES[g % len(AUTHORITY_CODES)]
        group = _code(n)
        group_row = [
            group,
            f"基准测试集团{g:05d}有限公司{suffix}",
            f"Bench Group {g}",
            authority,
            "商业二类",
            "D",
            "",
            "否",
        ]
        children = [
            [
                _code(n + k),
                f"基准测试子公司{g:05d}-{k}有限公司{suffix}",
                "",
                authority,
                "商业一类",
                "C",
                group,
                "是" if k == 1 else "否",
            ]
            for k in range(1, group_size)
        ]
        # Half the groups come after their subsidiaries: the import resolves either order.
        rows = [*children, group_row] if g % 2 else [group_row, *children]
        writer.writerows(rows)
        n += group_size
    path.write_bytes(out.getvalue().encode("gbk"))


def _cleanup() -> None:
    from apps.audit.models import AuditEvent
    from apps.enterprises.models import Enterprise

    ours = Enterprise.objects.filter(credit_code__startswith=PREFIX)
    ours.update(parent=None)  # parent is PROTECT: ungroup before deleting
    ours.delete()
    AuditEvent.objects.filter(action="enterprise.import", data__file=FILE_NAME).delete()


def _timed(path: Path, *args: str) -> tuple[float, int]:
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        started = time.perf_counter()
        call_command(
            "import_enterprises", str(path), *args, stdout=io.StringIO(), stderr=io.StringIO()
        )
        elapsed = time.perf_counter() - started
    return elapsed, len(ctx.captured_queries)


def _line(label: str, seconds: float, queries: int) -> str:
    per_batch = queries / (ROWS / 500)
    return (
        f"{label}: {seconds:.2f} s, {ROWS / seconds:,.0f} rows/s, "
        f"{queries} queries = {per_batch:.1f} per 500 rows"
    )


def run(db_ready: bool = True) -> list[str]:
    if not db_ready:
        import django

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
    from apps.enterprises.models import Enterprise

    lines = [
        f"{ROWS:,} rows, GBK CSV with Chinese headers: {ROWS // 5:,} groups with "
        f"{SUBSIDIARIES_PER_GROUP} subsidiaries each, half of them listed before their group"
    ]
    _cleanup()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / FILE_NAME
            _write_csv(path, renamed=False)
            seconds, queries = _timed(path, "--dry-run")
            lines.append(_line("dry run, all new (read + check)", seconds, queries))
            seconds, queries = _timed(path)
            created = Enterprise.objects.filter(credit_code__startswith=PREFIX).count()
            assert created == ROWS, created
            lines.append(_line("import, all new (create)", seconds, queries))
            _write_csv(path, renamed=True)
            seconds, queries = _timed(path)
            lines.append(_line("import again, every name changed (update)", seconds, queries))
            seconds, queries = _timed(path)
            lines.append(_line("import again, nothing changed", seconds, queries))
    finally:
        _cleanup()
    return lines


if __name__ == "__main__":
    for text in run(db_ready=False):
        print(text)
