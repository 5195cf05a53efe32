"""Streamlit glue shared by the pages: language, global filters in the URL, cached reads.

Only this package and ``pages/`` import streamlit; everything they show comes from services.
"""
