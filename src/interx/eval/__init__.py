"""Evaluation: the official evaluator's motion and text input (`evaluator_input`), metrics,
the official-compatible text-motion evaluator, the action evaluator, protocols, reports."""
