"""splitscope: measure the US-China split in AI research with real, reproducible data."""

__version__ = "0.1.0"
