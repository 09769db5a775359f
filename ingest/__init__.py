"""Loading files into structured text, cleaning it, and cutting it into chunks."""
