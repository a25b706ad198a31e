"""SpillDict and SpillList answer as dict and list do, on both sides of the spill boundary."""

from __future__ import annotations

import gc
from dataclasses import dataclass, field

import pytest

from simlab.primitives.spill import ATTRIBUTES, DEFAULT_KEEP, SpillDict, SpillList
from simlab.primitives.spill.store import ROW


@dataclass
class Text:
    message_id: str
    status: str = "PENDING"
    trail: list[str] = field(default_factory=list)

    @property
    def final(self) -> bool:
        return self.status != "PENDING"


class Registered:
    """Registers every instance it creates, as moto's models do."""

    created: list[Registered] = []

    def __new__(cls, *args: object) -> Registered:
        instance = super().__new__(cls)
        cls.created.append(instance)
        return instance

    def __init__(self, name: str) -> None:
        self.name = name

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Registered) and other.name == self.name


# -- SpillDict ------------------------------------------------------------------------------


def test_a_spill_dict_keeps_few_entries_in_memory_and_answers_for_all():
    texts = SpillDict[str, int](keep=10, batch=5)
    for n in range(1000):
        texts[f"id-{n}"] = n
    assert len(texts) == 1000
    assert texts.in_memory <= 15
    assert texts["id-0"] == 0 and texts["id-999"] == 999
    assert "id-500" in texts and "id-1000" not in texts
    assert texts.get("id-1000") is None and texts.get("id-7") == 7
    with pytest.raises(KeyError):
        texts["nobody"]


def test_a_spill_dict_iterates_in_insertion_order_across_the_boundary():
    plain: dict[str, int] = {}
    spilling = SpillDict[str, int](keep=3, batch=2)
    for n in range(20):
        plain[f"k{n}"] = spilling[f"k{n}"] = n
    spilling["k4"]  # brought back into memory: it keeps its place
    plain["k2"] = spilling["k2"] = 200  # reassigned: it keeps its place
    assert list(spilling) == list(plain)
    assert list(spilling.values()) == list(plain.values())
    assert list(spilling.items()) == list(plain.items())
    assert spilling == plain


def test_a_spill_dict_deletes_and_clears_on_both_sides():
    texts = SpillDict[str, int](keep=2, batch=1)
    for n in range(10):
        texts[str(n)] = n
    del texts["0"], texts["9"]
    with pytest.raises(KeyError):
        del texts["0"]
    assert list(texts) == [str(n) for n in range(1, 9)] and len(texts) == 8
    texts["0"] = 0  # a deleted key comes back at the end, as in a dict
    assert list(texts)[-1] == "0"
    texts.clear()
    assert len(texts) == 0 and list(texts) == [] and "5" not in texts


def test_a_spill_dict_takes_tuple_keys():
    last = SpillDict[tuple[str, str], str](keep=1, batch=1)
    for n in range(5):
        last[("+12065550100", f"+1206555{n:04d}")] = f"m{n}"
    assert last[("+12065550100", "+12065550000")] == "m0"
    assert list(last)[1] == ("+12065550100", "+12065550001")


def test_entries_still_changing_stay_in_memory_until_finished():
    texts = SpillDict[str, Text](keep=2, batch=1, spillable=lambda text: text.final)
    pending = Text("first")
    texts["first"] = pending
    for n in range(50):
        texts[f"t{n}"] = Text(f"t{n}", status="DELIVERED")
    assert texts["first"] is pending  # never spilled: the same object
    pending.status = "DELIVERED"
    pending.trail.append("TEXT_DELIVERED")
    for n in range(50, 100):
        texts[f"t{n}"] = Text(f"t{n}", status="DELIVERED")
    assert texts.in_memory <= 3
    assert texts["first"] == Text("first", "DELIVERED", ["TEXT_DELIVERED"])


def test_many_entries_in_flight_are_looked_over_once_a_batch_not_on_every_insert():
    looked: list[str] = []

    def finished(text: Text) -> bool:
        looked.append(text.message_id)
        return text.final

    texts = SpillDict[str, Text](keep=10, batch=10, spillable=finished)
    flying = [Text(f"f{n}") for n in range(200)]  # more in flight than ``keep``
    for text in flying:
        texts[text.message_id] = text
    for n in range(1_000):
        texts[f"t{n}"] = Text(f"t{n}", status="DELIVERED")
    # a look on every insert would pass the 200 in flight a thousand times (200,000 calls)
    assert len(looked) < 40_000
    assert texts.in_memory <= 200 + 10 + 10
    for text in flying:
        text.status = "DELIVERED"
    for n in range(1_000, 1_020):
        texts[f"t{n}"] = Text(f"t{n}", status="DELIVERED")
    assert texts.in_memory <= 10 + 10  # finished, they leave at the next look
    assert len(texts) == 1_220
    assert texts["f7"] == Text("f7", "DELIVERED") and texts["t999"] == Text("t999", "DELIVERED")


def test_a_spilled_entry_read_by_key_is_the_one_kept():
    texts = SpillDict[str, Text](keep=1, batch=1)
    for n in range(5):
        texts[f"t{n}"] = Text(f"t{n}")
    first = texts["t0"]
    first.status = "FAILED"  # it is in memory again, so the change is kept
    assert texts["t0"] is first
    for n in range(5, 10):
        texts[f"t{n}"] = Text(f"t{n}")
    assert texts["t0"].status == "FAILED"


def test_a_spill_dict_survives_many_entries():
    texts = SpillDict[str, Text](keep=1000)
    for n in range(60_000):
        texts[f"id-{n}"] = Text(f"id-{n}", trail=["TEXT_QUEUED"])
    assert len(texts) == 60_000 and texts.in_memory <= 1250
    assert texts["id-12345"] == Text("id-12345", trail=["TEXT_QUEUED"])
    assert sum(1 for _ in texts.values()) == 60_000


def test_threads_adding_and_replacing_entries_at_once_lose_none():
    """A new key is added without the container's lock; keys being replaced, read back or
    spilled meanwhile by other threads are neither lost nor doubled."""
    import sys
    import threading

    texts = SpillDict[str, Text](keep=50, batch=10, spillable=lambda text: text.final)
    names = SpillDict[str, str](keep=50, batch=10)  # every entry free to leave
    items = SpillList[str](keep=50, batch=10)
    old_interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as the interpreter allows

    def work(worker: int) -> None:
        for n in range(1_500):
            key = f"w{worker}-{n}"
            texts[key] = Text(key, status="DELIVERED")
            names[key] = key
            items.append(key)
            if n % 7 == 0:  # replace an older one, most likely spilled by now
                older = f"w{worker}-{n // 2}"
                texts[older] = Text(older, status="FAILED")

    threads = [threading.Thread(target=work, args=(worker,)) for worker in range(4)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(old_interval)
    keys = [f"w{worker}-{n}" for worker in range(4) for n in range(1_500)]
    assert len(texts) == len(keys) and sorted(texts) == sorted(keys)
    assert sorted(items) == sorted(keys) and len(items) == len(keys)
    assert sorted(names) == sorted(keys) and len(names) == len(keys)
    for worker in range(4):
        own = [key for key in texts if key.startswith(f"w{worker}-")]
        assert own == [f"w{worker}-{n}" for n in range(1_500)]  # each thread's in its order
    assert texts["w2-7"].status == "FAILED" and texts["w2-1499"].status == "DELIVERED"


@pytest.mark.parametrize("spillable", [None, "finished"])
def test_setting_many_keys_at_once_is_setting_each_in_turn(spillable):
    """``set_many`` leaves what as many single sets leave: new keys, keys in memory, spilled
    keys and a key twice in one call, on both sides of many spills."""
    import random

    draw = random.Random(16)
    finished = (lambda text: text.final) if spillable else None
    at_once = SpillDict[str, Text](keep=30, batch=10, spillable=finished)
    one_by_one = SpillDict[str, Text](keep=30, batch=10, spillable=finished)
    made = 0
    for _ in range(60):
        keys = [f"t{made + n}" for n in range(draw.randrange(1, 40))]  # new ones ...
        made += len(keys)
        if draw.random() < 0.4:  # ... or some seen before (in memory or spilled), or twice
            keys += [f"t{draw.randrange(made)}" for _ in range(draw.randrange(1, 5))]
        texts = [Text(key, draw.choice(["PENDING", "DELIVERED", "FAILED"])) for key in keys]
        at_once.set_many(keys, texts)
        for text in texts:
            one_by_one[text.message_id] = Text(text.message_id, text.status)
    assert at_once.in_memory < made  # it spilled
    assert list(at_once.items()) == list(one_by_one.items()) and len(at_once) == made
    assert all(f"t{n}" in at_once for n in range(made))
    with pytest.raises(ValueError, match="2 keys but 1 values"):
        at_once.set_many(["a", "b"], [Text("a")])


def test_set_many_tells_new_keys_from_spilled_ones_by_all_three_filter_bits():
    """A new key that shares a spilled key's first filter bit (``hash(n)`` is ``n``: the low
    24 bits alike, the next ones not) is still known new, so a call of new keys goes in as
    one; a spilled key among them sends the call key by key."""
    entries = SpillDict[int, str](keep=0, batch=1)
    entries[5] = "spilled"
    entries[6] = "spilled too"
    assert entries.in_memory < 2
    look_alike = 5 + (1 << 30)
    assert not entries._any_spilled([look_alike, 7]) and entries._any_spilled([7, 5])
    entries.set_many([look_alike, 7], ["new", "new too"])
    entries.set_many([8, 5], ["new", "set again"])
    assert list(entries.items()) == [
        (5, "set again"),
        (6, "spilled too"),
        (look_alike, "new"),
        (7, "new too"),
        (8, "new"),
    ]


def test_keys_set_many_as_new_are_not_looked_for_among_the_spilled(monkeypatch):
    """``new=True`` (ids made just now) asks no question of the spilled keys, and leaves what
    the calls that ask leave."""
    told, asked = SpillDict[str, int](keep=5, batch=5), SpillDict[str, int](keep=5, batch=5)
    for start in range(0, 60, 12):
        keys = [f"id-{n}" for n in range(start, start + 12)]
        told.set_many(keys, list(range(start, start + 12)), new=True)
        asked.set_many(keys, list(range(start, start + 12)))
    assert told.in_memory < 60 and list(told.items()) == list(asked.items())
    monkeypatch.setattr(told, "_any_spilled", lambda keys: pytest.fail("looked for"))
    told.set_many(["id-60"], [60], new=True)
    assert told["id-60"] == 60 and told["id-0"] == 0 and len(told) == 61


def test_entries_are_found_before_and_after_their_hashes_join_the_index(monkeypatch):
    monkeypatch.setattr("simlab.primitives.spill.index.MERGE", 40)
    plain: dict[object, int] = {}
    spilled = SpillDict[object, int](keep=10, batch=5)
    keys: list[object] = [f"k{n}" for n in range(120)] + [("pair", n) for n in range(30)]
    keys += ["\0odd", 7, "7"]
    for n, key in enumerate(keys):
        plain[key] = spilled[key] = n
    assert spilled.in_memory < 20  # most are spilled: some indexed, the newest still fresh
    for key in ("k0", "k50", ("pair", 3), "\0odd", 7, "7", "k119"):
        assert key in spilled and spilled[key] == plain[key]
    assert "k-none" not in spilled and ("pair", 99) not in spilled
    for key in ("k1", ("pair", 4), "k118"):  # taken back, changed, spilled again
        plain[key] = spilled[key] = -1
    del plain["k2"], spilled["k2"]
    for n in range(200, 300):  # push the changed entries out again, past another merge
        plain[f"k{n}"] = spilled[f"k{n}"] = n
    assert "k2" not in spilled
    assert list(spilled.items()) == list(plain.items())
    assert all(spilled[key] == value for key, value in plain.items())


def test_entries_held_back_past_a_merge_are_found_once_spilled(monkeypatch):
    monkeypatch.setattr("simlab.primitives.spill.index.MERGE", 30)
    texts = SpillDict[str, Text](keep=5, batch=5, spillable=lambda text: text.final)
    texts["early"] = Text("early")  # in flight: stays in memory while later ones spill
    for n in range(100):  # past three merges
        texts[f"t{n}"] = Text(f"t{n}", status="DELIVERED")
    assert texts.in_memory < 15
    texts["early"] = Text("early", status="DELIVERED")  # finished: spills with the next batch
    for n in range(100, 110):
        texts[f"t{n}"] = Text(f"t{n}", status="DELIVERED")
    assert "early" in texts and texts["early"].status == "DELIVERED"
    texts["early"] = Text("early", status="FAILED")  # back in memory, changed, spilled again
    for n in range(110, 200):  # past more merges
        texts[f"t{n}"] = Text(f"t{n}", status="DELIVERED")
    assert texts["early"].status == "FAILED"
    assert [key for key in texts][:2] == ["early", "t0"]  # it keeps its place
    assert len(texts) == 201 and all(texts[f"t{n}"].message_id == f"t{n}" for n in range(200))


# -- SpillList ------------------------------------------------------------------------------


def test_a_spill_list_answers_as_a_list_across_the_boundary():
    plain = list(range(100))
    spilling = SpillList(range(100), keep=10, batch=5)
    assert spilling.in_memory <= 15
    assert len(spilling) == 100 and spilling == plain and plain == spilling
    assert spilling[0] == 0 and spilling[-1] == 99 and spilling[50] == 50
    assert spilling[5:15] == plain[5:15] and spilling[95:] == plain[95:]
    assert spilling[::-7] == plain[::-7] and spilling[40:20] == []
    assert list(reversed(spilling)) == plain[::-1]
    assert 42 in spilling and 420 not in spilling
    assert spilling.index(42) == 42 and spilling.count(42) == 1
    with pytest.raises(IndexError):
        spilling[100]


def test_a_spill_list_assigns_inserts_and_deletes_by_index():
    plain = list(range(30))
    spilling = SpillList(range(30), keep=4, batch=2)
    for index, value in ((3, "three"), (-1, "last"), (20, "twenty")):
        plain[index] = spilling[index] = value
    for index in (0, 10, -1):
        del plain[index], spilling[index]
    for index, value in ((0, "front"), (5, "five"), (-2, "near the end"), (100, "end")):
        plain.insert(index, value)
        spilling.insert(index, value)
    del plain[2:6], spilling[2:6]
    plain[1:3] = spilling[1:3] = ["a", "b", "c"]
    assert list(spilling) == plain and len(spilling) == len(plain)


def test_a_spill_list_survives_many_items_and_clears():
    items = SpillList[tuple[int, str]](keep=500)
    for n in range(50_000):
        items.append((n, f"message {n}"))
    assert len(items) == 50_000 and items.in_memory <= 625
    assert items[31_415] == (31_415, "message 31415") and items[-1] == (49_999, "message 49999")
    assert sum(1 for _ in items) == 50_000
    items.clear()
    assert items == [] and len(items) == 0


def test_a_spill_list_extended_holds_what_as_many_appends_leave():
    at_once = SpillList[int](keep=10, batch=5)
    one_by_one = SpillList[int](keep=10, batch=5)
    for start in range(0, 300, 37):
        chunk = range(start, start + 37)
        at_once.extend(chunk)
        for n in chunk:
            one_by_one.append(n)
    at_once.extend(at_once)  # itself, as a list would
    one_by_one.extend(list(one_by_one))
    assert at_once.in_memory <= 15 and len(at_once) == len(one_by_one) == 2 * 333
    assert list(at_once) == list(one_by_one) == [*range(333)] * 2
    assert at_once[5] == 5 and at_once[-1] == 332 and at_once[340] == 7


def test_attributes_codec_reads_objects_back_without_registering_them_again():
    Registered.created.clear()
    items = SpillList[Registered](keep=2, batch=1, codec=ATTRIBUTES)
    for n in range(10):
        items.append(Registered(f"r{n}"))
    assert [item.name for item in items] == [f"r{n}" for n in range(10)]
    assert isinstance(items[0], Registered) and items[0] == Registered.created[0]
    assert len(Registered.created) == 10  # reading them back registered none again


# -- the database ---------------------------------------------------------------------------


@pytest.mark.parametrize("container", [SpillList, SpillDict])
def test_closing_deletes_the_database_file(tmp_path, container):
    spilling = container(keep=1, batch=1, directory=tmp_path)
    for n in range(5):
        spilling.append(n) if isinstance(spilling, SpillList) else spilling.update({str(n): n})
    assert len(list(tmp_path.iterdir())) == 1
    spilling.close()
    assert list(tmp_path.iterdir()) == [] and len(spilling) == 0


def test_a_forgotten_container_deletes_its_file(tmp_path):
    spilling = SpillList(range(10), keep=1, batch=1, directory=tmp_path)
    assert len(list(tmp_path.iterdir())) == 1
    del spilling
    gc.collect()
    assert list(tmp_path.iterdir()) == []


def test_nothing_spilled_opens_no_database(tmp_path):
    spilling = SpillList(range(10), keep=100, directory=tmp_path)
    texts = SpillDict[str, int](keep=100, directory=tmp_path)
    texts["a"] = 1
    assert list(tmp_path.iterdir()) == [] and len(spilling) == 10 and texts["a"] == 1


def test_default_containers_reach_their_memory_bound_within_five_thousand_entries(tmp_path):
    """A long session levels off early: past a few thousand entries, more entries mean more
    database rows, not more objects in memory."""
    texts = SpillDict[str, int](directory=tmp_path)
    items = SpillList[int](directory=tmp_path)
    for n in range(5_000):
        texts[f"id-{n}"] = n
        items.append(n)
    assert len(list(tmp_path.iterdir())) == 2  # both have spilled to their database
    assert texts.in_memory <= DEFAULT_KEEP * 5 // 4 and items.in_memory <= DEFAULT_KEEP * 5 // 4
    assert texts["id-0"] == 0 and items[0] == 0 and len(texts) == len(items) == 5_000


def test_keep_must_not_be_negative():
    with pytest.raises(ValueError, match="keep"):
        SpillList(keep=-1)
    with pytest.raises(ValueError, match="keep"):
        SpillDict(keep=-1)


def test_a_spill_dict_tells_a_string_key_from_a_number_or_tuple_of_the_same_text():
    keys = ["7", 7, ("7",), "\0odd", ("a", 1)]
    texts = SpillDict[object, int](keep=0, batch=1)
    for n, key in enumerate(keys):
        texts[key] = n
    assert texts.in_memory == 0
    assert list(texts) == keys and [texts[key] for key in keys] == list(range(5))


# -- rows of entries ------------------------------------------------------------------------


def _rows(spilling: SpillDict) -> int:
    return int(spilling._store.connection().execute("SELECT count(*) FROM rows").fetchone()[0])


def test_spilled_entries_share_database_rows_and_a_row_goes_with_its_last_entry():
    texts = SpillDict[str, Text](keep=0, batch=200)
    for n in range(200):
        texts[f"t{n}"] = Text(f"t{n}", status="DELIVERED")
    written = _rows(texts)
    assert texts.in_memory == 0 and 1 < written < 200
    first_row = ROW  # the oldest entries fill the first row
    for n in range(first_row):
        assert texts[f"t{n}"] == Text(f"t{n}", status="DELIVERED")
    assert texts.in_memory == first_row and _rows(texts) == written - 1


def test_an_entry_taken_from_a_shared_row_leaves_its_neighbours_readable():
    texts = SpillDict[str, int](keep=0, batch=10)
    for n in range(10):
        texts[str(n)] = n
    del texts["3"]
    assert texts["4"] == 4 and "3" not in texts
    assert list(texts.items()) == [(str(n), n) for n in range(10) if n != 3]  # "4" keeps its place


@pytest.mark.parametrize("codec_name", ["PICKLE", "ATTRIBUTES", "json", "state"])
def test_every_codec_reads_a_row_back_as_it_was_written(codec_name):
    import json

    from simlab.primitives import spill

    codecs = {"json": (json.dumps, json.loads), "state": spill.StateCodec(tuple, list)}
    codec = codecs.get(codec_name) or getattr(spill, codec_name)
    Registered.created.clear()
    make = (lambda n: Registered(f"r{n}")) if codec_name == "ATTRIBUTES" else (lambda n: [n, "x"])
    entries = {f"k{n}": make(n) for n in range(100)}
    texts = SpillDict[str, object](keep=0, batch=100, codec=codec)  # type: ignore[arg-type]
    items = SpillList[object](keep=0, batch=100, codec=codec)  # type: ignore[arg-type]
    texts.update(entries)
    items.extend(entries.values())
    assert texts.in_memory == 0 and items.in_memory == 0
    assert dict(texts.items()) == entries and list(items) == list(entries.values())
    assert items[37] == entries["k37"] and texts["k37"] == entries["k37"]
    if codec_name == "ATTRIBUTES":
        assert len(Registered.created) == 100  # reading them back registered none again


def test_a_spill_list_edited_inside_its_database_rows_still_answers_as_a_list():
    import random

    draw = random.Random(16)
    plain = list(range(300))
    spilling = SpillList(range(300), keep=0, batch=300)  # every item in rows of the database
    assert spilling.in_memory == 0
    for step in range(200):
        index = draw.randrange(len(plain))
        action = step % 3
        if action == 0:
            plain[index] = spilling[index] = -step
        elif action == 1:
            del plain[index], spilling[index]
        else:
            plain.insert(index, step)
            spilling.insert(index, step)
    assert len(spilling) == len(plain) and list(spilling) == plain
    assert list(reversed(spilling)) == plain[::-1]
    assert spilling[17:123] == plain[17:123] and spilling[-1] == plain[-1]


# -- the index of spilled keys ----------------------------------------------------------------


@pytest.fixture
def small_index(monkeypatch):
    """An index with tiny runs and blobs, so a few hundred entries pass many merges."""
    monkeypatch.setattr("simlab.primitives.spill.index.MERGE", 16)
    monkeypatch.setattr("simlab.primitives.spill.index.FANOUT", 2)
    monkeypatch.setattr("simlab.primitives.spill.index.RUN_PAGE", 4)


@pytest.mark.parametrize("held", [False, True])
def test_a_spill_dict_edited_on_both_sides_of_many_merges_still_answers_as_a_dict(
    small_index, held
):
    """... with every entry free to leave memory, or with a third held back (unfinished)."""
    import random

    draw = random.Random(16)
    plain: dict[object, int | None] = {}
    finished = (lambda value: value is None or value % 3 != 0) if held else None
    spilling = SpillDict[object, int | None](keep=8, batch=4, spillable=finished)
    for step in range(3_000):
        choices = (f"k{draw.randrange(600)}", draw.randrange(100), ("t", step % 50))
        key: object = draw.choice(choices)
        action = draw.random()
        if action < 0.6:
            plain[key] = spilling[key] = step if draw.random() < 0.9 else None
        elif action < 0.75:
            assert spilling.get(key) == plain.get(key)
        elif action < 0.9:
            assert (key in spilling) == (key in plain)
        elif key in plain:
            del plain[key], spilling[key]
        else:
            with pytest.raises(KeyError):
                del spilling[key]
        if step % 100 == 0:
            assert list(spilling.items()) == list(plain.items())
    assert spilling.in_memory <= (len(plain) // 2 if held else 12) and len(spilling) == len(plain)
    assert list(spilling.items()) == list(plain.items())


def test_keys_that_share_the_hashed_part_an_index_keeps_are_told_apart(small_index):
    from simlab.primitives.spill.index import hash_part

    # the two halves of each hash fold to the same 32 bits: their pointers fill many blobs
    same = [(n << 32) | (5 ^ n) for n in range(60)]
    assert {hash_part(hash(key)) for key in same} == {5}
    numbers = SpillDict[int, str](keep=0, batch=3)
    for n in range(300):
        numbers[same[n // 5] if n % 5 == 0 else -n] = f"v{n}"
    assert numbers.in_memory == 0
    assert all(numbers[key] == f"v{5 * n}" for n, key in enumerate(same))
    assert 6 not in numbers and -7 in numbers


def test_keys_spilled_together_whose_filter_bits_share_a_byte_are_all_found():
    numbers = SpillDict[int, int](keep=0, batch=200)  # a small int is its own hash
    numbers.update((n, -n) for n in range(200))
    assert numbers.in_memory == 0
    assert all(n in numbers and numbers[n] == -n for n in range(200))


def test_spilled_entries_take_a_database_row_per_row_of_entries_not_one_each():
    from simlab.primitives.spill.index import MERGE, RUN_PAGE

    texts = SpillDict[str, int](keep=0, batch=1_000)
    for n in range(4 * MERGE):
        texts[f"id-{n}"] = n
    db = texts._store.connection()
    (stored,) = db.execute("SELECT (SELECT count(*) FROM rows) + (SELECT count(*) FROM pages)")
    assert stored[0] <= 4 * MERGE // ROW + 4 * MERGE // RUN_PAGE + 2
    assert texts["id-0"] == 0 and texts[f"id-{4 * MERGE - 1}"] == 4 * MERGE - 1
