"""The project's data: speeches, manifest, dictionaries and tips (see README.md in this folder)."""
