"""Benchmarks: measured as ratios in one run, never in a timed unit test."""
