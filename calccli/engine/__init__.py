"""The mathematics: SymPy in, typed results out.  Knows nothing of Typer or Rich."""
