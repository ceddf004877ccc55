"""A small reader of Inno Setup scripts (.iss) and messages files (.isl), enough for the tests."""

from __future__ import annotations

from pathlib import Path


def sections(text: str) -> dict[str, list[str]]:
    """Section name (lower case) → its lines, without comments and preprocessor lines."""
    found: dict[str, list[str]] = {}
    current = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith((";", "#", "//")):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1].lower()
            found.setdefault(current, [])
        else:
            found.setdefault(current, []).append(line)
    return found


def directives(lines: list[str]) -> dict[str, str]:
    """[Setup]-style "Name=value" lines."""
    return {name.strip().lower(): value.strip() for name, _, value in (line.partition("=") for line in lines)}


def _split(line: str) -> list[str]:
    parts, current, quoted = [], "", False
    for char in line:
        if char == '"':
            quoted = not quoted
        if char == ";" and not quoted:
            parts.append(current)
            current = ""
        else:
            current += char
    parts.append(current)
    return [part.strip() for part in parts if part.strip()]


def entries(lines: list[str]) -> list[dict[str, str]]:
    """[Files]-style "Name: value; Name: "quoted""…" lines, parameter names in lower case."""
    result = []
    for line in lines:
        entry = {}
        for part in _split(line):
            name, _, value = part.partition(":")
            value = value.strip()
            if value.startswith('"') and value.endswith('"'):
                value = value[1:-1].replace('""', '"')
            entry[name.strip().lower()] = value
        result.append(entry)
    return result


def windows_path(base: Path, value: str) -> Path:
    return (base / value.replace("\\", "/")).resolve()


def messages(path: Path) -> dict[tuple[str, str], str]:
    """(section, name) → text of a .isl file."""
    result = {}
    for section, lines in sections(path.read_text(encoding="utf-8-sig")).items():
        for line in lines:
            name, _, value = line.partition("=")
            result[(section, name.strip())] = value
    return result
