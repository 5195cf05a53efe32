"""Texts of the batch import (数据上报 → 批量导入) and its setting (keys batch.*, settings.batch_*)."""

ZH = {
    "settings.batch_import_for_towns": "允许镇级账号批量导入本镇小区的台账",
    "settings.flags": "权限开关",
    "batch.title": "批量导入",
    "batch.help": (
        "一个文件或工作簿里可以有多个小区的台账行（按“小区编码”区分）。每个小区每个月各自成为一次上报，"
        "按台账分别落库，月报状态为“填报中”。任何一处有问题，整个文件都不导入，所有问题一次列出。"
    ),
    "batch.help_town": "镇级账号只能导入本镇小区的台账；其他镇的行会被逐行指出。",
    "batch.files": "多小区台账文件（CSV 或 Excel）",
    "batch.month": "上报月份（不选则按每行的日期归入月份）",
    "batch.month_from_rows": "按行内日期",
    "batch.checking": "正在检查批量文件…",
    "batch.checked": "检查完成，可以导入",
    "batch.checked_problems": "发现 {n} 个问题，整个文件不会导入",
    "batch.ok_preview": "检查通过：{compounds} 个小区、{months} 个小区月份。确认后一次性导入。",
    "batch.col.compound": "小区",
    "batch.col.month": "月份",
    "batch.col.ledgers": "台账（行数）",
    "batch.col.existing": "已有上报",
    "batch.existing_none": "—",
    "batch.existing_version": "第{version}版",
    "batch.replace_needed": "以下小区月份已上报过文件中的台账，导入将替换它们（其他台账不变，旧版本保留）：{months}",
    "batch.replace_confirm": "确认替换以上小区月份中的这些台账",
    "batch.replace_confirm_rows": "确认替换以上小区月份中的这些台账（共删去 {n} 行）",
    "batch.confirm": "确认批量导入",
    "batch.importing": "正在批量导入…",
    "batch.not_allowed": "批量导入尚未对镇级账号开放，请联系系统管理员在“系统设置”中开启。",
}

EN = {
    "settings.batch_import_for_towns": "Let town officials batch-import the ledgers of their town's compounds",
    "settings.flags": "Permissions",
    "batch.title": "Batch import",
    "batch.help": (
        "One file or workbook may hold ledger rows of several compounds (told apart by the compound code). "
        "Each compound's month becomes its own submission, landing ledger by ledger, and the month is "
        "'in progress'. Any problem anywhere rejects the whole file, with every problem listed."
    ),
    "batch.help_town": "Town officials import only their own town's compounds; rows of other towns are named.",
    "batch.files": "Ledger file of several compounds (CSV or Excel)",
    "batch.month": "Month reported (none: each row goes to the month of its date)",
    "batch.month_from_rows": "From the rows' dates",
    "batch.checking": "Checking the batch file…",
    "batch.checked": "Checked: ready to import",
    "batch.checked_problems": "{n} problems found: nothing in the file will be imported",
    "batch.ok_preview": "Checked: {compounds} compounds, {months} compound-months. Confirm to import them at once.",
    "batch.col.compound": "Compound",
    "batch.col.month": "Month",
    "batch.col.ledgers": "Ledgers (rows)",
    "batch.col.existing": "Already reported",
    "batch.existing_none": "—",
    "batch.existing_version": "version {version}",
    "batch.replace_needed": (
        "These compound-months already hold ledgers in the file; importing replaces them "
        "(other ledgers stay, old versions are kept): {months}"
    ),
    "batch.replace_confirm": "Replace these ledgers of the compound-months above",
    "batch.replace_confirm_rows": "Replace these ledgers of the compound-months above ({n} rows go)",
    "batch.confirm": "Import the batch",
    "batch.importing": "Importing the batch…",
    "batch.not_allowed": "Batch import is not open to town officials; ask an administrator to switch it on in Settings.",
}
