"""Linli (邻里) services: everything the dashboard does, without any user interface.

Nothing here imports streamlit; pages, exports and the command line
(`python -m services --help`) all call into these modules.
"""
