"""kdeal: deal and mention extraction from Korean business news."""

__version__ = "0.1.0"
