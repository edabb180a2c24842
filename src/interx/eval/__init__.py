"""Evaluation: metrics, the official-compatible text-motion evaluator, the action evaluator, protocols, reports."""
