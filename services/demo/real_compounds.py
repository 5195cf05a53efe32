"""The three real compounds of the county seat: their registry rows and scripted 2020-2021 events.

Published facts (see the shared reference notes): the names, 城隍步行街's type, occupation year,
lack of a property company and its liaison unit, 依云观邸's branch founding date and 观澜城邦's
women's federation in 2020-11. Households, buildings, other dates and the figures of the
scripted works and ballots are invented but plausible.
"""

from __future__ import annotations

import datetime as dt

from services.demo.vocabulary import PROPERTY_COMPANIES

REAL_YIYUN, REAL_GUANLAN, REAL_CHENGHUANG = "依云观邸", "观澜城邦", "城隍步行街"
REAL_COMPOUNDS = {
    REAL_YIYUN: {
        "community": "城东社区",
        "address": "洪川镇滨江路168号",
        "households": 620,
        "buildings": 11,
        "year_occupied": 2013,
        "compound_type": "住宅",
        "branch_founded": dt.date(2020, 3, 25),
        "party_members": 26,
        "property_company": PROPERTY_COMPANIES[0],
        "owners_committee_founded": dt.date(2018, 9, 20),
        "womens_federation_founded": dt.date(2020, 11, 26),
        "volunteers": 38,
        "liaison_unit": "县住建局",
    },
    REAL_GUANLAN: {
        "community": "滨江社区",
        "address": "洪川镇青衣路66号",
        "households": 860,
        "buildings": 14,
        "year_occupied": 2011,
        "compound_type": "住宅",
        "branch_founded": dt.date(2020, 5, 16),
        "party_members": 34,
        "property_company": PROPERTY_COMPANIES[3],
        "owners_committee_founded": dt.date(2019, 6, 12),
        "womens_federation_founded": dt.date(2020, 11, 18),
        "volunteers": 52,
        "liaison_unit": "县民政局",
    },
    REAL_CHENGHUANG: {
        "community": "城南社区",
        "address": "洪川镇城隍街18号",
        "households": 320,
        "buildings": 6,
        "year_occupied": 2014,
        "compound_type": "商住",
        "branch_founded": dt.date(2020, 3, 20),
        "party_members": 12,
        "property_company": None,
        "owners_committee_founded": None,
        "womens_federation_founded": None,
        "volunteers": 24,
        "liaison_unit": "县妇联",
    },
}

_d = dt.date
# name, category, quantity, unit, yuan, funding, planned month, started, completed
REAL_PROJECTS = {
    REAL_YIYUN: (
        ("小区绿化恢复", "绿化", 3000, "平方米", 186000, "业主", "2020-04", _d(2020, 5, 11), _d(2020, 8, 28)),
        ("小区道路黑化改造", "道路铺设", 1211, "米", 605500, "政府", "2020-04", _d(2020, 6, 8), _d(2020, 9, 20)),
        ("地面停车位规划施划", "停车位", 125, "个", 312500, "业主", "2020-08", _d(2020, 9, 15), _d(2020, 10, 30)),
        ("儿童游乐区建设", "儿童游乐设施", 1, "套", 86000, "物业公司", "2020-09", _d(2020, 10, 12), _d(2020, 11, 26)),
        ("健身器材安装", "健身设施", 2, "套", 42000, "政府", "2020-09", _d(2020, 10, 12), _d(2020, 11, 26)),
    ),
    REAL_CHENGHUANG: (
        ("小区大门改造", "大门", 2, "个", 96000, "业主", None, _d(2020, 7, 6), _d(2020, 9, 18)),
        ("单元门禁系统安装", "门禁", 8, "套", 64000, "业主", "2020-09", _d(2020, 10, 9), _d(2020, 12, 15)),
        ("车辆识别道闸安装", "车辆识别", 2, "套", 52000, "业主", None, _d(2021, 3, 8), _d(2021, 4, 22)),
        ("公共区域监控安装", "监控", 36, "个", 68400, "政府", "2021-03", _d(2021, 5, 10), _d(2021, 7, 16)),
    ),
}

# 依云观邸's door-to-door ballots on the 2020 works: day, topic, matter, agreeing share, and the
# day the works were done (落实中 from 20 days after the ballot).
YIYUN_BALLOTS = (
    (_d(2020, 4, 12), "小区道路及停车位改造方案（入户签字）", "重大事项", 0.81, _d(2020, 10, 30)),
    (_d(2020, 4, 26), "绿化恢复及健身、儿童游乐设施建设方案（入户签字）", "重大事项", 0.86, _d(2020, 11, 26)),
    (_d(2020, 8, 9), "地面停车位分配及管理办法（入户签字）", "一般事项", 0.74, _d(2020, 10, 30)),
)

# 城隍步行街's clean-up of 2020, once the branch was founded.
CHENGHUANG_CLEANUPS = (
    (_d(2020, 3, 28), "清理楼道及公共区域堆积物"),
    (_d(2020, 4, 18), "清运积存建筑垃圾"),
    (_d(2020, 5, 16), "疏通下水管道、清理化粪池"),
    (_d(2020, 6, 13), "临街立面及公共区域卫生整治"),
)
