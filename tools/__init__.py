"""Development tools that need only the Python standard library."""
