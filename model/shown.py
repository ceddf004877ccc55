"""Text from outside (a file's name, a unit's name read from a file) shown on a terminal or in a progress line.

A file name may hold terminal escape sequences (``\\x1b[2J`` clears the screen, ``\\x1b]0;…\\x07`` retitles the
window, ``\\x9b`` is a one-character CSI on some terminals) or other control characters (a carriage return that
draws over the line, a backspace, bidirectional overrides that show a name reversed). Before it reaches a terminal
every such character is written as a visible escape (``\\x1b``, ``\\u202e``), so the clerk sees what the name holds
and the terminal does nothing it was not told to by us. Line ends are kept only where we asked for them.
"""

from __future__ import annotations

import re

# C0 controls (but the line end), DEL, C1 controls; bidirectional marks and overrides; line/paragraph separators
_UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_UNSAFE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_UNSAFE_JSON = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")  # (C0: escaped already)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal_text(text: str, *, one_line: bool = False) -> str:
    """``text`` with every control character written as a visible escape; ``one_line``: line ends too."""
    return (_UNSAFE_LINE if one_line else _UNSAFE).sub(_escape, text)


def json_text(text: str) -> str:
    """JSON (as json.dumps writes it with ensure_ascii=False) with DEL, C1 controls and bidirectional marks
    written as \\u escapes too: the same JSON value, nothing a terminal acts on."""
    return _UNSAFE_JSON.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)
