"""ketaguide: a terminal reader for an evidence-based guide to ketamine therapy."""

__version__ = "0.1.0"
