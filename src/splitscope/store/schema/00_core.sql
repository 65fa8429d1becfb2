-- Canonical tables: the contract between sources/, resolve/ and analysis/.
-- Later stages ADD tables (10_*.sql, 20_*.sql, ...) and columns; they never reshape these.
-- Every statement is idempotent so the schema can be applied on every connect.

-- One row per input read (a paper-list file, an openreview-authors file, a CSV, an API fetch).
-- Reconciliation: records_read = papers_stored + records_merged + records_quarantined.
CREATE TABLE IF NOT EXISTS sources (
    source_id           VARCHAR PRIMARY KEY,   -- e.g. 'paperlists:nips/nips2018', 'openreview-authors:icml/icml2024'
    kind                VARCHAR NOT NULL,      -- paperlists | openreview_authors | conference_csv | openalex | openreview_api
    venue               VARCHAR,               -- lower-case papercopilot venue code (nips, icml, iclr, cvpr, ...)
    year                INTEGER,
    uri                 VARCHAR NOT NULL,      -- file path or URL actually read
    sha256              VARCHAR,               -- of the uncompressed bytes
    bytes               BIGINT,
    records_read        INTEGER NOT NULL DEFAULT 0,
    papers_stored       INTEGER NOT NULL DEFAULT 0,
    records_merged      INTEGER NOT NULL DEFAULT 0, -- records attached to a paper another source already holds
    records_quarantined INTEGER NOT NULL DEFAULT 0,
    loaded_at           TIMESTAMP NOT NULL DEFAULT current_timestamp
);

-- One row per paper or submission. Rejected/withdrawn submissions are kept with accepted = false.
CREATE TABLE IF NOT EXISTS papers (
    paper_id        VARCHAR PRIMARY KEY,       -- '<venue><year>:<source paper id>', e.g. 'nips2018:11127'
    venue           VARCHAR NOT NULL,
    year            INTEGER NOT NULL,
    title           VARCHAR NOT NULL,
    status          VARCHAR,                   -- as the source says (Poster, Oral, Reject, ...)
    track           VARCHAR,
    accepted        BOOLEAN NOT NULL,
    top_tier        BOOLEAN NOT NULL DEFAULT false, -- oral / spotlight / highlight / top-5% where the venue marks it
    keywords        VARCHAR[],
    primary_area    VARCHAR,
    source_id       VARCHAR NOT NULL,          -- the source that created the paper
    source_paper_id VARCHAR,                   -- id inside that source
    openreview_forum_id VARCHAR                -- set for OpenReview venues; joins openreview-authors
);

-- One row per (paper, byline position). Names are stored as written (entities decoded, NFC, spaces folded).
CREATE TABLE IF NOT EXISTS authorships (
    authorship_id   VARCHAR NOT NULL,          -- '<paper_id>#<position>'; unique (store/keys.py)
    paper_id        VARCHAR NOT NULL,
    position        INTEGER NOT NULL,          -- 1-based byline order
    name            VARCHAR NOT NULL,          -- as written; never used to infer nationality or ethnicity
    openreview_id   VARCHAR,                   -- '~Jane_Doe1' when known
    orcid           VARCHAR,
    email_domain    VARCHAR,                   -- domain only; full addresses are never stored
    position_title  VARCHAR,                   -- OpenReview profile 'position' (PhD student, Professor, ...)
    source_id       VARCHAR NOT NULL           -- the source that supplied the name
);

-- One row per affiliation string attached to an authorship ('+' splits one author's several affiliations).
CREATE TABLE IF NOT EXISTS affiliation_mentions (
    authorship_id   VARCHAR NOT NULL,
    mention_order   INTEGER NOT NULL,          -- 1-based within (authorship, source)
    affiliation     VARCHAR NOT NULL,          -- cleaned raw string (entities decoded, NFC, spaces folded)
    source_id       VARCHAR NOT NULL,          -- which source said it (paper list, openreview-authors, csv)
    source_field    VARCHAR NOT NULL,          -- e.g. 'aff', 'Affiliation'
    country_label   VARCHAR,                   -- papercopilot aff_country_unique label; evaluation material only
    basis           VARCHAR                    -- where the string comes from: paper | profile_crawl | openalex (batch.py)
    -- unique (authorship_id, source_id, mention_order): checked by store/keys.py, not an index (see there)
);

-- Every record that did not make it into the tables above, with why.
CREATE TABLE IF NOT EXISTS quarantine (
    source_id   VARCHAR NOT NULL,
    locator     VARCHAR NOT NULL,              -- where in the source: array index, line number, row number
    reason      VARCHAR NOT NULL,
    raw_record  VARCHAR,                       -- the record as read (JSON text or CSV row), e-mail addresses masked
    quarantined_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);

-- Affiliation strings known only per paper: sources whose `aff` is a list of distinct institutions rather
-- than one entry per author (CVPR 2020-2024, ICCV 2021/2023, SIGGRAPH ...), or whose per-author list cannot
-- be aligned with the byline (entries dropped, so positions shift). Usable for paper country sets, not careers.
CREATE TABLE IF NOT EXISTS paper_affiliation_mentions (
    paper_id      VARCHAR NOT NULL,
    mention_order INTEGER NOT NULL,
    affiliation   VARCHAR NOT NULL,
    source_id     VARCHAR NOT NULL,
    source_field  VARCHAR NOT NULL,
    reason        VARCHAR NOT NULL,          -- why not per author: 'per-paper list', 'count mismatch 5 vs 7', ...
    country_label VARCHAR,
    basis         VARCHAR                    -- as affiliation_mentions.basis
    -- unique (paper_id, source_id, mention_order): checked by store/keys.py
);

-- Stores built before the affiliation basis existed gain the column (NULL: resolution derives it from the
-- source's kind where it can, see resolve/affiliations/step.py).
ALTER TABLE affiliation_mentions ADD COLUMN IF NOT EXISTS basis VARCHAR;
ALTER TABLE paper_affiliation_mentions ADD COLUMN IF NOT EXISTS basis VARCHAR;
