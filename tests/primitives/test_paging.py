import pytest

from simlab.primitives import PageTokenError, page

ITEMS = list("abcde")


@pytest.mark.parametrize(
    ("token", "size", "expected"),
    [
        (None, 2, (["a", "b"], "2")),
        ("", 2, (["a", "b"], "2")),
        ("2", 2, (["c", "d"], "4")),
        ("4", 2, (["e"], None)),
        (None, 5, (ITEMS, None)),
        (None, None, (ITEMS, None)),  # no size: everything left
        ("3", None, (["d", "e"], None)),
        ("5", 2, ([], None)),
    ],
)
def test_pages_follow_the_offset_token(token, size, expected):
    assert page(ITEMS, token, size) == expected


def test_walking_the_tokens_visits_every_item_once():
    seen, token = [], None
    while True:
        items, token = page(ITEMS, token, 2)
        seen += items
        if token is None:
            break
    assert seen == ITEMS


@pytest.mark.parametrize("token", ["abc", "-1", "6", "1.5"])
def test_a_token_no_call_returned_is_refused(token):
    with pytest.raises(PageTokenError, match="NextToken"):
        page(ITEMS, token, 2)
