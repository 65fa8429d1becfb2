-- Site continuity (resolve/sites.py, issue 16). Filled during `splitscope build` after person linkage.
-- One row per authorship affiliation that named a multi-site organisation without a site (method 'default'
-- in authorship_affiliations before this step): which site country the same person's papers of the same
-- organisation give in the nearest years, and the authorships that evidence rests on. `rule` is
-- same-year | bracketed | before-only | after-only (a country was taken) or conflict | none (it was not:
-- the row keeps the default country, which analyses that must not rest on a guess leave out).
CREATE TABLE IF NOT EXISTS site_continuity (
    authorship_id           VARCHAR NOT NULL,
    mention_order           INTEGER NOT NULL,
    org_id                  VARCHAR NOT NULL,
    family_id               VARCHAR NOT NULL,   -- top of the org's parent chain (microsoft for msra)
    default_country         VARCHAR,
    country                 VARCHAR,            -- the continuity country; NULL when no rule gave one
    rule                    VARCHAR NOT NULL,
    evidence_years          INTEGER[],
    evidence_authorship_ids VARCHAR[],
    PRIMARY KEY (authorship_id, mention_order)
);
