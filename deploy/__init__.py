"""The scale-out recipe: Streamlit replicas behind nginx (see deploy/README.md)."""
