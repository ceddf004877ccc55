"""The program as `nianbao [FILE]` starts it, on a real X display, with a probe for the test.

Run as ``python program.py ROOT [FILE]``. The window starts exactly as gui.app.run() starts it;
the test drives it with real X key events (xdotool) and only reads its state through the probe:
each line on stdin is a JSON request {"id", "eval" | "exec"}, answered on stdout as
``PROBE {"id", "value" | "error"}``. Requests run in the GUI thread between events (also while a
modal dialog runs its own event loop), so what they see is what is on the screen.
"""

from __future__ import annotations

import json
import sys
import threading
import traceback
from pathlib import Path

sys.path.insert(0, sys.argv[1])

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QApplication, QToolTip


class Probe(QObject):
    asked = Signal(str)

    def __init__(self, namespace: dict) -> None:
        super().__init__()
        self.namespace = namespace
        self.asked.connect(self.answer, Qt.ConnectionType.QueuedConnection)

    def answer(self, line: str) -> None:
        request = json.loads(line)
        try:
            if "exec" in request:
                exec(request["exec"], self.namespace)
                value = None
            else:
                value = eval(request["eval"], self.namespace)
            reply = json.dumps({"id": request["id"], "value": value}, ensure_ascii=False, default=repr)
        except Exception:
            reply = json.dumps({"id": request["id"], "error": traceback.format_exc()}, ensure_ascii=False)
        sys.stdout.write("PROBE " + reply + "\n")
        sys.stdout.flush()


def _read(probe: Probe) -> None:
    for line in sys.stdin:
        if line.strip():
            probe.asked.emit(line)


def main() -> int:
    from gui.app import open_window

    path = Path(sys.argv[2]) if len(sys.argv) > 2 else None
    window = open_window(path)
    app = QApplication.instance()
    assert app is not None
    namespace = {"window": window, "app": app, "QApplication": QApplication, "QToolTip": QToolTip, "Qt": Qt}
    probe = Probe(namespace)
    threading.Thread(target=_read, args=(probe,), daemon=True).start()
    sys.stdout.write("PROBE {\"id\": 0, \"value\": \"started\"}\n")
    sys.stdout.flush()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
