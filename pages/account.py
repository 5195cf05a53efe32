"""我的账号: change one's own password."""

from ui.session import change_password_page

change_password_page()
