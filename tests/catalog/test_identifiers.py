"""Local validation: check digits and lengths per identifier type, before any Amazon call."""

import pytest

from saleor_amazon_channel.core.identifiers import INVALID_IDENTIFIER, NO_IDENTIFIER, canonical, check


@pytest.mark.parametrize(
    ("id_type", "raw", "sent"),
    [
        ("EAN", "4006381333931", "4006381333931"),
        ("EAN", " 96385074 ", "96385074"),  # EAN-8
        ("UPC", "036000291452", "036000291452"),
        ("GTIN", "10614141000415", "10614141000415"),  # GTIN-14
        ("GTIN", "96385074", "96385074"),
        ("GTIN", "036000291452", "036000291452"),
        ("JAN", "4901234567894", "4901234567894"),
        ("ISBN", "0306406152", "0306406152"),
        ("ISBN", "080442957x", "080442957X"),  # check character X
        ("ISBN", "978-0-306-40615-7", "9780306406157"),
        ("ASIN", "b07n4m94x4", "B07N4M94X4"),
        ("SKU", "SHIRT-RED-M", "SHIRT-RED-M"),
    ],
)
def test_valid_identifiers_are_sent_normalized(id_type, raw, sent):
    assert check(id_type, raw).value == sent and check(id_type, raw).ok


@pytest.mark.parametrize(
    ("id_type", "raw"),
    [
        ("EAN", "4006381333932"),  # check digit
        ("EAN", "400638133393"),  # 12 digits
        ("EAN", "40063813339X1"),
        ("UPC", "036000291453"),
        ("UPC", "4006381333931"),  # an EAN-13 is no UPC-A
        ("GTIN", "10614141000416"),
        ("GTIN", "1234567"),
        ("JAN", "4901234567895"),
        ("ISBN", "0306406153"),
        ("ISBN", "9790306406157"),  # 979 prefix, wrong check digit
        ("ISBN", "1234567890123"),  # not 978/979
        ("ASIN", "B07N4M94X"),
        ("ASIN", "B07N4M94X4!"),
        ("SKU", "A" * 41),
        ("SKU", "RED,BLUE"),  # would split in the comma-delimited identifiers list
        ("EAN", "4" * 300),
    ],
)
def test_invalid_identifiers_are_refused_with_a_reason(id_type, raw):
    checked = check(id_type, raw)
    assert checked.problem == INVALID_IDENTIFIER and checked.reason and not checked.value


@pytest.mark.parametrize("raw", [None, "", "   "])
def test_empty_identifiers_are_no_identifier(raw):
    assert check("EAN", raw).problem == NO_IDENTIFIER


def test_spellings_of_one_product_share_a_canonical_key():
    assert canonical("EAN", "0885909950805") == canonical("UPC", "885909950805") == canonical("GTIN", "00885909950805")
    assert canonical("ISBN", "0306406152") == canonical("EAN", "9780306406157")
    assert canonical("ASIN", "b07n4m94x4") == canonical("ASIN", "B07N4M94X4")
    assert canonical("EAN", "not a number") is None


def test_a_trailing_newline_is_not_a_digit():
    """Patterns ending in ``$`` accept "...\\n" (issue 15, item 11): an ISBN-10 body ending in a line
    break was read as digits and then crashed on int("\\n")."""
    from saleor_amazon_channel.core import identifiers

    assert identifiers.isbn10_ok("12345678\nX") is False
    assert identifiers.canonical("ASIN", "B00TEST123\n") == "AB00TEST123"  # stripped, as before


def test_configuration_patterns_refuse_a_trailing_newline():
    from saleor_amazon_channel.core import config

    assert config.CLIENT_ID_RE.match("amzn1.application-oa2-client.abc")
    assert not config.CLIENT_ID_RE.match("amzn1.application-oa2-client.abc\n")
    assert config.APPLICATION_ID_RE.match("amzn1.sellerapps.app.abc-123")
    assert not config.APPLICATION_ID_RE.match("amzn1.sellerapps.app.abc-123\n")
