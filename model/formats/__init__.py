"""The official report formats, as data (spec/formats.md)."""

from __future__ import annotations

from model.formats.base import (
    Address,
    Alias,
    Column,
    Layout,
    LayoutCell,
    ReportFormat,
    Role,
    Row,
    Section,
    Table,
    address_text,
)
from model.formats.gov2019 import GOV_2019
from model.formats.gov2021 import GOV_2021

FORMATS: dict[str, ReportFormat] = {fmt.id: fmt for fmt in (GOV_2019, GOV_2021)}
TEXT_SECTIONS = ("preamble", "overview", "problems", "other_matters")
TEXT_HEADINGS = {
    "preamble": "前言",
    "overview": "一、总体情况",
    "problems": "五、存在的主要问题及改进情况",
    "other_matters": "六、其他需要报告的事项",
}


def format_for_year(year: int) -> ReportFormat:
    """The format a report year needs: gov-2019 up to 2020, gov-2021 from 2021 on."""
    for fmt in FORMATS.values():
        if fmt.fits_year(year):
            return fmt
    return GOV_2019 if year < GOV_2019.first_year else GOV_2021


def get_format(format_id: str) -> ReportFormat:
    return FORMATS[format_id]


__all__ = [
    "FORMATS",
    "GOV_2019",
    "GOV_2021",
    "TEXT_HEADINGS",
    "TEXT_SECTIONS",
    "Address",
    "Alias",
    "Column",
    "Layout",
    "LayoutCell",
    "ReportFormat",
    "Role",
    "Row",
    "Section",
    "Table",
    "address_text",
    "format_for_year",
    "get_format",
]
