-- What the pipeline last did (store/state.py). A build marks itself running and, once its post-ingest
-- steps are done, complete: a build that finds 'running' follows an interrupted one and relinks persons in
-- full, so the store ends as a clean build would leave it. persons_link says how the current persons were
-- made: 'full' (every record linked together) or 'incremental' (new records joined persons kept whole).
CREATE TABLE IF NOT EXISTS pipeline_state (
    key        VARCHAR PRIMARY KEY,    -- build | persons_link
    value      VARCHAR NOT NULL,
    updated_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);
