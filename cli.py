"""年报助手的命令行入口：不带参数打开窗口；子命令在后台工作（不加载 Qt）。"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse

from model.version import __version__
from runtime.console import program

EXIT_OK, EXIT_ERRORS, EXIT_BAD_INPUT = 0, 1, 2


def _translate(message: str) -> str:
    replacements = {
        "the following arguments are required": "缺少参数",
        "unrecognized arguments": "无法识别的参数",
        "invalid choice": "无效的选择",
        "expected one argument": "需要一个值",
        "invalid int value": "不是整数",
        "argument ": "参数 ",
    }
    for english, chinese in replacements.items():
        message = message.replace(english, chinese)
    return message


def _stderr(message: str) -> None:
    """A message on stderr: names from outside in it (a file's, a unit's) cannot drive the terminal."""
    from model.shown import terminal_text

    print(terminal_text(message), file=sys.stderr)


def _say(message: str) -> None:
    """A line on stdout, control characters in names written as visible escapes (model/shown.py)."""
    from model.shown import terminal_text

    print(terminal_text(message))


def _refuse_overwrite(output: Path, force: bool, source: str | Path | None = None) -> bool:
    """An existing .nianbao may hold work: refuse to overwrite it unless --force; never (even with --force) the
    file the command reads from (``source``), which would be lost with no .bak."""
    if source is not None and output.exists():
        try:
            same = os.path.samefile(output, source)
        except OSError:
            same = False
        if same:
            _stderr(f"“{output}”就是要读取的文件，不能用结果覆盖它；请换一个输出文件名。")
            return True
    if output.exists() and not force:
        _stderr(f"“{output}”已存在，可能保存着工作成果；未覆盖。确需覆盖请加 --force。")
        return True
    return False


def _utf8_stdout() -> None:
    """The JSON output is UTF-8 also on a Chinese Windows console (code page 936)."""
    try:
        sys.stdout.reconfigure(encoding="utf-8")  # type: ignore[union-attr]
    except (AttributeError, ValueError):
        pass


def _parser_class() -> type[argparse.ArgumentParser]:
    """argparse with Chinese headings and error messages (argparse loads only for the commands:
    `nianbao FILE` goes straight to the window)."""
    import argparse

    class ChineseHelpFormatter(argparse.RawDescriptionHelpFormatter):
        def add_usage(self, usage, actions, groups, prefix=None):  # type: ignore[no-untyped-def]
            # argparse passes prefix "" when it builds a subcommand's prog: keep that empty
            return super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)

    class Parser(argparse.ArgumentParser):
        def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
            kwargs.setdefault("formatter_class", ChineseHelpFormatter)
            kwargs.setdefault("add_help", False)
            super().__init__(*args, **kwargs)
            self._positionals.title = "参数"
            self._optionals.title = "选项"
            self.add_argument("-h", "--help", action="help", help="显示此帮助并退出")

        def error(self, message: str) -> None:  # type: ignore[override]
            self.print_usage(sys.stderr)
            self.exit(EXIT_BAD_INPUT, f"{self.prog}：参数有误：{_translate(message)}\n")

    return Parser


def build_parser() -> argparse.ArgumentParser:
    _Parser = _parser_class()
    parser = _Parser(
        prog="nianbao",
        description="年报助手：编制《政府信息公开工作年度报告》。不带参数运行时打开窗口。",
    )
    parser.add_argument("--version", action="version", version=f"年报助手 nianbao {__version__}", help="显示版本号")
    parser.add_argument("--self-test", action="store_true", help="自检：不需要显示器，逐项检查读写、导出和窗口")
    commands = parser.add_subparsers(dest="command", title="命令", metavar="命令", parser_class=_Parser)

    check = commands.add_parser("check", help="核对报告：表格勾稽关系、合计、文字与表格是否一致", description="核对报告并列出问题。")
    check.add_argument("file", metavar="FILE", nargs="?", help="报告文件（.nianbao）")
    check.add_argument("--last-year", metavar="FILE", help="上年报告文件，用于跨年核对（取代文件中保存的上年数据）")
    check.add_argument("--json", action="store_true", help="以 JSON 输出结果（UTF-8）")
    check.add_argument("--rules", action="store_true", help="列出全部核对规则（编号、严重程度、说明），不核对报告")
    check.set_defaults(parser=check)
    export = commands.add_parser("export", help="导出 Word 文档（公文格式）或 Excel 工作簿",
                                 description="把报告导出为 Word 文档和/或 Excel 工作簿。")
    export.add_argument("file", metavar="FILE", help="报告文件（.nianbao）")
    export.add_argument("--docx", metavar="OUT.docx", help="导出 Word 文档到此文件（已存在则替换）")
    export.add_argument("--xlsx", metavar="OUT.xlsx", help="导出 Excel 工作簿到此文件（已存在则替换）")
    export.add_argument("--allow-errors", action="store_true", help="报告有错误时仍然导出")
    export.add_argument("--blank", choices=["0", "/", "空"], default="0",
                        help="未填写的格子在 Word 中印作 0（默认）、“/”或留空")
    export.add_argument("--profile", metavar="NAME|FILE",
                        help="Word 文档的版式：gbt9704（GB/T 9704，不加盖印章）、gbt9704-sealed（加盖印章），"
                             "或版式文件（.json，在窗口“文件 → 页面与版式…”中保存）；不指定时用报告中保存的版式")
    source = commands.add_parser("import", help="导入已发布的报告（PDF、Word、网页、文本）或导出的 Excel 工作簿",
                                 description="读取报告，列出识别结果和发现的问题，保存为 .nianbao 报告文件。")
    source.add_argument("source", metavar="SOURCE", help="已发布的报告（.pdf .docx .doc .html .htm .txt）或年报助手导出的工作簿（.xlsx）")
    source.add_argument("-o", "--output", metavar="OUT.nianbao", required=True, help="保存为此报告文件")
    source.add_argument("--year", type=int, help="报告年度（覆盖文件中识别到的）")
    source.add_argument("--agency", help="机关名称（覆盖文件中识别到的）")
    source.add_argument("--force", action="store_true", help="覆盖已存在的报告文件")
    new = commands.add_parser("new-year", help="从上年报告新建本年报告（结转数、上年数据、沿用文字）",
                              description="以上年的报告文件为起点，生成本年度的报告文件。")
    new.add_argument("last", metavar="LAST.nianbao", help="上年的报告文件")
    new.add_argument("-o", "--output", metavar="NEW.nianbao", required=True, help="保存为此报告文件")
    new.add_argument("--year", type=int, help="新报告的年度（默认上年年度加一）")
    new.add_argument("--force", action="store_true", help="覆盖已存在的报告文件")
    batch = commands.add_parser(
        "batch", help="批量核对一个文件夹中各单位的报告（政务公开办用）",
        description="核对文件夹（含子文件夹）中的全部报告（.nianbao .docx .xlsx 等），按内容识别单位和年度，"
                    "可与上年报告比较、与应报送单位名单对照，结果写入 Excel 工作簿。\n"
                    "退出码：0 全部通过或只有警告；1 有报告存在错误、无法读取，或核对被中断；2 参数或文件夹有误。")
    batch.add_argument("folder", metavar="FOLDER", help="各单位报告所在的文件夹")
    batch.add_argument("-o", "--output", metavar="RESULT.xlsx", help="把核对结果写入此工作簿（已存在则替换）")
    batch.add_argument("--last-year", metavar="FOLDER", help="上年各单位报告所在的文件夹，用于跨年核对")
    batch.add_argument("--expect", metavar="LIST", help="应报送单位名单（.xlsx 或每行一个单位的 .txt），用于列出未报送的单位")
    batch.add_argument("--jobs", type=int, metavar="N", help="同时读取的进程数（默认等于处理器核数；Windows 上最多 30）")
    batch.add_argument("--json", action="store_true", help="以 JSON 输出结果（UTF-8）")
    batch.add_argument("--per-unit", metavar="DIR", help="为每个单位另写一份问题清单（.xlsx）到此文件夹，便于退回")
    total = commands.add_parser(
        "sum", help="把各单位同一年度的报告相加，作为本级报告的起点",
        description="把文件夹中同一年度、同一格式的各单位报告的表三、表四和表二中可相加的数字逐格相加，"
                    "保存为本级报告（.nianbao），可在窗口中打开继续编写。\n"
                    "有文件无法读取、年度或格式不一致、或有单位的报告有错误时不汇总，并一次列出全部原因"
                    "（可用 --year、--partial、--allow-errors 分别接受）。")
    total.add_argument("folder", metavar="FOLDER", help="各单位报告所在的文件夹")
    total.add_argument("-o", "--output", metavar="OUT.nianbao", required=True, help="保存为此报告文件")
    total.add_argument("--agency", metavar="名称",
                       help="本级机关名称（默认取文件夹中的本级报告，或多数单位名称中共有的地名加“人民政府”）")
    total.add_argument("--year", type=int, help="只汇总此年度的报告（其他年度的报告不计入，列出）")
    total.add_argument("--partial", action="store_true",
                       help="有文件无法读取（或是压缩包）、或格式不一致时，仍然汇总其余报告（未计入的文件列出）")
    total.add_argument("--allow-errors", action="store_true",
                       help="有单位的报告有错误时仍然相加（这些单位会列出；本级报告中会带有相同的错误）")
    total.add_argument("--force", action="store_true", help="覆盖已存在的报告文件")
    return parser


class _ProgressBar:
    """A progress bar on the terminal (stderr), redrawn at most ten times a second."""

    NAME_WIDTH = 30  # the file last read, shortened to this many columns (a CJK character takes two)

    def __init__(self, what: str) -> None:
        self.what = what
        self.shown = False
        self.last = 0.0
        self.drawn = 0  # columns of the last line drawn (a shorter one is padded over it)

    def __call__(self, done: int, total: int, outcome: object = None) -> None:
        import time

        now = time.monotonic()
        if done < total and now - self.last < 0.1:
            return
        self.last = now
        width = 30
        filled = width * done // max(total, 1)
        line = f"{self.what} [{'#' * filled}{'-' * (width - filled)}] {done}/{total}"
        path = getattr(outcome, "path", None)
        if path:
            line += " " + _short_name(Path(path).name, self.NAME_WIDTH)
        columns = _columns(line)
        sys.stderr.write("\r" + line + " " * max(0, self.drawn - columns))
        sys.stderr.flush()
        self.drawn = columns
        self.shown = True

    def finish(self) -> None:
        if self.shown:
            sys.stderr.write("\n")
            sys.stderr.flush()
            self.shown = False


def _columns(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _short_name(name: str, width: int) -> str:
    """A file name for the progress line: control characters escaped (model/shown.py), at most ``width`` columns."""
    from model.shown import terminal_text

    shown = terminal_text(name, one_line=True)
    if _columns(shown) <= width:
        return shown
    while shown and _columns(shown) > width - 1:
        shown = shown[:-1]
    return shown + "…"


def _progress(what: str) -> _ProgressBar | None:
    return _ProgressBar(what) if sys.stderr.isatty() else None


def _run_batch(what: str, folder: str, **options: object):  # type: ignore[no-untyped-def]
    """The batch over a folder with a progress bar; the result, or None when it cannot start (said)."""
    from export.batch import BatchError, run_batch

    bar = _progress(what)
    try:
        return run_batch(folder, progress=bar, **options)  # type: ignore[arg-type]
    except BatchError as error:
        _stderr(error.message)
        return None
    finally:
        if bar:
            bar.finish()


def cmd_batch(args: argparse.Namespace) -> int:
    from export.batch import FAILED, PASSED, UNREADABLE, result_json
    from model.problems import ERROR
    from model.shown import json_text
    from model.store import StoreError

    if args.jobs is not None and args.jobs < 1:
        _stderr("--jobs 应是不小于1的整数")
        return EXIT_BAD_INPUT
    outputs = tuple(Path(p) for p in (args.output, args.per_unit) if p)
    result = _run_batch("核对中", args.folder, last_year=args.last_year, expect=args.expect, jobs=args.jobs,
                        exclude=outputs)
    if result is None:
        return EXIT_BAD_INPUT
    if result.interrupted:
        _stderr(f"已中断：已读取{len(result.entries)}份报告，其余未核对；已核对的结果照常写出。")
    try:
        if args.output:
            from export.batch_workbook import write_result

            write_result(result, args.output)
        if args.per_unit:
            from export.batch_workbook import write_unit_lists

            written = write_unit_lists(result, args.per_unit)
    except StoreError as error:
        _stderr(error.message)
        return EXIT_BAD_INPUT
    if args.json:
        _utf8_stdout()
        print(json_text(json.dumps(result_json(result), ensure_ascii=False, indent=2)))
        return result.exit_code
    counts = result.counts()
    _say(f"{f'{result.year}年度' if result.year else ''}报告核对：共 {len(result.entries)} 份（"
          + "，".join(f"{status} {n}" for status, n in counts.items()) + f"），用时 {result.elapsed:.1f} 秒")
    for entry in result.entries:
        if entry.status == PASSED:
            continue
        errors, warnings, _infos, _dismissed = entry.counts()
        detail = entry.outcome.reason if entry.status == UNREADABLE else f"{errors} 个错误、{warnings} 个警告"
        _say(f"[{entry.status}] {entry.name}（{entry.rel}）：{detail}")
        if entry.status == FAILED:
            for problem in entry.problems:
                if problem.severity == ERROR:
                    _say(f"    {problem.message}")
    if result.expected is not None:
        missing = [x.name for x in result.expected if x.situation == "未报送"]
        _say(f"未报送：{'、'.join(missing) if missing else '无'}")
    elif result.gone:
        _say(f"上年有报告、本年未收到：{'、'.join(o.agency for o in result.gone)}")
    if result.level is not None:
        _say(f"本级报告“{result.level.agency}”与{len(result.contributors)}个下级单位的合计："
              + (f"{len(result.differences)} 处不同（见警告）" if result.differences else "逐格相同"))
    for file, why in result.skipped:
        _say(f"未核对：{file}（{why}）")
    if args.output:
        _say(f"核对结果已写入：{args.output}")
    if args.per_unit:
        _say(f"各单位问题清单（{len(written)} 份）已写入：{args.per_unit}")
    return result.exit_code


def cmd_sum(args: argparse.Namespace) -> int:
    from export.batch_plan import first_error, plan_sum
    from export.batch_sum import SumRefused, unsummed_cells
    from model import store
    from model.problems import cell_name

    output = Path(args.output)
    if _refuse_overwrite(output, args.force):
        return EXIT_BAD_INPUT
    result = _run_batch("读取中", args.folder, exclude=(output,))
    if result is None:
        return EXIT_BAD_INPUT
    if result.interrupted:
        _stderr("已中断，未汇总。")
        return EXIT_ERRORS
    try:
        plan = plan_sum(result.entries, agency=args.agency, year=args.year,
                        archives=[result.relative(a.path) for a in result.archives])
    except SumRefused as error:
        _stderr(error.message)
        return EXIT_BAD_INPUT
    blocking = plan.blocking(partial=args.partial, allow_errors=args.allow_errors)
    if len(blocking) == 1:
        _stderr(f"未汇总：{blocking[0].command_line()}。")
    elif blocking:
        _stderr(f"未汇总，原因有{len(blocking)}个：")
        for number, reason in enumerate(blocking, 1):
            _stderr(f"{number}. {reason.command_line()}。")
    if blocking:
        return EXIT_BAD_INPUT
    report = plan.report
    assert report is not None
    try:
        store.save(report, output, backup=False)
    except store.StoreError as error:
        _stderr(error.message)
        return EXIT_BAD_INPUT
    if report.meta.agency:
        source = f"，名称取自{plan.agency_from}" if plan.agency_from and plan.agency_from != "指定" else ""
        named = f"{report.meta.agency}{source}"
    else:
        named = "未能确定本级机关名称：各单位名称中没有多数共有的地名，请在窗口“基本信息”中填写，或用 --agency 指定"
    _say(f"已把 {len(plan.used)} 份{report.meta.year}年度报告（{report.format.name}）相加，"
          f"保存为本级报告：{output}（{named}）")
    if plan.with_errors:
        _say(f"注意：{len(plan.with_errors)} 个单位的报告有错误，已照常相加（--allow-errors），"
              "本级报告中相应的格子会带有这些错误，请督促这些单位改正：")
        for entry in plan.with_errors:
            _say(f"    有错误：{entry.name}（{entry.rel}）：{first_error(entry)}")
    for entry in plan.used:
        mark = "（有错误）" if entry in plan.with_errors else ""
        _say(f"计入{mark}：{entry.agency}（{entry.rel}）")
    for item in plan.left_out:
        _say(f"未计入：{item.name}（{item.rel}）：{item.why}")
    for address, why in unsummed_cells(report.format):
        _say(f"未相加：{cell_name(report, address)}——{why}")
    _say(f"正文、成文日期和以上未相加的栏目请在窗口中填写：nianbao {output}")
    return EXIT_OK


def cmd_new_year(args: argparse.Namespace) -> int:
    from model import store
    from model.carryover import new_year

    output = Path(args.output)
    if _refuse_overwrite(output, args.force, args.last):
        return EXIT_BAD_INPUT
    try:
        last = store.load(args.last)
    except store.StoreError as error:
        _stderr(error.message)
        return EXIT_BAD_INPUT
    if args.year is not None and args.year <= last.meta.year:
        _stderr(f"新报告的年度（{args.year}）应晚于上年报告的年度（{last.meta.year}）")
        return EXIT_BAD_INPUT
    conversion = new_year(last, args.year)
    try:
        store.save(conversion.report, output, backup=False)
    except store.StoreError as error:
        _stderr(error.message)
        return EXIT_BAD_INPUT
    report = conversion.report
    _say(f"已生成 {report.meta.year} 年度报告：{output}（{report.format.name}）")
    for note in conversion.notes:
        print(f"说明：{note}")
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    from export.importing import ImportFailed
    from model import store
    from model.problems import SEVERITY_NAMES

    output = Path(args.output)
    if _refuse_overwrite(output, args.force, args.source):
        return EXIT_BAD_INPUT
    from export.reading import read_source

    try:
        result = read_source(args.source, year=args.year, agency=args.agency)
    except ImportFailed as error:
        _stderr(error.message)
        return EXIT_BAD_INPUT
    report = result.report
    report.import_problems = tuple(result.problems)  # kept in the file: the window lists them under 导入时发现
    for line in result.recognised:
        print(f"识别：{line}")
    for problem in result.problems:
        print(f"[{SEVERITY_NAMES[problem.severity]}] {problem.message}")
    try:
        store.save(report, output, backup=False)
    except store.StoreError as error:
        _stderr(error.message)
        return EXIT_BAD_INPUT
    _say(f"已保存：{output}（{len(result.problems)} 个导入问题）")
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from model import store
    from model.checks import run_checks
    from model.problems import summarize

    if not args.docx and not args.xlsx:
        _stderr("请用 --docx 和/或 --xlsx 指定要导出的文件")
        return EXIT_BAD_INPUT
    if args.docx and args.xlsx and os.path.abspath(args.docx) == os.path.abspath(args.xlsx):
        _stderr(f"--docx 和 --xlsx 是同一个文件“{args.docx}”：Excel 会把 Word 文档覆盖掉，请用两个文件名")
        return EXIT_BAD_INPUT
    profile = None
    if args.profile:
        from model.profile import ProfileError, resolve_profile

        try:
            profile = resolve_profile(args.profile)
        except ProfileError as error:
            _stderr(error.message)
            return EXIT_BAD_INPUT
    try:
        report = store.load(args.file)
        for target in (args.docx, args.xlsx):
            if target:
                store.check_export_target(Path(target), Path(args.file))
    except store.StoreError as error:
        _stderr(error.message)
        return EXIT_BAD_INPUT
    summary = summarize(run_checks(report))
    if summary.errors and not args.allow_errors:
        _stderr(f"报告有 {summary.errors} 个错误，未导出。请先用 nianbao check 查看并修改，或加 --allow-errors 仍然导出。")
        return EXIT_ERRORS
    try:
        if args.docx:
            from export.docx_writer import WordOptions, write_docx

            write_docx(report, args.docx, WordOptions(blank="" if args.blank == "空" else args.blank, profile=profile))
            _say(f"已导出 Word 文档：{args.docx}")
        if args.xlsx:
            from export.xlsx import write_xlsx

            write_xlsx(report, args.xlsx)
            _say(f"已导出 Excel 工作簿：{args.xlsx}")
    except store.StoreError as error:
        _stderr(error.message)
        return EXIT_BAD_INPUT
    return EXIT_OK


def print_rules(as_json: bool) -> int:
    """The rule catalogue: id, severity, Chinese name and a line of explanation for each rule."""
    from model.catalogue import catalogue, catalogue_lines

    if as_json:
        _utf8_stdout()
        rules = [{"rule": info.id, "severity": info.severity, "name": info.name, "explanation": info.explanation,
                  "group": info.group} for info in catalogue()]
        print(json.dumps({"rules": rules}, ensure_ascii=False, indent=2))
    else:
        print("\n".join(catalogue_lines()))
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from model import store
    from model.checks import run_checks
    from model.problems import SEVERITY_NAMES, summarize

    if args.rules:
        if args.file or args.last_year:
            args.parser.error("--rules 只列出核对规则，不核对报告：请去掉报告文件，或去掉 --rules")
        return print_rules(args.json)
    if not args.file:
        args.parser.error("缺少参数: FILE（或用 --rules 列出全部核对规则）")
    try:
        report = store.load(args.file)
        if args.last_year:
            report.last_year = store.load(args.last_year).baseline()
    except store.StoreError as error:
        _stderr(error.message)
        return EXIT_BAD_INPUT
    problems = run_checks(report)
    summary = summarize(problems)
    if args.json:
        _utf8_stdout()
        output = {
            "file": str(args.file),
            "format": report.format_id,
            "year": report.meta.year,
            "errors": summary.errors,
            "warnings": summary.warnings,
            "infos": summary.infos,
            "problems": [problem.to_json() for problem in problems],
        }
        print(json.dumps(output, ensure_ascii=False, indent=2))
    else:
        print(f"{report.title}（{report.meta.year}年度，{report.format.name}）")
        for problem in problems:
            mark = f"（已忽略：{problem.dismissed}）" if problem.dismissed is not None else ""
            print(f"[{SEVERITY_NAMES[problem.severity]}] {problem.message}{mark}")
        print(f"共 {summary.errors} 个错误、{summary.warnings} 个警告、{summary.infos} 个提示")
    return EXIT_ERRORS if summary.errors else EXIT_OK


def self_test() -> int:
    """An end-to-end smoke run that needs no display: one line per step; 0 only if all passed."""
    import os
    import tempfile
    import time
    import traceback

    os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before Qt is loaded: no display needed
    _utf8_stdout()
    failures = 0
    state: dict = {}

    def step(name: str, action) -> None:  # type: ignore[no-untyped-def]
        nonlocal failures
        start = time.perf_counter()
        try:
            detail = action()
        except Exception as error:  # a self-test reports every failure and goes on
            failures += 1
            print(f"[失败] {name}：{type(error).__name__}: {error}", flush=True)
            if os.environ.get("NIANBAO_DEBUG"):
                traceback.print_exc()
            return
        elapsed = (time.perf_counter() - start) * 1000
        print(f"[通过] {name}（{elapsed:.0f} ms）{('：' + detail) if detail else ''}", flush=True)

    folder = Path(tempfile.mkdtemp(prefix="nianbao-self-test-"))

    def build() -> str:
        from model import store
        from resources import example_report

        report = store.load(example_report())
        report.set_cells({("requests", "received", "natural"): 3, ("requests", "granted", "natural"): 3})
        state["report"] = report
        return f"{report.title}（{report.format_id}）"

    def check() -> str:
        from model.checks import run_checks
        from model.problems import summarize

        summary = summarize(run_checks(state["report"]))
        if summary.errors:
            raise AssertionError(f"示例报告有 {summary.errors} 个错误")
        return summary.text

    def save_load() -> str:
        from model import store

        path = folder / "示例.nianbao"
        store.save(state["report"], path)
        if not store.load(path).content_equals(state["report"]):
            raise AssertionError("读回的报告与保存的不同")
        return str(path)

    def word() -> str:
        from docx import Document

        from export.docx_writer import write_docx
        from export.reading import read_source

        path = folder / "示例.docx"
        write_docx(state["report"], path)
        if not Document(str(path)).paragraphs[0].text.replace("\n", ""):
            raise AssertionError("Word 文档没有标题")
        if read_source(path).report.cells != state["report"].cells:
            raise AssertionError("Word 文档读回的数字不同")
        return str(path)

    def pdf() -> str:
        from export.reading.blocks import TableBlock
        from export.reading.pdf_reader import read_pdf_blocks, sample_pdf

        path = folder / "示例.pdf"
        path.write_bytes(sample_pdf())
        tables = [block for block in read_pdf_blocks(path) if isinstance(block, TableBlock)]
        rows = [[cell.text for cell in tables[0].row_cells(r)] for r in range(len(tables[0].grid))] if tables else []
        if rows != [["Licensing", "12,854,581"], ["Penalty", "3985758"]]:
            raise AssertionError(f"PDF 表格读取结果不对：{rows}")
        return str(path)

    def excel() -> str:
        from export.xlsx import write_xlsx
        from export.xlsx_reader import read_xlsx

        path = folder / "示例.xlsx"
        write_xlsx(state["report"], path)
        if read_xlsx(path).report.cells != state["report"].cells:
            raise AssertionError("Excel 工作簿读回的数字不同")
        return str(path)

    def capped_import() -> str:
        """As the window imports: in a worker process (the frozen program started again), within the caps."""
        from export.capped_import import CappedImport
        from export.importing import ImportResult

        reading = CappedImport(folder / "示例.docx")
        outcome = reading.run()
        if not isinstance(outcome, ImportResult):
            raise AssertionError(getattr(outcome, "message", "") or "处理进程未能读取")
        if outcome.report.cells != state["report"].cells:
            raise AssertionError("处理进程读回的数字不同")
        return f"处理进程 {reading.pid}"

    def qt_parts() -> str:
        from gui.qt_bundle import check_qt_parts

        return check_qt_parts()

    def window() -> str:
        from gui.app import application
        from gui.main_window import MainWindow
        from gui.settings import Settings

        app = application()
        main = MainWindow(Settings(path=folder / "settings.json"), state["report"], folder / "示例.nianbao")
        main.show()
        app.processEvents()
        title = main.windowTitle().replace("[*]", "")
        main.undo_stack.setClean()
        main.close()
        app.processEvents()
        return title

    print(f"年报助手 {__version__} 自检", flush=True)
    for name, action in (("读取示例报告", build), ("核对", check), ("保存并读回", save_load),
                         ("导出并读回 Word", word), ("导出并读回 Excel", excel), ("读取 PDF 表格（PDFium）", pdf),
                         ("在处理进程中导入（内存和时间上限）", capped_import),
                         ("Qt 平台插件和中文翻译", qt_parts), ("打开并关闭窗口（offscreen）", window)):
        step(name, action)
    print("自检通过" if not failures else f"自检失败：{failures} 项", flush=True)
    return EXIT_OK if not failures else EXIT_ERRORS


def open_window(file: str | None) -> int:
    try:
        from gui.app import run
    except ImportError:
        _stderr("窗口界面尚未安装：请使用 nianbao check 等命令（nianbao --help 查看）。")
        return EXIT_BAD_INPUT
    return run(Path(file) if file else None)


def _run_command(command, args: argparse.Namespace) -> int:  # type: ignore[no-untyped-def]
    """A headless command; whatever escapes it ends as a Chinese message and exit 2, never a traceback
    (the readers and the writers turn their own failures into messages; this is the last net)."""
    import os

    from model.oserrors import describe, logged

    out_of_memory = False
    try:
        return command(args)
    except KeyboardInterrupt:
        if args.command not in ("batch", "sum"):
            raise
        # Ctrl+C outside the reading (which writes what it read): while the folder is walked, or the result written
        # (a write in progress removes its temporary file); the workers and their folders are gone already
        _stderr("已中断。")
        return EXIT_ERRORS
    except OSError as error:
        logged(error, f"nianbao {args.command}")
        _stderr(f"操作失败：{describe(error)}")
    except MemoryError:
        if os.environ.get("NIANBAO_DEBUG"):
            raise
        out_of_memory = True  # answered below: once this handler ends, the frames that held the memory are freed
    except (Exception, RecursionError) as error:
        logged(error, f"nianbao {args.command}")
        if os.environ.get("NIANBAO_DEBUG"):
            raise
        _stderr("操作失败：处理文件时出现意外错误（文件可能已损坏或超出程序能处理的范围）。")
    if out_of_memory:
        _out_of_memory(args.command)
    return EXIT_BAD_INPUT


OUT_OF_MEMORY = "操作失败：内存不足，未能完成（文件可能过大或内容异常）。"


def _out_of_memory(command: str) -> None:
    """One Chinese line, never a traceback: the log keeps only the fact (formatting the traceback, which held
    the memory, could itself fail)."""
    import logging

    try:
        logging.getLogger("nianbao").error("nianbao %s: MemoryError", command)
    except MemoryError:
        pass
    _stderr(OUT_OF_MEMORY)


@program  # safe stdout/stderr (the windowed nianbao.exe has none), the log file, the exception hook
def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv == ["--self-test"]:
        return self_test()
    commands = {"check": cmd_check, "export": cmd_export, "import": cmd_import, "new-year": cmd_new_year,
                "batch": cmd_batch, "sum": cmd_sum}
    if not argv or (len(argv) == 1 and not argv[0].startswith("-") and argv[0] not in commands):
        return open_window(argv[0] if argv else None)
    if argv[0] not in commands and all(Path(arg).is_file() for arg in argv):
        # several files dropped on the program's icon (or given on the command line)
        _stderr("一次只能打开一个报告文件，收到了 {} 个：\n{}\n请逐个打开（每次把一个文件拖到图标上，或在窗口中用“打开”）。".format(
            len(argv), "\n".join(f"  {arg}" for arg in argv)))
        return EXIT_BAD_INPUT
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_BAD_INPUT
    return _run_command(commands[args.command], args)


if __name__ == "__main__":
    sys.exit(main())
