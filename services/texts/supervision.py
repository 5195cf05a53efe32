"""Texts of supervision orders, notes on views and the inbox (keys supervision.*, settings.order_*)."""

ZH = {
    "settings.order_sign_days": "督办单签收时限（交办后几天内签收算及时）",
}

EN = {
    "settings.order_sign_days": "Days to sign a supervision order on time",
}
