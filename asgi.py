"""Server entry point: the Streamlit app (dashboard.py) plus the small login-cookie routes.

Run with `streamlit run asgi.py` (what `make run` does) or any ASGI server (`uvicorn asgi:app`).
"""

from pathlib import Path

import streamlit as st

from ui.http import ROUTES

app = st.App(str(Path(__file__).resolve().parent / "dashboard.py"), routes=ROUTES)
