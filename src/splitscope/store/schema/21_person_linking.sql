-- The trained person-linkage model (Splink settings JSON), so adding a venue-year scores only the pairs
-- that touch new records instead of retraining and relinking everything (resolve/persons.py).
CREATE TABLE IF NOT EXISTS person_link_model (
    trained_at      TIMESTAMP NOT NULL,
    records         INTEGER NOT NULL,     -- records the model was trained on
    threshold       DOUBLE NOT NULL,
    settings_json   VARCHAR NOT NULL
);
