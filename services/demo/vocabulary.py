"""Word lists and weights the demo county is drawn from (generated names, no real people).

Every category, unit, channel and funding source here must be one of the vocabularies in
``services.domain``; ``_check_against_domain`` enforces that at import, so the demo cannot
drift from what the importer and the metrics accept.
"""

from __future__ import annotations

from services import domain

ESTATE_PREFIXES = (
    "滨江",
    "锦绣",
    "青衣",
    "瓦屋",
    "桂花",
    "翠湖",
    "金桂",
    "银杏",
    "碧水",
    "阳光",
    "世纪",
    "东方",
    "书香",
    "丽景",
    "御景",
    "紫薇",
    "玉兰",
    "蓝湾",
    "竹韵",
    "茶香",
    "玉屏",
    "洪州",
    "江畔",
    "南山",
    "东湖",
    "西岭",
    "和谐",
    "幸福",
    "康乐",
    "嘉和",
    "润泽",
    "金色",
    "明珠",
    "枫林",
    "荷塘",
    "兰亭",
    "天悦",
    "云顶",
    "水岸",
    "时代",
    "怡馨",
    "凤凰",
    "东城",
    "西城",
    "半岛",
    "上城",
    "清溪",
    "花语",
    "香樟",
    "绿洲",
    "望江",
    "观山",
    "雅韵",
    "春晖",
    "朝阳",
    "星河",
    "白鹭",
    "柳岸",
    "芙蓉",
    "翡翠",
)
ESTATE_SUFFIXES = (
    "花园",
    "家园",
    "苑",
    "小区",
    "雅居",
    "名城",
    "广场",
    "华庭",
    "公馆",
    "佳苑",
    "雅苑",
    "尚城",
    "嘉园",
    "丽都",
    "府",
    "湾",
    "庭院",
    "新城",
)
OLD_WORK_UNITS = (
    "粮站",
    "供销社",
    "农机厂",
    "茶厂",
    "丝厂",
    "水泥厂",
    "酒厂",
    "林业站",
    "运输公司",
    "电力",
    "邮电",
    "糖厂",
    "食品站",
    "印刷厂",
    "建安公司",
)
OLD_SUFFIXES = ("宿舍", "家属院", "家属区", "生活区")
RESETTLEMENT_SUFFIXES = ("安置小区", "新村", "安置房")
SEAT_STREETS = (
    "滨江路",
    "青衣路",
    "洪州大道",
    "建设路",
    "迎宾路",
    "花园路",
    "新华路",
    "桂花街",
    "瓦屋路",
    "翠湖路",
    "体育路",
    "文化路",
    "学府路",
    "东环路",
    "西环路",
    "南街",
    "北街",
    "广场路",
    "雅州路",
)
TOWN_STREETS = ("正街", "新街", "河滨路", "场镇路", "东街", "西街", "中心街", "新农路")
SEAT_COMMUNITIES = ("城东社区", "城西社区", "城南社区", "城北社区", "滨江社区", "新城社区", "青衣社区")
TOWN_COMMUNITY_WORDS = ("东街", "西街", "新街", "河滨", "新村", "场镇")
PROPERTY_COMPANIES = tuple(
    f"洪雅县{w}物业服务有限公司"
    for w in ("青衣", "瓦屋", "雅韵", "锦程", "安和", "恒泰", "德润", "康居", "瑞禾", "嘉诚", "祥和", "润和")
)
LIAISON_UNITS = (
    "县妇联",
    "县住建局",
    "县民政局",
    "县委组织部",
    "县财政局",
    "县卫健局",
    "县教育局",
    "县司法局",
    "县公安局",
    "县城管局",
    "县人社局",
    "县市场监管局",
    "县应急管理局",
    "县农业农村局",
    "县自然资源局",
    "县总工会",
    "团县委",
)
COMPOUND_TYPE_WEIGHTS_SEAT = {"住宅": 64, "老旧小区": 20, "安置": 8, "商住": 8}
COMPOUND_TYPE_WEIGHTS_TOWN = {"住宅": 50, "老旧小区": 22, "安置": 22, "商住": 6}

# Spring Festival (lunar new year) dates; home visits happen in the three weeks before.
SPRING_FESTIVAL = {
    2015: (2, 19),
    2016: (2, 8),
    2017: (1, 28),
    2018: (2, 16),
    2019: (2, 5),
    2020: (1, 25),
    2021: (2, 12),
    2022: (2, 1),
    2023: (1, 22),
    2024: (2, 10),
    2025: (1, 29),
    2026: (2, 17),
    2027: (2, 6),
    2028: (1, 26),
    2029: (2, 13),
    2030: (2, 3),
    2031: (1, 23),
    2032: (2, 11),
    2033: (1, 31),
    2034: (2, 19),
    2035: (2, 8),
}
SEASON = {1: 1.1, 2: 1.0, 3: 1.2, 4: 1.0, 5: 1.0, 6: 1.2, 7: 1.1, 8: 0.9, 9: 1.1, 10: 1.1, 11: 0.9, 12: 0.9}
SUBMISSION_DELAY_WEIGHTS = {1: 30, 2: 25, 3: 20, 4: 14, 5: 11}  # days after month end, when on time

ACTIVITY_NAMES = {
    "志愿服务": (
        "志愿者清扫楼道",
        "为老年人义务理发",
        "志愿者夜间巡逻",
        "义务维修小家电",
        "关爱空巢老人志愿服务",
        "文明劝导志愿服务",
        "志愿者清理小广告",
    ),
    "文化活动": ("广场舞展演", "邻里百家宴", "书法绘画进小区", "电影放映进小区", "邻里趣味运动会", "读书分享会"),
    "宣传教育": (
        "反诈宣传进小区",
        "垃圾分类宣传",
        "消防安全知识讲座",
        "《民法典》宣传",
        "禁毒宣传",
        "健康知识讲座",
        "文明养犬宣传",
    ),
    "便民服务": ("义诊进小区", "免费测血压血糖", "便民维修服务", "社保政策咨询", "磨刀补鞋便民服务"),
    "议事协商": (
        "停车管理议事会",
        "院落环境改造议事会",
        "物业服务质量评议会",
        "电动车充电桩设置议事会",
        "楼栋长议事会",
    ),
    "环境整治": ("楼道杂物清理", "清理卫生死角", "绿化带垃圾清理", "清理违规张贴小广告"),
    "其他": ("楼栋长培训", "新业主见面会", "网格员入户信息核实"),
}
MONTH_ACTIVITY_NAMES = {
    ("文化活动", 2): "元宵节猜灯谜",
    ("文化活动", 5): "端午节包粽子活动",
    ("文化活动", 9): "中秋邻里联欢会",
    ("文化活动", 10): "重阳节敬老联欢",
    ("志愿服务", 3): "“学雷锋”志愿服务活动",
    ("环境整治", 4): "“爱国卫生月”大扫除",
    ("宣传教育", 6): "防汛安全宣传",
    ("宣传教育", 11): "冬季消防安全宣传",
}
BRANCH_MEETING_NAMES = ("主题党日活动", "支部委员会会议", "党员大会", "“三会一课”党课学习")
ACTIVITY_TYPE_WEIGHTS = {
    "志愿服务": 25,
    "文化活动": 18,
    "宣传教育": 15,
    "便民服务": 15,
    "议事协商": 12,
    "环境整治": 10,
    "其他": 5,
}

CASE_CATEGORY_WEIGHTS: dict[str, dict[str, float]] = {
    "诉求": {"物业服务": 24, "环境卫生": 18, "设施维修": 22, "停车": 12, "费用": 8, "治安": 4, "噪音": 4, "其他": 8},
    "纠纷": {"停车": 24, "噪音": 20, "邻里关系": 22, "违章搭建": 10, "物业服务": 10, "费用": 8, "环境卫生": 6},
}
CASE_SUMMARIES = {
    "物业服务": ("反映物业保洁不及时", "反映电梯维保不到位", "反映门岗值守不到位", "对物业服务质量不满"),
    "停车": ("车辆占用消防通道", "外来车辆长期占用车位", "电动车停放充电问题", "车位分配有争议"),
    "噪音": ("楼上装修噪音扰民", "广场舞音响声音过大", "临街商铺夜间噪音", "空调外机噪音"),
    "违章搭建": ("顶楼违规搭建", "一楼住户私自圈占绿地", "阳台违规外扩"),
    "邻里关系": ("楼上漏水引发邻里矛盾", "宠物扰邻", "楼道堆物引发争执"),
    "环境卫生": ("垃圾清运不及时", "楼道堆放杂物", "化粪池异味", "绿化带杂草未清理"),
    "设施维修": ("单元门禁损坏", "路灯不亮", "下水管道堵塞", "屋面渗漏", "电梯故障"),
    "治安": ("夜间有陌生人员进出", "电动车电瓶被盗", "监控存在盲区"),
    "费用": ("对公摊水电费有异议", "卫生费收取标准咨询", "物业费调价有异议"),
    "其他": ("咨询社保办理", "咨询老年证办理", "咨询户籍业务"),
}
RESPONSE_DAYS_WEIGHTS = {0: 30, 1: 25, 2: 15, 3: 10, 4: 8, 5: 5, 6: 4, 7: 3}  # days to the first reply
SATISFACTION_WEIGHTS = {"满意": 55, "基本满意": 30, "不满意": 7, "未评价": 8}

# category -> (unit, quantity range, yuan per unit range, months to build range, names)
FACILITY_SPECS = {
    "道路铺设": ("米", (120, 1500), (300, 700), (1, 4), ("小区道路黑化改造", "主干道破损路面修复")),
    "停车位": ("个", (20, 180), (1200, 4000), (0, 2), ("地面停车位规划施划", "新增停车位")),
    "绿化": ("平方米", (300, 4000), (40, 150), (1, 3), ("小区绿化补植", "绿化恢复提升")),
    "健身设施": ("套", (1, 3), (8000, 30000), (0, 1), ("健身器材安装", "健身步道及器材建设")),
    "儿童游乐设施": ("套", (1, 2), (30000, 120000), (0, 2), ("儿童游乐区建设", "儿童游乐设施更新")),
    "大门": ("个", (1, 3), (20000, 80000), (0, 2), ("小区大门改造", "出入口岗亭及大门建设")),
    "门禁": ("套", (2, 12), (3000, 12000), (0, 1), ("单元门禁系统安装", "人脸识别门禁安装")),
    "车辆识别": ("套", (1, 3), (15000, 35000), (0, 1), ("车辆识别道闸安装",)),
    "监控": ("个", (8, 60), (800, 2500), (0, 2), ("公共区域监控安装", "监控系统升级")),
    "照明": ("个", (10, 80), (800, 3000), (0, 1), ("楼道及路灯照明改造", "太阳能路灯安装")),
    "消防": ("处", (2, 20), (2000, 8000), (0, 1), ("消防设施维修更换", "消防通道标识施划")),
    "加装电梯": ("部", (1, 4), (450000, 750000), (4, 10), ("既有住宅加装电梯",)),
    "其他": ("米", (80, 800), (400, 1200), (1, 4), ("雨污分流管网改造",)),
}
FACILITY_WEIGHTS = {
    "道路铺设": 8,
    "停车位": 10,
    "绿化": 10,
    "健身设施": 8,
    "儿童游乐设施": 5,
    "大门": 5,
    "门禁": 10,
    "车辆识别": 7,
    "监控": 12,
    "照明": 10,
    "消防": 8,
    "加装电梯": 0,
    "其他": 3,
}
ELEVATOR_FUNDING_WEIGHTS = {"政府": 5, "业主": 5}
OLD_COMPOUND_FUNDING_WEIGHTS = {"政府": 60, "维修基金": 12, "业主": 18, "社会捐赠": 4, "物业公司": 6}
FUNDING_WEIGHTS = {"维修基金": 25, "业主": 22, "政府": 20, "社会捐赠": 4, "其他": 2}
MANAGED_FUNDING_WEIGHTS = FUNDING_WEIGHTS | {"物业公司": 27}  # with a property company

VOTE_TOPICS = (
    ("续聘物业服务企业", "一般事项"),
    ("选聘物业服务企业", "一般事项"),
    ("修订《管理规约》", "一般事项"),
    ("调整停车收费标准", "一般事项"),
    ("增设电动车充电桩", "一般事项"),
    ("公共收益使用方案", "一般事项"),
    ("使用专项维修资金维修屋面防水", "一般事项"),
    ("业主委员会换届选举", "一般事项"),
    ("调整卫生费收取标准", "一般事项"),
    ("筹集专项维修资金", "重大事项"),
    ("小区道路及停车位改造方案", "重大事项"),
    ("架空层改作居民活动室", "重大事项"),
    ("利用共有部分设置广告位", "重大事项"),
)
ELEVATOR_TOPIC = ("既有住宅加装电梯（单元）", "重大事项")

DISCLOSURE_CHANNEL_WEIGHTS = {"微信群": 60, "公示栏": 35, "业主大会": 5}  # the compound's usual channel
OCCASIONAL_CHANNEL_WEIGHTS = {"微信群": 50, "公示栏": 45, "业主大会": 5}  # a month it uses another


def _check_against_domain() -> None:
    funding = (ELEVATOR_FUNDING_WEIGHTS, OLD_COMPOUND_FUNDING_WEIGHTS, MANAGED_FUNDING_WEIGHTS)
    checks = (
        ("compound type", {*COMPOUND_TYPE_WEIGHTS_SEAT, *COMPOUND_TYPE_WEIGHTS_TOWN}, domain.COMPOUND_TYPES),
        (
            "activity type",
            {*ACTIVITY_TYPE_WEIGHTS, *ACTIVITY_NAMES, *(t for t, _ in MONTH_ACTIVITY_NAMES)},
            domain.ACTIVITY_TYPES,
        ),
        ("case kind", set(CASE_CATEGORY_WEIGHTS), domain.CASE_KINDS),
        (
            "case category",
            {c for w in CASE_CATEGORY_WEIGHTS.values() for c in w} | set(CASE_SUMMARIES),
            domain.CASE_CATEGORIES,
        ),
        ("satisfaction", set(SATISFACTION_WEIGHTS), domain.SATISFACTION),
        ("facility category", {*FACILITY_SPECS, *FACILITY_WEIGHTS}, domain.FACILITY_CATEGORIES),
        ("facility unit", {spec[0] for spec in FACILITY_SPECS.values()}, domain.FACILITY_UNITS),
        ("funding source", {s for w in funding for s in w}, domain.FUNDING_SOURCES),
        ("vote matter", {m for _, m in (*VOTE_TOPICS, ELEVATOR_TOPIC)}, domain.VOTE_MATTERS),
        ("disclosure channel", {*DISCLOSURE_CHANNEL_WEIGHTS, *OCCASIONAL_CHANNEL_WEIGHTS}, domain.DISCLOSURE_CHANNELS),
    )
    for what, used, allowed in checks:
        if unknown := sorted(used - set(allowed)):
            raise RuntimeError(f"demo vocabulary: {what} not in services.domain: {unknown}")


_check_against_domain()
