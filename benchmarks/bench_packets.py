"""A 30-page Chinese packet: time and peak memory with the CJK font, and with a Latin-only
font, each rendered in a fresh process (peak memory = that process's VmHWM).

The plan is built in a transaction that is rolled back (nothing stays in the database): demo
content made long, with many Chinese paragraphs and task rows, submitted through the real
services, and its packet HTML made by the real template. The "Latin-only" packet is the same
HTML with every CJK character replaced by one or two Latin letters (and a space after
every second one), the font set to DejaVu Sans,
so that the same layout is typeset without a single CJK glyph (pdffonts checks that).
Targets (issue #7): CJK at most 1.5× the Latin time, at most 500 MB.
"""

import io
import json
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

# Per variant, interleaved (A B C A B C …) so that a busy moment on a shared machine hits
# every variant alike; the best time and the highest peak are reported.
RUNS = 3
TARGET_RATIO = 1.5
TARGET_MB = 500
LATIN_FONT = "DejaVu Sans"
CJK_RE = re.compile(r"[\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]")
SYLLABLES = ["ba", "de", "ji", "ko", "lu", "ma", "ni", "po", "qi", "ro", "su", "ta", "wu", "xi"]

SENTENCES = [
    "围绕主责主业，聚焦价值创造的关键环节，系统梳理影响利润总额和净资产收益率的主要因素。",
    "对标世界一流企业，在全员劳动生产率、经济增加值率和研发经费投入强度方面仍有明显差距。",
    "坚持目标导向和问题导向，把提升资本回报水平作为价值创造行动的核心任务。",
    "优化资产负债结构，严控带息负债规模，确保资产负债率保持在合理区间。",
    "加快数字化转型，推动生产经营全过程数据贯通，提升精益管理和成本管控能力。",
    "健全科技创新体系，完善研发投入稳定增长机制，加快关键核心技术攻关和成果转化。",
    "服务国家重大战略，积极参与共建“一带一路”，增强产业链供应链韧性和安全水平。",
    "完善公司治理，落实董事会职权，深化三项制度改革，激发各类人才创新创造活力。",
    "统筹发展和安全，健全风险防控和合规管理体系，守住不发生重大风险的底线。",
    "积极履行社会责任，推进绿色低碳发展，持续提升安全生产和生态环境保护水平。",
]


def _paragraphs(rng: random.Random, count: int, sentences: int) -> str:
    return "\n\n".join(
        "".join(rng.choice(SENTENCES) for _ in range(sentences)) for _ in range(count)
    )


def _long_content(content: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    from apps.plans.constants import ASSURANCE, DIAGNOSIS, MEASURES, TASKS, ActionArea

    content[DIAGNOSIS] = {
        "key_factors": _paragraphs(rng, 28, 6),
        "shortcomings": _paragraphs(rng, 28, 6),
    }
    content[MEASURES] = {area.value: _paragraphs(rng, 11, 6) for area in ActionArea}
    template = content[TASKS]["rows"][0]
    areas = list(ActionArea)
    content[TASKS]["rows"] = [
        {
            **template,
            "id": f"bench-{n}",
            "area": areas[n % len(areas)].value,
            "title": f"{areas[n % len(areas)].label}重点任务第{n + 1}项",
            "result": "".join(rng.choice(SENTENCES) for _ in range(2)),
        }
        for n in range(120)
    ]
    content[ASSURANCE] = {key: _paragraphs(rng, 3, 5) for key in content[ASSURANCE]}
    return content


class _Rollback(Exception):
    pass


def _packet_html() -> tuple[str, str, str, str]:
    """(CJK HTML, Latin-font HTML, snapshot, description) of a long plan that exists only
    inside a rolled-back transaction."""
    from django.db import transaction

    from apps.accounts.models import User
    from apps.demo.submission import demo_submission
    from apps.enterprises.creditcode import make_credit_code
    from apps.enterprises.models import Authority, Enterprise, Role
    from apps.enterprises.services import membership_grant
    from apps.filings.models import FilingVersion
    from apps.filings.services import filing_start, filing_transition, open_draft
    from apps.packets.models import PacketKind
    from apps.packets.rendering import packet_html, snapshot_description
    from apps.plans.demo import demo_plan_content, plan_fill
    from apps.timeline.models import Deliverable

    result: tuple[str, str, str, str] | None = None
    try:
        with transaction.atomic():
            enterprise = Enterprise.objects.create(
                credit_code=make_credit_code("91BENCH9900000001"),
                name_zh="基准测试能源化工集团有限公司",
                name_en="Bench Energy Group",
                authority=Authority.objects.get(code="SASAC"),
                category="commercial_2",
                industry="D",
            )
            user = User.objects.create_user("bench.packets@example.invalid", None,
                                            full_name="基准测试")  # fmt: skip
            membership_grant(user=user, role=Role.LEAD, enterprise=enterprise)
            plan = Deliverable.objects.filter(kind="plan").order_by("-campaign__is_active").first()
            assert plan is not None, "no plan deliverable: run migrations"
            filing = filing_start(enterprise=enterprise, deliverable=plan, actor=user)
            content = demo_plan_content(filing, seed=7)
            plan_fill(filing=filing, content=content, actor=user)
            draft = open_draft(filing)
            long_content = _long_content(dict(draft.content), random.Random(7))
            FilingVersion.objects.filter(pk=draft.pk).update(content=long_content)
            filing = filing_transition(
                filing=filing, action="submit", actor=user, submission=demo_submission(filing)
            )
            version = filing.latest_submitted
            assert version is not None
            cjk = packet_html(version, kind=PacketKind.SUBMISSION)
            latin = packet_html(version, kind=PacketKind.SUBMISSION, font_family=LATIN_FONT)
            result = (cjk, latin, version.snapshot, snapshot_description(version))
            raise _Rollback
    except _Rollback:
        pass
    assert result is not None
    return result


def _latinize(html: str) -> str:
    # One and two letters in turn, a space after every second character: about the width of
    # CJK text, and lines break about as often, so the Latin packet keeps the page count.
    count = 0

    def swap(match: re.Match[str]) -> str:
        nonlocal count
        count += 1
        syllable = SYLLABLES[ord(match.group()) % len(SYLLABLES)]
        return syllable + " " if count % 2 == 0 else syllable[0]

    return CJK_RE.sub(swap, html)


def _render_in_child(html: str, snapshot: str, description: str, workdir: Path) -> dict:
    html_path, snap_path, out = workdir / "in.html", workdir / "in.json", workdir / "out.pdf"
    html_path.write_text(html, encoding="utf-8")
    snap_path.write_text(json.dumps({"snapshot": snapshot, "description": description}))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ["DJANGO_SETTINGS_MODULE"]}
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_packets", "child",
         str(html_path), str(snap_path), str(out)],
        capture_output=True, text=True, check=True, env=env,
        cwd=Path(__file__).resolve().parent.parent,
    )  # fmt: skip
    figures = json.loads(proc.stdout.strip().splitlines()[-1])
    from pypdf import PdfReader

    data = out.read_bytes()
    figures["pages"] = len(PdfReader(io.BytesIO(data)).pages)
    figures["bytes"] = len(data)
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True)
    figures["fonts"] = sorted({line.split()[0] for line in fonts.stdout.splitlines()[2:]})
    return figures


def _summary(label: str, runs: list[dict]) -> dict:
    best = min(runs, key=lambda r: r["seconds"])
    return {
        "label": label,
        "seconds": best["seconds"],
        "peak_mb": max(r["peak_mb"] for r in runs),
        "base_mb": min(r["base_mb"] for r in runs),
        "pages": best["pages"],
        "bytes": best["bytes"],
        "fonts": best["fonts"],
        "all_seconds": [r["seconds"] for r in runs],
    }


def _line(m: dict) -> str:
    return (
        f"{m['label']}: {m['pages']} pages, {m['seconds']:.2f} s (runs: "
        + ", ".join(f"{s:.2f}" for s in m["all_seconds"])
        + f"), peak {m['peak_mb']:.0f} MB ({m['base_mb']:.0f} MB before rendering), "
        f"{m['bytes'] / 1024:.0f} KiB; fonts: {', '.join(m['fonts'])}"
    )


def two_faces(html: str) -> str:
    """The same HTML with bold headings and table heads: a second (bold) CJK face, the
    alternative the packet template decided against."""
    bold = "h1, h2, h3, th, dt, strong, b { font-weight: bold !important; }\n"
    return html.replace("</style>", bold + "</style>", 1)


def run() -> list[str]:
    cjk_html, latin_html, snapshot, description = _packet_html()
    latin_html = _latinize(latin_html)
    assert not CJK_RE.search(latin_html)
    variants = {
        "CJK as rendered (Noto Sans CJK SC, one face)": cjk_html,
        f"Latin only ({LATIN_FONT})": latin_html,
        "CJK with bold headings (two faces)": two_faces(cjk_html),
    }
    runs: dict[str, list[dict]] = {label: [] for label in variants}
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(RUNS):
            for label, html in variants.items():
                runs[label].append(_render_in_child(html, snapshot, description, Path(tmp)))
    cjk, latin, bold = (_summary(label, r) for label, r in runs.items())
    assert not any("CJK" in f for f in latin["fonts"]), latin["fonts"]
    lines = [_line(cjk), _line(latin), _line(bold)]
    for m in (cjk, bold):
        time_ratio = m["seconds"] / latin["seconds"]
        mem_ratio = m["peak_mb"] / latin["peak_mb"]
        lines.append(
            f"{m['label']} vs Latin: time {time_ratio:.2f}× (target ≤ {TARGET_RATIO}×: "
            f"{'met' if time_ratio <= TARGET_RATIO else 'NOT met'}), memory {mem_ratio:.2f}×, "
            f"peak {m['peak_mb']:.0f} MB (target ≤ {TARGET_MB} MB: "
            f"{'met' if m['peak_mb'] <= TARGET_MB else 'NOT met'})"
        )
    return lines


def _peak_mb() -> float:
    """This process image's peak resident memory (VmHWM). Not ru_maxrss: Linux carries the
    parent's high-water mark through fork and exec into it, so a child of a large benchmark
    process would report the parent's size."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _child(html_path: str, snap_path: str, out_path: str) -> None:
    import django

    django.setup()
    from apps.packets.rendering import pdf_from_html

    html = Path(html_path).read_text(encoding="utf-8")
    meta = json.loads(Path(snap_path).read_text())
    base = _peak_mb()
    started = time.perf_counter()
    pdf = pdf_from_html(html, snapshot=meta["snapshot"], description=meta["description"])
    seconds = time.perf_counter() - started
    Path(out_path).write_bytes(pdf)
    peak = _peak_mb()
    print(json.dumps({"seconds": seconds, "peak_mb": peak, "base_mb": base}))


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "child":
        _child(*sys.argv[2:])
    else:
        raise SystemExit("run through: python -m benchmarks.run benchmarks.bench_packets")
