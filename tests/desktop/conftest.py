"""The real-desktop layer: the program on Xvfb with a window manager (openbox), driven by real X key
events (xdotool), its state read through a probe (tests/desktop/program.py).

These tests see what the offscreen ones cannot: where the keyboard focus goes after a dialog, which
widget a shortcut reaches inside an editor, what stays on screen when a grid scrolls, how the window
manager's close button behaves. They skip when Xvfb, openbox, xdotool or xprop is missing.

Nothing here sleeps for a fixed time to let the program catch up: every step waits for what it
expects (xdotool --sync, or polling the probe) with a generous timeout, as the machine is shared.
Screenshots go to $NIANBAO_SCREENSHOTS when set (else to the test's temporary folder).
"""

from __future__ import annotations

import json
import os
import select
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROGRAM = Path(__file__).resolve().parent / "program.py"
TOOLS = ("Xvfb", "openbox", "xdotool", "xprop")
SCREEN = (1366, 768)
TASKBAR = 40  # px the window manager keeps free at the bottom of the screen, as a desktop's taskbar does
TIMEOUT = 20.0  # seconds for anything to happen on a busy machine
OPENBOX_RC = Path("/etc/xdg/openbox/rc.xml")


def _missing_tools() -> list[str]:
    return [tool for tool in TOOLS if shutil.which(tool) is None]


def _wait(condition, timeout: float, what: str):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        time.sleep(0.05)


def _openbox_config(folder: Path) -> list[str]:
    """openbox's own configuration with the bottom margin of a taskbar: the work area (what Qt calls
    the available geometry) is then 1366 × 728, as on a clerk's laptop, and a dialog or a maximised
    window must fit it. Without the system's configuration, openbox runs as it comes."""
    try:
        text = OPENBOX_RC.read_text(encoding="utf-8")
    except OSError:
        return []
    start, end = text.find("<margins>"), text.find("</margins>")
    if start == -1 or end == -1:
        return []
    margins = f"<margins><top>0</top><bottom>{TASKBAR}</bottom><left>0</left><right>0</right>"
    config = folder / "rc.xml"
    config.write_text(text[:start] + margins + text[end:], encoding="utf-8")
    return ["--config-file", str(config)]


@pytest.fixture(scope="session")
def x_display(tmp_path_factory: pytest.TempPathFactory):
    """A private X display (Xvfb picks a free number itself) with openbox running on it, keeping a
    taskbar's strip free at the bottom."""
    missing = _missing_tools()
    if missing:
        pytest.skip(f"real-desktop tests need {', '.join(missing)}")
    read_end, write_end = os.pipe()
    xvfb = subprocess.Popen(["Xvfb", "-displayfd", str(write_end), "-screen", "0", f"{SCREEN[0]}x{SCREEN[1]}x24",
                             "-nolisten", "tcp", "-noreset"], pass_fds=(write_end,),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write_end)
    number = b""
    deadline = time.monotonic() + TIMEOUT
    while not number.endswith(b"\n"):
        ready, _, _ = select.select([read_end], [], [], max(0.0, deadline - time.monotonic()))
        chunk = os.read(read_end, 16) if ready else b""
        if not chunk:
            xvfb.kill()
            pytest.fail("Xvfb did not report its display number")
        number += chunk
    os.close(read_end)
    display = f":{number.decode().strip()}"
    env = {**os.environ, "DISPLAY": display}
    wm = subprocess.Popen(["openbox", *_openbox_config(tmp_path_factory.mktemp("openbox"))], env=env,
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def wm_ready() -> bool:  # running, with its work area published
        out = subprocess.run(["xprop", "-root", "_NET_SUPPORTING_WM_CHECK", "_NET_WORKAREA"], env=env,
                             capture_output=True, text=True)
        return "window id" in out.stdout and "_NET_WORKAREA(CARDINAL)" in out.stdout

    try:
        _wait(wm_ready, TIMEOUT, "openbox")
        yield display
    finally:
        for process in (wm, xvfb):
            process.terminate()
            try:
                process.wait(5)
            except subprocess.TimeoutExpired:
                process.kill()


class Desktop:
    """The running program: real keys in, its state out through the probe."""

    # the titles of the other top-level windows on screen (message boxes, file dialogs), as an expression
    DIALOGS = ("[w.windowTitle() for w in QApplication.topLevelWidgets() if w.isVisible() and w is not window"
               " and w.windowType() not in (Qt.WindowType.ToolTip, Qt.WindowType.Popup)]")

    def __init__(self, display: str, path: Path | None, shots: Path, *, activate: bool = True) -> None:
        self.display = display
        self.env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb", "LANG": "C.UTF-8"}
        self.env.pop("QT_IM_MODULE", None)
        self.shots = shots
        self._next_id = 1
        command = [sys.executable, str(PROGRAM), str(ROOT)] + ([str(path)] if path else [])
        self.process = subprocess.Popen(command, env=self.env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, text=True, encoding="utf-8")
        self._buffer = ""
        self._read_reply(0)
        self.wait("window.isVisible() and window._after_paint.done", what="the window on screen")
        self.window_id = self.ask("int(window.winId())")
        if activate:  # (not when a dialog is expected to take the keyboard at start: crash recovery)
            self.activate()

    # ---- the probe -------------------------------------------------------------------------
    def _read_reply(self, wanted: int, timeout: float = TIMEOUT):  # type: ignore[no-untyped-def]
        assert self.process.stdout is not None
        deadline = time.monotonic() + timeout
        while True:
            while "\n" in self._buffer:
                line, self._buffer = self._buffer.split("\n", 1)
                if line.startswith("PROBE "):
                    reply = json.loads(line[6:])
                    if reply["id"] == wanted:
                        if "error" in reply:
                            raise AssertionError(f"probe error:\n{reply['error']}")
                        return reply["value"]
            remaining = deadline - time.monotonic()
            ready, _, _ = select.select([self.process.stdout], [], [], max(0.0, remaining))
            if not ready:
                raise TimeoutError(f"no answer from the program (exit code {self.process.poll()}):\n{self.stderr()}")
            chunk = os.read(self.process.stdout.fileno(), 65536).decode("utf-8")
            if not chunk:
                raise AssertionError(f"the program ended (exit code {self.process.wait()}):\n{self.stderr()}")
            self._buffer += chunk

    def _request(self, kind: str, code: str):  # type: ignore[no-untyped-def]
        assert self.process.stdin is not None
        request_id, self._next_id = self._next_id, self._next_id + 1
        self.process.stdin.write(json.dumps({"id": request_id, kind: code}) + "\n")
        self.process.stdin.flush()
        return self._read_reply(request_id)

    def ask(self, expression: str):  # type: ignore[no-untyped-def]
        """The value of a Python expression in the program (names: window, app, QApplication, Qt)."""
        return self._request("eval", expression)

    def do(self, statements: str) -> None:
        self._request("exec", statements)

    def wait(self, expression: str, timeout: float = TIMEOUT, what: str = ""):  # type: ignore[no-untyped-def]
        """Poll until the expression is true; returns its value."""
        last = [None]

        def check():  # type: ignore[no-untyped-def]
            last[0] = self.ask(expression)
            return last[0]

        try:
            return _wait(check, timeout, what or expression)
        except TimeoutError as error:
            raise AssertionError(f"{error}; last value: {last[0]!r}") from None

    def stderr(self) -> str:
        if self.process.poll() is None or self.process.stderr is None:
            return ""
        return self.process.stderr.read()

    # ---- the X side ------------------------------------------------------------------------
    def xdotool(self, *args: str) -> str:
        out = subprocess.run(["xdotool", *args], env=self.env, capture_output=True, text=True, timeout=TIMEOUT)
        assert out.returncode == 0, f"xdotool {' '.join(args)}: {out.stderr}"
        return out.stdout

    def activate(self) -> None:
        self.xdotool("windowactivate", "--sync", str(self.window_id))
        self.wait("QApplication.activeWindow() is window", what="the window active")

    def key(self, *keys: str) -> None:
        """Real key presses, as the keyboard sends them (xdotool's names: ctrl+z, Return, Tab, Next)."""
        self.xdotool("key", "--delay", "60", *keys)

    def type(self, text: str) -> None:
        self.xdotool("type", "--delay", "60", text)

    def wait_dialog(self, title: str) -> None:
        """Wait for a dialog to be on the screen: mapped (the window manager shows it) and active
        (it has the keyboard), so that keys and screenshots reach it."""
        def mapped() -> bool:
            # polled rather than --sync: xdotool's search fails outright (BadWindow) when a window
            # it walks past goes away meanwhile, as the box before this one does
            out = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", f"^{title}$"], env=self.env,
                                 capture_output=True, text=True, timeout=TIMEOUT)
            return out.returncode == 0 and bool(out.stdout.strip())

        _wait(mapped, TIMEOUT, f"the dialog “{title}” on screen")
        self.wait(f"QApplication.activeWindow() is not None and QApplication.activeWindow().windowTitle() == {title!r}",
                  what=f"the dialog “{title}” active")

    def type_file_name(self, path: Path) -> None:
        """Type a path into the file dialog that has the keyboard and open it. The dialog completes
        names as they are typed, which can upset fast typing: what arrived is read back first, and
        typed again when it is not the path."""
        for _attempt in range(3):
            self.key("ctrl+a", "BackSpace")
            self.type(str(path))
            try:
                self.wait(f"QApplication.focusWidget().text() == {str(path)!r}", timeout=5)
                break
            except AssertionError:
                continue
        self.key("Return")

    def pause_typing(self) -> None:
        """The clerk stops typing for a moment: longer than the pause that closes a typing burst
        (the one wait here that must be real time, as the pause is what is tested)."""
        from gui.commands import BURST_PAUSE

        time.sleep(BURST_PAUSE * 1.3)

    def focus_class(self) -> str:
        return self.ask("type(QApplication.focusWidget()).__name__ if QApplication.focusWidget() else None")

    def screenshot(self, name: str) -> Path:
        """The whole X screen (window manager frames and dialogs included)."""
        path = self.shots / f"{name}.png"
        assert self.ask(f"QApplication.primaryScreen().grabWindow(0).save({str(path)!r})")
        return path

    def dialogs(self) -> list[str]:
        """The titles of the other top-level windows on screen (message boxes, file dialogs)."""
        return self.ask(self.DIALOGS)

    def ended(self, timeout: float = TIMEOUT) -> int:
        """Wait for the program to end; its exit code."""
        return self.process.wait(timeout)

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(5)
        for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()


@pytest.fixture
def desktop(x_display, tmp_path):
    """Start the program (``desktop(path)``; no path: a new report); each is ended afterwards."""
    shots = Path(os.environ.get("NIANBAO_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    started: list[Desktop] = []

    def start(path: Path | None = None, *, activate: bool = True) -> Desktop:
        program = Desktop(x_display, path, shots, activate=activate)
        started.append(program)
        return program

    yield start
    for program in started:
        program.close()
