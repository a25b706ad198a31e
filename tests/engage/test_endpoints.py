"""The endpoint store keeps Pinpoint's endpoint rules."""

from __future__ import annotations

import json

import numpy as np
import pytest

from simlab.engage.endpoint_views import EndpointRows
from simlab.engage.endpoints import EndpointStore
from simlab.engage.faults import BadRequest, NotFound
from simlab.facts import pinpoint as facts

NOW = 1_767_603_600.0  # 2026-01-05T09:00:00Z


def email(address: str, **extra: object) -> dict:
    return {"ChannelType": "EMAIL", "Address": address, **extra}


def test_an_endpoint_reads_back_in_the_endpoint_response_shape() -> None:
    store = EndpointStore()
    store.upsert(
        "e1",
        email(
            "ana@example.com",
            Attributes={"interests": ["sports", "music"]},
            Metrics={"visits": 3},
            Demographic={"Timezone": "Asia/Ho_Chi_Minh", "Platform": "ios"},
            Location={"Country": "VN", "Latitude": 10.8, "Longitude": 106.7},
            User={"UserId": "ana", "UserAttributes": {"FirstName": ["Ana"]}},
        ),
        NOW,
    )
    endpoint = store.get("e1")
    assert endpoint["Attributes"] == {"interests": ["sports", "music"]}
    assert endpoint["Metrics"] == {"visits": 3.0}
    assert endpoint["Demographic"] == {"Timezone": "Asia/Ho_Chi_Minh", "Platform": "ios"}
    assert endpoint["Location"] == {"Country": "VN", "Latitude": 10.8, "Longitude": 106.7}
    assert endpoint["User"] == {"UserId": "ana", "UserAttributes": {"FirstName": ["Ana"]}}
    assert endpoint["EndpointStatus"] == "ACTIVE"
    assert endpoint["OptOut"] == "NONE"
    assert endpoint["CreationDate"] == endpoint["EffectiveDate"] == "2026-01-05T09:00:00.000Z"


def test_an_update_merges_attributes_and_an_empty_list_removes_one() -> None:
    store = EndpointStore()
    store.upsert("e1", email("a@example.com", Attributes={"a": ["1"], "b": ["2"]}), NOW)
    store.upsert("e1", {"Attributes": {"a": [], "c": ["3"]}, "OptOut": "ALL"}, NOW + 60)
    endpoint = store.get("e1")
    assert endpoint["Attributes"] == {"b": ["2"], "c": ["3"]}
    assert endpoint["OptOut"] == "ALL"
    assert endpoint["CreationDate"] == "2026-01-05T09:00:00.000Z"
    assert endpoint["EffectiveDate"] == "2026-01-05T09:01:00.000Z"


def test_the_same_address_on_another_endpoint_makes_the_older_one_inactive() -> None:
    store = EndpointStore()
    store.upsert("old", email("a@example.com"), NOW)
    store.upsert("new", email("a@example.com"), NOW + 1)
    assert store.get("old")["EndpointStatus"] == "INACTIVE"
    assert store.get("new")["EndpointStatus"] == "ACTIVE"


def test_a_sixteenth_email_endpoint_of_a_user_is_refused() -> None:
    store = EndpointStore()
    limit = facts.MAX_ENDPOINTS_PER_USER.value
    for i in range(limit):
        store.upsert(f"e{i}", email(f"u{i}@example.com", User={"UserId": "u"}), NOW + i)
    with pytest.raises(BadRequest, match="already has 15 endpoints"):
        store.upsert("e99", email("x@example.com", User={"UserId": "u"}), NOW + 99)
    assert "e99" not in store
    assert len(store.user_endpoint_ids("u")) == limit


def test_a_sixteenth_push_endpoint_replaces_the_oldest_effective_date() -> None:
    store = EndpointStore()
    for i in range(15):
        request = {"ChannelType": "GCM", "Address": f"token-{i}", "User": {"UserId": "u"}}
        store.upsert(
            f"p{i}", {**request, "EffectiveDate": f"2026-01-0{1 + i % 5}T00:00:{i:02d}Z"}, NOW
        )
    store.upsert("p15", {"ChannelType": "GCM", "Address": "token-15", "User": {"UserId": "u"}}, NOW)
    assert "p0" not in store.user_endpoint_ids("u")
    assert store.get("p0")["EndpointStatus"] == "INACTIVE"
    assert "User" not in store.get("p0") or "UserId" not in store.get("p0")["User"]
    assert len(store.user_endpoint_ids("u")) == 15


@pytest.mark.parametrize(
    ("request_", "field"),
    [
        ({"ChannelType": "FAX", "Address": "x"}, "ChannelType"),
        ({**email("a@b.co"), "OptOut": "SOME"}, "OptOut"),
        ({**email("a@b.co"), "EndpointStatus": "GONE"}, "EndpointStatus"),
        ({**email("a@b.co"), "Attributes": {"x" * 51: ["1"]}}, "Attributes name"),
        ({**email("a@b.co"), "Attributes": {"x": ["v" * 101]}}, "exceeds 100"),
        ({**email("a@b.co"), "Attributes": {"x": [str(i) for i in range(51)]}}, "51 values"),
        ({**email("a@b.co"), "EffectiveDate": "yesterday"}, "EffectiveDate"),
        ({**email("a@b.co"), "Location": {"Latitude": 91}}, "Latitude"),
        ({"Address": "a@b.co"}, "ChannelType is required"),
    ],
)
def test_bad_endpoints_are_refused_naming_the_field(request_: dict, field: str) -> None:
    store = EndpointStore()
    with pytest.raises(BadRequest, match=field):
        store.upsert("e1", request_, NOW)
    assert "e1" not in store


def test_an_app_holds_at_most_250_attribute_names() -> None:
    store = EndpointStore()
    store.upsert("e1", email("a@b.co", Attributes={f"a{i}": ["1"] for i in range(250)}), NOW)
    with pytest.raises(BadRequest, match="at most 250"):
        store.upsert("e2", email("c@b.co", Metrics={"one_more": 1}), NOW)


def test_remove_attributes_takes_exact_names_and_globs() -> None:
    store = EndpointStore()
    store.upsert(
        "e1", email("a@b.co", Attributes={"promo_a": ["1"], "promo_b": ["1"], "k": ["1"]}), NOW
    )
    removed = store.remove_attributes("endpoint-custom-attributes", ["promo_*"])
    assert sorted(removed) == ["promo_a", "promo_b"]
    assert store.get("e1")["Attributes"] == {"k": ["1"]}
    with pytest.raises(BadRequest, match="AttributeType"):
        store.remove_attributes("everything", ["*"])


def test_deleting_an_endpoint_forgets_it_and_its_user_link() -> None:
    store = EndpointStore()
    store.upsert("e1", email("a@b.co", User={"UserId": "u"}), NOW)
    assert store.delete("e1")["Id"] == "e1"
    with pytest.raises(NotFound, match="'e1'"):
        store.get("e1")
    with pytest.raises(NotFound, match="'u'"):
        store.user_endpoint_ids("u")


def test_many_endpoints_read_back_together_as_each_reads_alone() -> None:
    store = EndpointStore()
    store.upsert(
        "rich",
        email(
            "ana@example.com",
            Attributes={"interests": ["sports", "music"]},
            Metrics={"visits": 3},
            Location={"Country": "VN", "Latitude": 10.8, "Longitude": 106.7},
            User={"UserId": "ana", "UserAttributes": {"FirstName": ["Ana"]}},
        ),
        NOW,
    )
    store.upsert("plain", email("bo@example.com"), NOW + 1.5)
    store.upsert("sms", {"ChannelType": "SMS", "Address": "+12065550100"}, NOW)
    rows = [store.index[i] for i in ("sms", "rich", "plain", "rich")]
    together = store.to_json_many(rows)
    alone = [store.to_json(row) for row in rows]
    assert together == alone
    assert [json.dumps(e) for e in together] == [json.dumps(e) for e in alone]  # key order too
    assert store.to_json_many([]) == []
    plain_rows = [store.index[i] for i in ("plain", "sms")]  # no location among these
    assert store.to_json_many(plain_rows) == [store.to_json(row) for row in plain_rows]


def test_endpoints_of_a_store_without_attributes_read_back_together_as_alone() -> None:
    store = EndpointStore()
    store.upsert("plain", email("bo@example.com"), NOW)
    store.upsert("sms", {"ChannelType": "SMS", "Address": "+12065550100"}, NOW + 2)
    rows = [store.index["sms"], store.index["plain"]]
    together = store.to_json_many(rows)
    assert together == [store.to_json(row) for row in rows]
    assert "Attributes" not in together[0] and "Location" not in together[0]


def test_an_address_freed_by_a_delete_or_a_change_leaves_its_new_holder_active() -> None:
    store = EndpointStore()
    store.upsert("gone", email("a@example.com"), NOW)
    store.delete("gone")
    store.upsert("moved", email("b@example.com"), NOW)
    store.upsert("moved", {"Address": "c@example.com"}, NOW + 1)
    store.upsert("first", email("a@example.com"), NOW + 2)
    store.upsert("second", email("b@example.com"), NOW + 3)
    assert store.get("first")["EndpointStatus"] == "ACTIVE"
    assert store.get("second")["EndpointStatus"] == "ACTIVE"
    assert store.get("moved")["EndpointStatus"] == "ACTIVE"


def test_an_address_loaded_by_append_columns_is_taken_over_by_a_later_endpoint() -> None:
    store = EndpointStore()
    store.append_columns(
        ["a0", "a1", "a2"],
        text={"ChannelType": ["EMAIL"] * 3, "Address": ["x@example.com", None, "x@example.com"]},
        now=NOW,
    )
    store.upsert("later", email("x@example.com"), NOW + 1)
    statuses = {i: store.get(i)["EndpointStatus"] for i in ("a0", "a1", "a2", "later")}
    assert statuses == {"a0": "ACTIVE", "a1": "ACTIVE", "a2": "INACTIVE", "later": "ACTIVE"}


def test_rows_read_as_the_endpoints_they_pick_whole_or_brief() -> None:
    store = EndpointStore()
    for i in range(3000):
        store.upsert(f"e{i}", email(f"u{i}@example.com", Demographic={"Timezone": "UTC"}), NOW)
    rows = EndpointRows(store, np.arange(2999, -1, -1))
    assert len(rows) == 3000
    assert list(rows) == [store.get(f"e{i}") for i in range(2999, -1, -1)]
    assert rows[0] == store.get("e2999") and list(rows[1:3]) == [
        store.get("e2998"),
        store.get("e2997"),
    ]
    assert rows.pick([2, 0]) == [store.get("e2997"), store.get("e2999")]
    assert next(rows.brief()) == {
        "Id": "e2999",
        "ChannelType": "EMAIL",
        "Address": "u2999@example.com",
        "EndpointStatus": "ACTIVE",
        "Demographic": {"Timezone": "UTC"},
    }


def _stored(store: EndpointStore) -> dict[str, object]:
    """Everything a store keeps about its rows, in a form two stores can be compared by."""
    size = store.size
    return {
        "ids": list(store.ids),
        "index": dict(store.index),
        "alive": store.alive[:size].tolist(),
        "text": {
            name: (list(column.labels), column.upto(size).tolist())
            for name, column in store.text.items()
        },
        "numbers": {
            n: np.nan_to_num(c[:size], nan=-1.0).tolist() for n, c in store.numbers.items()
        },
        "owners": store._owners_upto(len(store.text["Address"].labels))[
            : len(store.text["Address"].labels)
        ].tolist(),
        "users": {u: sorted(rows) for u, rows in store._users.items()},
        "endpoints": store.to_json_many(list(range(size))),
    }


BATCHES = [
    [  # plain new endpoints: stored column by column
        ("s0", {"ChannelType": "SMS", "Address": "+12065550100"}),
        ("e1", {"ChannelType": "EMAIL", "Address": "a@example.com", "OptOut": "ALL"}),
        ("e2", {"ChannelType": "EMAIL", "RequestId": "r-1", "EndpointStatus": "INACTIVE"}),
    ],
    [  # an address taken over from an earlier endpoint: item by item
        ("e3", {"ChannelType": "EMAIL", "Address": "a@example.com"}),
        ("e4", {"ChannelType": "EMAIL", "Address": "b@example.com"}),
    ],
    [("e5", {"ChannelType": "EMAIL", "Address": "c@example.com", "User": {"UserId": "u"}})],
    [("e1", {"ChannelType": "EMAIL", "Address": "d@example.com"})],  # an update
    [  # the same id twice, the same new address twice
        ("e6", {"ChannelType": "SMS", "Address": "+12065550101"}),
        ("e6", {"ChannelType": "SMS", "Address": "+12065550102"}),
    ],
    [
        ("e7", {"ChannelType": "SMS", "Address": "+12065550103"}),
        ("e8", {"ChannelType": "SMS", "Address": "+12065550103"}),
    ],
    [  # plain again, after all the above
        ("e9", {"ChannelType": "SMS", "Address": "+12065550109", "OptOut": "NONE"}),
        ("e10", {"ChannelType": "PUSH", "Address": "token-10", "RequestId": "r-2"}),
    ],
]


def test_a_batch_stored_together_leaves_the_store_as_storing_it_item_by_item() -> None:
    together, alone = EndpointStore(), EndpointStore()
    for number, batch in enumerate(BATCHES):
        together.upsert_many(batch, NOW + number)
        for endpoint_id, request in batch:
            alone.upsert(endpoint_id, request, NOW + number, checked=True)
        assert _stored(together) == _stored(alone), f"after batch {number}"
    assert together.get("e1")["EndpointStatus"] == "ACTIVE"
    assert together.get("e3")["EndpointStatus"] == "ACTIVE"  # it took a@example.com over ...
    assert together.get("e7")["EndpointStatus"] == "INACTIVE"  # ... as e8 took e7's number


def test_a_plain_batch_grows_the_store_past_its_first_columns() -> None:
    together, alone = EndpointStore(), EndpointStore()
    batch = [(f"s{i}", {"ChannelType": "SMS", "Address": f"+1206{i:07d}"}) for i in range(1500)]
    together.upsert_many(batch, NOW)
    for endpoint_id, request in batch:
        alone.upsert(endpoint_id, request, NOW, checked=True)
    assert _stored(together) == _stored(alone)
    assert len(together) == 1500 and together.get("s1499")["Address"] == "+12060001499"


def test_an_endpoint_over_15_kib_as_json_is_refused_with_its_size() -> None:
    store = EndpointStore()
    values = ["v" * 100] * 40
    big = email("a@example.com", Attributes={f"a{i}": values for i in range(4)})
    with pytest.raises(
        BadRequest, match=r"endpoint 'big' is \d+ bytes; an endpoint can be at most 15360 bytes"
    ):
        store.upsert("big", big, NOW)
    assert "big" not in store


def test_escaped_characters_count_at_their_json_size_against_the_limit() -> None:
    store = EndpointStore()
    # a character outside the Basic Multilingual Plane is written as two \\uXXXX escapes
    fits = {"ChannelType": "CUSTOM", "Address": "\U0001f600" * 1200}  # 14,400 bytes of address
    store.upsert("fits", fits, NOW)
    assert store.get("fits")["Address"] == "\U0001f600" * 1200
    over = {"ChannelType": "CUSTOM", "Address": "\U0001f600" * 1300}  # 15,600 bytes
    with pytest.raises(BadRequest, match=r"endpoint 'over' is 156\d\d bytes"):
        store.upsert("over", over, NOW)
    quoted = {"ChannelType": "CUSTOM", "Address": '"' * 7700}  # each quote escaped: 15,400
    with pytest.raises(BadRequest, match=r"is 154\d\d bytes; an endpoint can be at most 15360"):
        store.upsert("quoted", quoted, NOW)
