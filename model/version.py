"""The program's name and version, shared by the command line, the window and the exports."""

APP_NAME = "年报助手"
__version__ = "0.1.0"
