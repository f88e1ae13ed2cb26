"""forcewatch: the toolkit that checks and publishes the forcewatch dataset."""

__version__ = "0.1.0"
