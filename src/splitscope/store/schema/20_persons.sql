-- Person linkage (resolve/persons.py). Filled during `splitscope build` after affiliation resolution.

CREATE TABLE IF NOT EXISTS persons (
    person_id       VARCHAR PRIMARY KEY,  -- 'or:~Jane_Doe1' when anchored by an OpenReview id, else 'p:<hash>'
    display_name    VARCHAR NOT NULL,     -- most frequent name as written
    openreview_id   VARCHAR,
    orcid           VARCHAR,
    n_authorships   INTEGER NOT NULL
);

-- Every authorship maps to exactly one person (a singleton person when linkage is unsure).
CREATE TABLE IF NOT EXISTS authorship_person (
    authorship_id     VARCHAR PRIMARY KEY,
    person_id         VARCHAR NOT NULL,
    match_probability DOUBLE,             -- NULL for hard-evidence and singleton links
    method            VARCHAR NOT NULL,   -- openreview_id | orcid | splink | singleton
    evidence          VARCHAR             -- why: shared id, or the comparison levels that decided it
);
