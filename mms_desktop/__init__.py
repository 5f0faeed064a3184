"""mms-desktop: offline-first grant applications for small civic organisations."""

__version__ = "0.1.0"
