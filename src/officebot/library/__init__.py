"""The library: ingestion of speeches (text, web pages, Word, PDF) and the knowledge directories."""
