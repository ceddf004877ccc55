"""The batch's own findings, declared in the rule catalogue (model.catalogue) so that the result
workbook and the per-unit lists name them in Chinese, as they name the checks' rules."""

from __future__ import annotations

from model.catalogue import GROUPS, declare
from model.problems import ERROR, INFO, WARNING

_BATCH = GROUPS[3]

YEAR_MISMATCH = declare("batch.year_mismatch", WARNING, "年度与本批不符",
                        "报告年度不是本批多数报告的年度（如误报了上年的报告），不计入汇总", _BATCH)
FORMAT_MISMATCH = declare("batch.format_mismatch", WARNING, "格式与本批不符",
                          "本批年度的报告使用了另一种格式，不计入汇总", _BATCH)
DUPLICATE = declare("batch.duplicate", WARNING, "重复报送",
                    "同一单位同一年度的另一份报告；说明以哪一份为准、为什么，本文件不计入汇总", _BATCH)
CHOSEN_VERSION = declare("batch.chosen_version", INFO, "重复报送：以此为准",
                         "同一单位报送了多份报告，以本文件为准（文件名标明修改稿、定稿等，或修改时间较晚，或由您指定）", _BATCH)
SUM_MISMATCH = declare("batch.sum_mismatch", WARNING, "本级与下级合计不符",
                       "本级报告的某格与下级单位报告之和不同（本级可能另含本机关自身的数字）", _BATCH)
NAME_GUESS = declare("batch.name_guess", INFO, "上年报告按名称推测",
                     "上年报告的单位名称与本年不同，按共同部分、乡镇更名或简称推测为同一单位", _BATCH)
NO_LAST_YEAR = declare("batch.no_last_year", INFO, "没有上年报告",
                       "上年文件夹中没有该单位的报告（或使用报告文件中保存的上年数据）", _BATCH)
FILE_NAME = declare("batch.file_name", INFO, "按文件名识别",
                    "年度或机关名称取自文件名，或文件名中的年度与报告内容不一致", _BATCH)
UNREADABLE = declare("batch.unreadable", ERROR, "文件无法读取", "文件无法读取，原因见问题说明", _BATCH)
SKIPPED = declare("batch.skipped", INFO, "未核对的文件", "不是报告文件，或是压缩包（请解压后再核对）", _BATCH)
