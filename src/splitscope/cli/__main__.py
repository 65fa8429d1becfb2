"""`python -m splitscope.cli`: the same command line as the `splitscope` script."""

from splitscope.cli import app

app()
