"""Theme views of the oversight dashboard: one module per view, every formula once, no streamlit."""
