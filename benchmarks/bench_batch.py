"""The 公开办's batch on a generated folder of 1,000 reports: parallel against one by one.

`python -m benchmarks.bench_batch [--files N] [--jobs N]` prints the figures; `benchmarks.run` includes
them. The folder mixes .nianbao, .docx, .xlsx and PDF (made from our own Word export by LibreOffice;
left out where LibreOffice is missing) of varied crafted reports — different numbers, blank and
"/" cells, texts from a few lines to ~3,000 characters — all 2025, gov-2021, so `sum` applies. It is
generated once and kept in the temporary folder.

Figures:
- throughput: the batch (worker processes, the machine's cores) against importing and checking the
  same files one by one in this process — the ratio is what the parallel part buys (budget: the
  batch takes at most 1/1.6 of the time on a 2-core machine); the machine's load is printed beside it,
  since a shared machine depresses it;
- per-report peak memory: a fresh process's peak resident memory grows by this much to read and
  check one report (sampled per kind), and the workers' peak;
- what the batch keeps per report in this process (the parent), and the time to write the workbook;
- `sum` over the folder: reading (the batch) plus adding up;
- what that means for a province of ~20,000 units on one office PC.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path

from benchmarks.common import Figure, print_table
from model.formats import GOV_2021
from model.report import Meta, Report
from model.values import NA

VERSION = 1
PROVINCE = 20_000
_SENTENCES = (
    "我单位认真贯彻落实《中华人民共和国政府信息公开条例》，坚持以公开为常态、不公开为例外。",
    "围绕中心工作加强政策解读，通过政府网站、政务新媒体等渠道及时发布信息。",
    "规范依申请公开办理流程，严格按照法定时限答复，提升答复质量。",
    "加强政府信息管理，做好公开属性认定和保密审查。",
    "完善监督保障机制，将政务公开工作纳入年度绩效考核。",
)


def crafted_report(rng: random.Random, index: int) -> Report:
    """A varied, balanced 2025 report: numbers of every size, some blank or "/" cells, texts long or short."""
    report = Report("gov-2021", Meta(agency=f"示例县第{index}局", year=2025, date=dt.date(2026, 1, 20)))
    scale = rng.choice((3, 30, 300, 3000))
    for address in GOV_2021.input_cells:
        roll = rng.random()
        if roll < 0.05:
            continue  # blank
        if roll < 0.08 and address[0] == "art20_1":
            report.cells[address] = NA
        elif address[2] == "amount":
            report.cells[address] = Decimal(rng.randrange(0, 10**8)) / Decimal(10**4)
        elif address[0] == "requests" and address[1] != "received":
            report.cells[address] = rng.randrange(0, scale)
        else:
            report.cells[address] = rng.randrange(0, scale * 3)
    table = GOV_2021.table("requests")
    for col in ("natural", "business", "research", "nonprofit", "legal", "other"):
        handled = sum(report.number(("requests", r, c)) for r, c in table.parts("handled_total", col))
        carried_in = report.number(("requests", "carried_in", col))
        out = report.number(("requests", "carried_out", col))
        if handled + out < carried_in:
            report.cells[("requests", "carried_in", col)] = handled + out
            carried_in = handled + out
        report.cells[("requests", "received", col)] = handled + out - carried_in
    length = rng.choice((1, 4, 20, 60))
    for key in ("overview", "problems", "other_matters"):
        report.text[key] = "\n".join(rng.choice(_SENTENCES) for _ in range(length))
    report.text["overview"] = f"2025年，{report.text['overview']}"
    report.text["other_matters"] += "\n本年度未收取信息处理费。"
    return report


def _pdf_readable() -> bool:
    from export.reading import SUFFIXES

    return ".pdf" in SUFFIXES and bool(shutil.which("soffice") or shutil.which("libreoffice"))


def generate(count: int, folder: Path | None = None) -> Path:
    """The folder of ``count`` reports (made once; a marker file says it is complete)."""
    from export.docx_writer import write_docx
    from export.xlsx import write_xlsx
    from model import store

    pdf = _pdf_readable()
    folder = folder or Path(tempfile.gettempdir()) / f"nianbao-bench-batch-v{VERSION}-{count}{'-pdf' if pdf else ''}"
    marker = folder / ".complete"
    if marker.exists():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    rng = random.Random(2025)
    # every run of 20 files: 7 .nianbao, 5 .docx, 5 .xlsx and 3 PDF (or 1 more of each), interleaved
    kinds = ["nianbao", "docx", "xlsx", "pdf" if pdf else "nianbao", "nianbao", "docx", "xlsx", "nianbao",
             "pdf" if pdf else "docx", "xlsx", "nianbao", "docx", "xlsx", "nianbao", "pdf" if pdf else "xlsx",
             "docx", "xlsx", "nianbao", "docx", "nianbao"]
    pending_pdf = []
    for i in range(count):
        report = crafted_report(rng, i)
        kind = kinds[i % len(kinds)]
        sub = folder / f"片区{i % 7}"
        sub.mkdir(exist_ok=True)
        path = sub / f"第{i}局2025年政府信息公开工作年度报告.{kind if kind != 'pdf' else 'docx'}"
        if kind == "nianbao":
            store.save(report, path, backup=False)
        elif kind == "xlsx":
            write_xlsx(report, path)
        else:
            write_docx(report, path)
            if kind == "pdf":
                pending_pdf.append(path)
    if pending_pdf:
        soffice = shutil.which("soffice") or shutil.which("libreoffice")
        profile = folder.parent / f"{folder.name}-lo-profile"
        for sub in sorted({p.parent for p in pending_pdf}):
            files = [str(p) for p in pending_pdf if p.parent == sub]
            subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{profile}", "--convert-to", "pdf",
                            "--outdir", str(sub), *files], check=True, capture_output=True, timeout=3600)
        for path in pending_pdf:
            path.unlink()
    marker.write_text(json.dumps({"count": count, "pdf": pdf}), encoding="utf-8")
    return folder


def _files(folder: Path) -> list[Path]:
    from export.batch_files import discover

    return [f.path for f in discover(folder).files]


def _children_cpu() -> float:
    try:
        import resource
    except ImportError:
        return 0.0
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def one_by_one(files: list[Path]) -> tuple[float, float]:
    """Import and check every file in this process, one after the other: the baseline.
    (wall seconds, CPU seconds)"""
    from export.batch_read import read_report
    from model.checks import run_checks

    start, cpu = time.perf_counter(), time.process_time()
    for path in files:
        report, _problems = read_report(path)
        run_checks(report)
    return time.perf_counter() - start, time.process_time() - cpu


def batch(folder: Path, jobs: int):  # type: ignore[no-untyped-def]
    """The batch over the folder: (result, wall seconds, the parent's CPU seconds, the workers' CPU seconds)."""
    from export.batch import run_batch

    start, cpu, children = time.perf_counter(), time.process_time(), _children_cpu()
    result = run_batch(folder, jobs=jobs)
    return result, time.perf_counter() - start, time.process_time() - cpu, _children_cpu() - children


_PEAK = """
import gc, sys
from pathlib import Path
sys.path.insert(0, {root!r})
from export.batch_read import read_report
from model.checks import run_checks
import export.reading.match, export.reading.docx_reader, export.reading.html_reader, export.xlsx_reader, model.store
def status(key):
    return int(next(l for l in open("/proc/self/status") if l.startswith(key)).split()[1])
read_report(Path({warm!r}))  # the first file of a kind loads what the reader needs
gc.collect()
with open("/proc/self/clear_refs", "w") as handle:
    handle.write("5")  # the resident high-water mark starts again from here
before = status("VmRSS:")
report, _ = read_report(Path({path!r}))
run_checks(report)
print(status("VmHWM:") - before)
"""


def peak_per_report(files: list[Path], per_kind: int = 4) -> dict[str, list[int]]:
    """KB a fresh process's peak resident memory grows by to read and check one report, per kind
    (after one report of the kind has been read, so what is measured is the report, not the imports)."""
    root = str(Path(__file__).resolve().parent.parent)
    by_kind: dict[str, list[Path]] = {}
    for path in files:
        by_kind.setdefault(path.suffix.lower().lstrip("."), []).append(path)
    found: dict[str, list[int]] = {}
    if not Path("/proc/self/clear_refs").exists():
        return found  # Linux only: the peak of one report, not of the imports before it
    for kind, paths in sorted(by_kind.items()):
        for path in paths[1:per_kind + 1]:
            code = _PEAK.format(root=root, path=str(path), warm=str(paths[0]))
            output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=300)
            found.setdefault(kind, []).append(int(output.stdout.strip()))
    return found


def _spin(units: int) -> int:
    total = 0
    for i in range(units):
        total += i
    return total


def machine_scaling(jobs: int, units: int = 12_000_000) -> float:
    """What parallel processes can gain on this machine right now: the same pure-CPU work done
    ``jobs`` times one after the other here, against once in each of ``jobs`` spawned processes
    (their start-up included, as the batch's). On an idle machine ≈ the number of cores; on a
    shared, saturated one it can fall below 1 — the batch cannot do better than this."""
    import multiprocessing

    start = time.perf_counter()
    for _ in range(jobs):
        _spin(units)
    alone = time.perf_counter() - start
    start = time.perf_counter()
    with multiprocessing.get_context("spawn").Pool(jobs) as pool:
        pool.map(_spin, [units] * jobs)
    return alone / (time.perf_counter() - start)


def kept_per_report(folder: Path) -> float:
    """KB the parent keeps per report after a batch (traced allocations of the result)."""
    from export.batch import run_batch

    tracemalloc.start()
    result = run_batch(folder)
    kept, _peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return kept / 1024 / len(result.entries)


def measure(count: int = 1000, jobs: int | None = None) -> dict:
    from export.batch_plan import plan_sum
    from export.batch_pool import default_jobs
    from export.batch_workbook import write_result

    started = time.perf_counter()
    folder = generate(count)
    generated = time.perf_counter() - started
    files = _files(folder)
    jobs = jobs or default_jobs()
    load_before = os.getloadavg() if hasattr(os, "getloadavg") else None
    scaling = [machine_scaling(jobs)]
    serial, serial_cpu = one_by_one(files)
    result, parallel, parent_cpu, workers_cpu = batch(folder, jobs)
    scaling.append(machine_scaling(jobs))
    serial_again, serial_cpu_again = one_by_one(files)  # interleaved: noise hits both
    result_again, parallel_again, parent_cpu_again, workers_cpu_again = batch(folder, jobs)
    scaling.append(machine_scaling(jobs))
    load_after = os.getloadavg() if hasattr(os, "getloadavg") else None
    kept = kept_per_report(folder / "片区0")
    assert all(e.readable for e in result.entries), [e.outcome.reason for e in result.entries if not e.readable][:3]
    start = time.perf_counter()
    plan = plan_sum(result.entries)
    adding = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as scratch:
        start = time.perf_counter()
        write_result(result_again, Path(scratch) / "核对结果.xlsx")
        workbook = time.perf_counter() - start
    kinds: dict[str, int] = {}
    for path in files:
        kinds[path.suffix.lower()] = kinds.get(path.suffix.lower(), 0) + 1
    peaks = peak_per_report(files)
    serial_s, parallel_s = statistics.median([serial, serial_again]), statistics.median([parallel, parallel_again])
    cpu = {"one_by_one": statistics.median([serial_cpu, serial_cpu_again]),
           "workers": statistics.median([workers_cpu, workers_cpu_again]),
           "parent": statistics.median([parent_cpu, parent_cpu_again])}
    return {
        "cpu_s": cpu,
        # with `jobs` idle cores the workers' CPU time divides among them; the parent's runs beside them
        "idle_projection_s": max(cpu["workers"] / jobs, cpu["parent"]),
        "files": len(files), "kinds": kinds, "jobs": jobs, "cores": os.cpu_count(), "generated_s": generated,
        "serial_s": serial_s, "parallel_s": parallel_s, "speedup": serial_s / parallel_s,
        "runs": {"serial": [serial, serial_again], "parallel": [parallel, parallel_again]},
        "load_before": load_before, "load_after": load_after,
        "worker_peak_mb": max(e.outcome.peak_kb for e in result.entries) / 1024,
        "per_report_peak_kb": {k: {"median": statistics.median(v), "max": max(v)} for k, v in peaks.items()},
        "parent_kept_kb_per_report": kept, "machine_scaling": scaling,
        "sum_adding_s": adding, "sum_total_s": parallel_s + adding, "summed": len(plan.used),
        "workbook_s": workbook,
    }


def province(figures: dict) -> dict:
    scale = PROVINCE / figures["files"]
    return {
        "batch_minutes": figures["parallel_s"] * scale / 60,
        "one_by_one_minutes": figures["serial_s"] * scale / 60,
        "parent_mb": figures["parent_kept_kb_per_report"] * PROVINCE / 1024,
        "workbook_minutes": figures["workbook_s"] * scale / 60,
    }


def report_text(figures: dict) -> str:
    estimate = province(figures)
    load = figures["load_before"], figures["load_after"]
    lines = [
        f"{figures['files']} reports {figures['kinds']}, {figures['jobs']} worker processes on {figures['cores']} cores",
        f"load average before/after: {load[0]} / {load[1]}",
        f"one by one in one process: {figures['serial_s']:.1f} s  (runs {[round(x, 1) for x in figures['runs']['serial']]})",
        f"batch (workers):           {figures['parallel_s']:.1f} s  (runs {[round(x, 1) for x in figures['runs']['parallel']]})",
        f"throughput: {figures['speedup']:.2f}× (budget ≥ 1.6×)  —  {figures['files'] / figures['parallel_s']:.0f} reports/s",
        f"what {figures['jobs']} processes could gain on this machine meanwhile (pure CPU work): "
        f"{[round(x, 2) for x in figures['machine_scaling']]}×; the batch reached "
        f"{figures['speedup'] / statistics.median(figures['machine_scaling']):.0%} of it",
        f"CPU time: one by one {figures['cpu_s']['one_by_one']:.1f} s; batch: workers {figures['cpu_s']['workers']:.1f} s "
        f"+ parent {figures['cpu_s']['parent']:.1f} s — on {figures['jobs']} idle cores ≈ "
        f"{figures['idle_projection_s']:.1f} s, i.e. {figures['cpu_s']['one_by_one'] / figures['idle_projection_s']:.2f}× "
        "(a projection from CPU time, not a measurement)",
        f"per-report peak memory (KB, fresh process): {figures['per_report_peak_kb']}",
        f"worker peak resident memory: {figures['worker_peak_mb']:.0f} MB (cap: 1024 MB address space)",
        f"kept in the parent per report: {figures['parent_kept_kb_per_report']:.1f} KB",
        f"sum over the folder: {figures['sum_total_s']:.1f} s (reading {figures['parallel_s']:.1f} s + adding "
        f"{figures['sum_adding_s'] * 1000:.0f} ms, {figures['summed']} reports)",
        f"result workbook: {figures['workbook_s']:.1f} s",
        f"a province of {PROVINCE:,} units: batch ≈ {estimate['batch_minutes']:.0f} min "
        f"(one by one ≈ {estimate['one_by_one_minutes']:.0f} min), parent ≈ {estimate['parent_mb']:.0f} MB, "
        f"workbook ≈ {estimate['workbook_minutes']:.1f} min",
    ]
    return "\n".join(lines)


def figures_for_run(count: int = 1000) -> list[Figure]:
    figures = measure(count)
    print(report_text(figures))
    return [Figure(f"batch: {figures['files']} reports, workers vs one by one", figures["parallel_s"] * 1000,
                   figures["serial_s"] * 1000, budget_ratio=1 / 1.6)]


FIGURES = [figures_for_run]


def main() -> int:
    parser = argparse.ArgumentParser(description="The batch benchmark")
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--jobs", type=int)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    figures = measure(args.files, args.jobs)
    if args.json:
        print(json.dumps(figures, ensure_ascii=False, indent=2))
    print(report_text(figures))
    ok = print_table([Figure(f"batch: {figures['files']} reports, workers vs one by one", figures["parallel_s"] * 1000,
                             figures["serial_s"] * 1000, budget_ratio=1 / 1.6)])
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
