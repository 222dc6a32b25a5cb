"""Core of the IGF 2012 Statement Explorer: data model, loading, validation and view logic, free of Streamlit."""

__version__ = "0.1.0"
