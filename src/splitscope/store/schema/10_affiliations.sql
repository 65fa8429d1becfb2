-- Affiliation resolution (resolve/affiliations.py). Filled during `splitscope build` after ingestion.

-- The registry as used for the last resolution (curated YAML + world universities list + ROR imports).
CREATE TABLE IF NOT EXISTS orgs (
    org_id          VARCHAR PRIMARY KEY,
    name            VARCHAR NOT NULL,
    country         VARCHAR,            -- ISO 3166-1 alpha-2; NULL for multi-site organisations
    default_country VARCHAR,            -- multi-site: used when nothing in the string says where
    sector          VARCHAR NOT NULL,   -- education | company | government | nonprofit | facility
    parent_id       VARCHAR,
    source          VARCHAR             -- curated file, world-universities, ror
);

-- One row per distinct (affiliation string, e-mail domain) pair, resolved once and joined back.
-- affiliation = '' when only the e-mail domain is known; email_domain = '' when none is known.
CREATE TABLE IF NOT EXISTS affiliation_resolutions (
    affiliation            VARCHAR NOT NULL,
    email_domain           VARCHAR NOT NULL,
    normalised_affiliation VARCHAR,
    org_id                 VARCHAR,     -- NULL when unknown
    country                VARCHAR,     -- ISO alpha-2 (HK, MO, TW their own); NULL when unknown
    sector                 VARCHAR,
    method                 VARCHAR NOT NULL, -- alias | location | domain | fuzzy | unknown
    confidence             DOUBLE NOT NULL,
    evidence               VARCHAR,     -- human-readable: what decided it, or why unknown
    PRIMARY KEY (affiliation, email_domain)
);

-- The affiliation(s) analysis uses for each authorship: one source chosen per authorship (the paper's own
-- printed affiliation wins over a profile-derived one), weights sum to 1 over an authorship's rows.
CREATE TABLE IF NOT EXISTS authorship_affiliations (
    authorship_id VARCHAR NOT NULL,
    mention_order INTEGER NOT NULL,
    org_id        VARCHAR,
    country       VARCHAR,
    sector        VARCHAR,
    weight        DOUBLE NOT NULL,      -- fractional share of the authorship (1/n over resolved mentions)
    method        VARCHAR NOT NULL,
    confidence    DOUBLE NOT NULL,
    source_id     VARCHAR NOT NULL,     -- which source's mention (or e-mail domain) was used
    basis         VARCHAR,              -- paper | profile_crawl | profile_dated | openalex (store/batch.py)
    PRIMARY KEY (authorship_id, mention_order)
);
ALTER TABLE authorship_affiliations ADD COLUMN IF NOT EXISTS basis VARCHAR;
