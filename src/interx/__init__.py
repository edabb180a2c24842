"""interx: a toolkit for two-person interaction motion (Inter-X)."""

__version__ = "0.1.0"
