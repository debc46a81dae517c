"""Writing annotated notes out: file names, atomic writes, backups."""
