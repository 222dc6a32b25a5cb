"""Yardstick for the map benchmark: a Streamlit page holding one plotly geo choropleth and nothing else."""

import json
import os

import plotly.graph_objects as go
import streamlit as st

values = json.loads(os.environ["BARE_MAP_VALUES"])
figure = go.Figure(
    go.Choropleth(locations=list(values), z=list(values.values()), locationmode="ISO-3", colorscale="Cividis")
)
figure.update_layout(
    geo={"projection_type": "natural earth", "projection_rotation_lon": 0},
    height=520,
    margin={"l": 0, "r": 0, "t": 10, "b": 0},
)
st.plotly_chart(figure, config={"topojsonURL": "/app/static/topojson/"})
