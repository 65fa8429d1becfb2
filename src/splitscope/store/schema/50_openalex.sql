-- OpenAlex (sources/openalex/: the snapshot flatten and the API): what OpenAlex says beside what our
-- resolver says. The canonical tables hold papers, authorships and affiliation strings; these hold
-- OpenAlex's own author ids, institutions and countries so the two answers can be compared.

-- One row per canonical authorship that came from OpenAlex.
CREATE TABLE IF NOT EXISTS openalex_authorships (
    authorship_id      VARCHAR NOT NULL,   -- 'openalex:W123#2' (authorships.authorship_id)
    openalex_author_id VARCHAR,            -- short id 'A5023888391'; NULL when OpenAlex has none
    author_position    VARCHAR,            -- OpenAlex's 'first' | 'middle' | 'last'
    is_corresponding   BOOLEAN,
    countries          VARCHAR[],          -- OpenAlex's country codes for this authorship
    source_id          VARCHAR NOT NULL
);

-- The institutions OpenAlex attached to an authorship, in its order, with its country code.
CREATE TABLE IF NOT EXISTS openalex_authorship_institutions (
    authorship_id      VARCHAR NOT NULL,
    institution_order  INTEGER NOT NULL,   -- 1-based order in authorships[].institutions
    institution_id     VARCHAR,            -- short id 'I99065089'
    ror                VARCHAR,            -- as OpenAlex gives it ('https://ror.org/…')
    display_name       VARCHAR,
    country_code       VARCHAR,            -- ISO alpha-2 as OpenAlex gives it
    institution_type   VARCHAR,            -- education | company | government | facility | …
    source_id          VARCHAR NOT NULL
);

-- Author objects' affiliation histories: one row per (author, institution, year) OpenAlex lists.
CREATE TABLE IF NOT EXISTS openalex_author_affiliation_years (
    openalex_author_id VARCHAR NOT NULL,
    institution_id     VARCHAR,
    display_name       VARCHAR,
    country_code       VARCHAR,
    year               INTEGER NOT NULL,
    source_id          VARCHAR NOT NULL
);
