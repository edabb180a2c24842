"""`python -m interx` runs the command line (useful from a source checkout)."""

from interx.cli import app

app(prog_name="interx")
