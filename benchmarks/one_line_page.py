"""Yardstick: a one-line Streamlit page."""

import streamlit as st

st.write("one line")
