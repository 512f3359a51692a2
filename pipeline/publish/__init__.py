"""What people read: the Datasette plugin and metadata, the document view, the exports."""
