"""Command-line interface: parses input, calls the core, renders the result."""
