"""Taking files in: the batch ingest, the drop-folder watcher, the bounded worker process
(sandbox), the content-addressed store, the "is it finished being written?" check, and the one
folder walker both use."""
