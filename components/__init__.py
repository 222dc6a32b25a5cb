"""Streamlit components: each ``render_*`` draws one thing and returns the user's choice; none loads data."""
