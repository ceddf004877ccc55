"""Message boxes without Qt: Windows' MessageBoxW through ctypes, tested through a fake of user32."""

from __future__ import annotations

from runtime import notice


class FakeUser32:
    def __init__(self) -> None:
        self.calls: list[tuple[object, str, str, int]] = []

    def MessageBoxW(self, owner, text, title, flags):  # the Windows name
        self.calls.append((owner, text, title, flags))
        return 1  # IDOK


def test_windows_shows_a_message_box_with_the_icon_asked_for(monkeypatch):
    monkeypatch.delenv("NIANBAO_NO_DIALOGS", raising=False)
    user32 = FakeUser32()
    assert notice.show("年报助手", "用法：nianbao …", "warning", platform="win32", user32=lambda: user32)
    assert user32.calls == [(None, "用法：nianbao …", "年报助手",
                             notice.MB_OK | notice.MB_ICONWARNING | notice.MB_SETFOREGROUND)]
    assert notice.show("年报助手", "出错了", "error", platform="win32", user32=lambda: user32)
    assert user32.calls[-1][3] & 0xF0 == notice.MB_ICONERROR


def test_no_message_box_elsewhere_or_when_turned_off(monkeypatch):
    user32 = FakeUser32()
    assert not notice.show("年报助手", "x", platform="linux", user32=lambda: user32)
    monkeypatch.setenv("NIANBAO_NO_DIALOGS", "1")
    assert not notice.show("年报助手", "x", platform="win32", user32=lambda: user32)
    assert user32.calls == []


def test_a_missing_user32_is_not_an_error(monkeypatch):
    monkeypatch.delenv("NIANBAO_NO_DIALOGS", raising=False)

    def broken():
        raise OSError("no user32 here")

    assert not notice.show("年报助手", "x", platform="win32", user32=broken)


def test_the_real_user32_binding_is_typed():
    """On Windows (the workflow's test job) the real MessageBoxW is bound with its argument types;
    it is not called (a test must not wait for a click)."""
    import sys

    import pytest

    if sys.platform != "win32":
        pytest.skip("Windows only")
    box = notice._user32().MessageBoxW
    assert len(box.argtypes) == 4
