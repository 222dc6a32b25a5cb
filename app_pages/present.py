"""Presenter mode: placeholder until the slides land."""

from __future__ import annotations

import streamlit as st

st.title("Present")
