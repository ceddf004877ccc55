"""How the program runs on each desktop, with no Qt: its log file, its standard streams (missing in
the windowed Windows program, in a legacy code page when piped), messages to the clerk when there is
no console, and what happens to an unexpected error. One small module per concern."""
