"""PDFs from domain objects: the printable application, the blank form (reportlab)."""
