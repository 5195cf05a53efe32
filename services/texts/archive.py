"""Texts of the official decks kept when a month locks (汇报模式's list of official versions;
keys archive.*)."""

ZH = {
    "archive.heading": "正式版本（月份锁定时生成）",
    "archive.help": "月份锁定后，全县和各镇当月的汇报自动生成一次并存档，之后不再改动；上方的汇报按当前数据生成。",
    "archive.none": "本期没有正式版本：只有已锁定月份的全县和各镇汇报才会存档。",
    "archive.none_compound": "正式版本只为全县和各镇生成，单个小区没有。",
    "archive.item": "**{scope} · {period}** · 生成于 {when}（北京时间）",
    "archive.sha": "文件校验值 SHA-256：{sha}",
    "archive.download": "下载正式版 {fmt}",
    "archive.file_suffix": "正式版",
}

EN = {
    "archive.heading": "Official versions (made when the month locked)",
    "archive.help": (
        "When a month locks, the county's and each town's deck for it are made once and kept unchanged; "
        "the deck above is built from the current data."
    ),
    "archive.none": "No official version for this period: only locked months of the county and its towns are kept.",
    "archive.none_compound": "Official versions are kept for the county and its towns, not for single compounds.",
    "archive.item": "**{scope} · {period}** · made {when} (Beijing time)",
    "archive.sha": "File checksum SHA-256: {sha}",
    "archive.download": "Download official {fmt}",
    "archive.file_suffix": "official",
}
