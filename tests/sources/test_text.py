from splitscope.sources import text


def test_unescape_repeats_for_double_and_triple_escaped_entities():
    assert text.clean("D&amp;#x27;Amely") == "D'Amely"
    assert text.clean("O&amp;amp;#x27;Toole") == "O'Toole"
    assert text.clean("Shin&#x27;ya") == "Shin'ya"


def test_clean_folds_whitespace_newlines_and_normalises_to_nfc():
    assert text.clean("  A  title\nwith\tbreaks ") == "A title with breaks"
    assert text.clean("Jose\u0301") == "Jos\u00e9"  # decomposed accent becomes one code point


def test_split_authors_detects_separator_per_paper():
    assert text.split_authors("Haggai Maron; Yaron Lipman") == ["Haggai Maron", "Yaron Lipman"]
    assert text.split_authors("A B;C D;E F") == ["A B", "C D", "E F"]
    assert text.split_authors("Ann Lee, Bo Wu, Cy Ng") == ["Ann Lee", "Bo Wu", "Cy Ng"]
    assert text.split_authors("Solo Author") == ["Solo Author"]
    assert text.split_authors("") == []
    assert text.split_authors(None) == []


def test_entity_inside_a_comma_separated_name_is_decoded_before_splitting():
    names = text.split_authors("Shin&#x27;ya Yamaguchi, Sekitoshi Kanai, Kazuki Adachi")
    assert names == ["Shin'ya Yamaguchi", "Sekitoshi Kanai", "Kazuki Adachi"]


def test_split_slots_keeps_empty_slots_and_split_plus_splits_affiliations():
    assert text.split_slots(";MIT;") == ["", "MIT", ""]
    assert text.split_slots(";;") == ["", "", ""]
    assert text.split_slots("") == []
    assert text.split_plus("Google+Stanford University") == ["Google", "Stanford University"]
    assert text.split_plus("") == []


def test_doubled_byline_detection():
    assert text.is_doubled_byline(["A", "B", "A", "B"])
    assert not text.is_doubled_byline(["A", "B", "B", "A"])
    assert not text.is_doubled_byline(["A"])


def test_email_domain_never_returns_the_user_part():
    assert text.email_domain("jane.doe@cs.stanford.edu") == "cs.stanford.edu"
    assert text.email_domain("zju.edu.cn") == "zju.edu.cn"
    assert text.email_domain("~Jane_Doe1") is None
    assert text.email_domain("") is None
    assert text.mask_emails('{"authorids": "jane@mit.edu;~Bo_Wu1"}') == '{"authorids": "***@mit.edu;~Bo_Wu1"}'


def test_country_label_unknown_is_none_and_titles_normalise():
    assert text.country_label("Unknown") is None
    assert text.country_label("China") == "China"
    assert text.normalise_title("Attention Is All You Need!") == text.normalise_title(
        "attention is all  you need"
    )
