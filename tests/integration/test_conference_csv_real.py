"""The conference CSV of the shared bundle, read whole: counts checked against its MANIFEST.tsv."""

import pytest

from splitscope.sources.conference_csv import parse_conference_csv
from splitscope.sources.reading import read_input
from splitscope.store import connect

pytestmark = pytest.mark.integration


def test_real_csv_reads_all_rows(shared_data):
    raw = read_input(shared_data / "conference-csv" / "papers-2006-2019.csv.gz")
    con = connect(":memory:")
    batch = parse_conference_csv(con, raw)
    assert batch.records_read == 7994  # MANIFEST.tsv: distinct titles (ALL row)
    assert batch.papers_stored == 7994 and batch.reconciles()  # nothing stored to merge into
    # MANIFEST.tsv: 27,897 rows; 11 have no author name and 16 repeat an earlier row of the same paper
    # word for word (e.g. 'Chen Tessler,Technion' twice in ICML 2019). Checked with the csv module:
    # 27,870 distinct (paper, author) pairs among named rows, none with two affiliations.
    assert batch.notes == {"rows_without_author_name": 11, "duplicate_author_rows": 16}
    assert len(batch.rows["authorships"]) == 27870
