"""The `interx` command line: parses arguments and calls the library."""

from __future__ import annotations

import typer

app = typer.Typer(
    help="interx: read, prepare, evaluate and look at two-person interaction motion (Inter-X).",
    no_args_is_help=True,
    add_completion=False,
)


@app.callback()
def main() -> None:
    """Toolkit for the Inter-X two-person motion dataset."""


if __name__ == "__main__":
    app()
