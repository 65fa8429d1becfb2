-- OpenReview's own statement that two tilde ids are one profile: a paper's `authorids` gives the id the
-- authors typed, `or_profile` the profile OpenReview resolved it to (sources/paperlists/). Person
-- linkage folds aliases into the profile id, so '~Russ_Salakhutdinov1' and '~Ruslan_Salakhutdinov1' are
-- one person by hard evidence. One row per statement; the same pair repeats across papers.
CREATE TABLE IF NOT EXISTS openreview_aliases (
    alias_id   VARCHAR NOT NULL,   -- the id as given in authorids
    profile_id VARCHAR NOT NULL,   -- the profile it resolved to (or_profile)
    source_id  VARCHAR NOT NULL
);
