"""The command line (typer): parses input, calls one service, shapes the output."""
