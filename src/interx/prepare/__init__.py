"""Turning raw releases into processed data and the inputs models and evaluators read."""
