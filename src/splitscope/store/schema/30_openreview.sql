-- OpenReview profiles (sources/openreview/): career and education history, and education-based origin.

CREATE TABLE IF NOT EXISTS openreview_profiles (
    profile_id     VARCHAR PRIMARY KEY,   -- canonical '~Jane_Doe1'
    preferred_name VARCHAR,
    usernames      VARCHAR[],             -- every tilde id of the profile (aliases included)
    email_domains  VARCHAR[],             -- confirmed e-mail domains as the API shows them (no user part)
    source_id      VARCHAR NOT NULL,
    fetched_year   INTEGER NOT NULL       -- a profile shows today's jobs: positions without an end stop here
);

-- One row per history entry. kind: 'education' (student roles) or 'position' (everything else).
CREATE TABLE IF NOT EXISTS profile_history (
    profile_id          VARCHAR NOT NULL,
    entry_order         INTEGER NOT NULL,
    kind                VARCHAR NOT NULL,
    degree_level        VARCHAR,          -- bachelor | master | doctorate, for education entries
    position            VARCHAR,
    institution_name    VARCHAR,
    institution_domain  VARCHAR,
    institution_country VARCHAR,          -- as the profile gives it (ISO alpha-2 when recognisable)
    start_year          INTEGER,
    end_year            INTEGER,
    country             VARCHAR,          -- our answer: given country, else the affiliation resolver
    country_method      VARCHAR,          -- profile | resolver:<method> | unknown
    source_id           VARCHAR NOT NULL,
    PRIMARY KEY (profile_id, entry_order)
);

-- Education-based origin: country of the first bachelor-level degree, else of the first degree.
CREATE TABLE IF NOT EXISTS person_education_origin (
    person_id        VARCHAR PRIMARY KEY,
    profile_id       VARCHAR NOT NULL,
    country          VARCHAR NOT NULL,
    basis            VARCHAR NOT NULL,    -- 'first bachelor-level degree' | 'first degree'
    institution_name VARCHAR,
    start_year       INTEGER,
    evidence         VARCHAR NOT NULL
);

-- The organisation behind a history entry, from the affiliation resolver (resolve/profile_history.py).
ALTER TABLE profile_history ADD COLUMN IF NOT EXISTS org_id VARCHAR;
ALTER TABLE profile_history ADD COLUMN IF NOT EXISTS sector VARCHAR;
