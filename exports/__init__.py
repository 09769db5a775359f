"""Writers that turn drafted records into files (DOCX, XLSX, ICS, Markdown, JSON, PNG)."""
