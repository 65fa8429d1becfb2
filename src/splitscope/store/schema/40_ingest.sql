-- Ingestion bookkeeping and provenance (sources/, store/write.py).

-- Where each source was last read from, so an unchanged file is skipped without being re-read.
-- sha256 is of the uncompressed bytes (as in sources); size/mtime are of the file on disk.
CREATE TABLE IF NOT EXISTS source_files (
    source_id   VARCHAR PRIMARY KEY,
    path        VARCHAR NOT NULL,
    file_size   BIGINT NOT NULL,
    mtime_ns    BIGINT NOT NULL,
    sha256      VARCHAR NOT NULL
);

-- Per-author facts a source other than the one that created the authorship supplied (today:
-- openreview-authors adding OpenReview ids, e-mail domains, positions to paper-list authorships).
-- authorships holds the merged value (the creating source wins); this table says who said what.
CREATE TABLE IF NOT EXISTS authorship_attributes (
    authorship_id   VARCHAR NOT NULL,
    source_id       VARCHAR NOT NULL,
    openreview_id   VARCHAR,
    orcid           VARCHAR,
    email_domain    VARCHAR,            -- domain only
    position_title  VARCHAR
    -- unique (authorship_id, source_id): checked by store/keys.py
);
