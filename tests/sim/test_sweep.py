import json

import pytest
from dask.distributed import Client, LocalCluster

from simlab.cli import main
from simlab.sim import ScenarioError, preset
from simlab.sim.sweep import grid_points, sweep, sweep_table


@pytest.fixture(scope="module")
def client():
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, protocol="tcp",
                      host="127.0.0.1", dashboard_address="127.0.0.1:0") as cluster, \
            Client(cluster) as c:  # fmt: skip
        yield c


def test_a_grid_is_every_combination():
    points = grid_points({"a": [1, 2], "b": ["x", "y"]})
    assert points == [
        {"a": 1, "b": "x"},
        {"a": 1, "b": "y"},
        {"a": 2, "b": "x"},
        {"a": 2, "b": "y"},
    ]


def test_a_sweep_runs_every_point_and_seed_on_dask(client):
    rows = sweep(
        preset("sms-toll-free", messages=30_000),
        {"channels.sms.rate": [3.0, 100.0]},
        seeds=range(2),
        client=client,
    )
    assert [(r["channels.sms.rate"], r["seed"]) for r in rows] == [
        (3.0, 0),
        (3.0, 1),
        (100.0, 0),
        (100.0, 1),
    ]
    slow, fast = rows[0], rows[2]
    assert slow["completion_s"] == pytest.approx(slow["sent"] / 3.0, rel=0.01)
    assert fast["completion_s"] == pytest.approx(fast["sent"] / 100.0, rel=0.01)
    table = sweep_table(rows)
    assert table.splitlines()[0].split()[:3] == ["scenario", "channels.sms.rate", "seed"]


def test_a_bad_grid_fails_before_anything_runs(client):
    with pytest.raises(ScenarioError, match="channels.sms.rate must be a positive number"):
        sweep("sms-toll-free", {"channels.sms.rate": [-1.0]}, client=client)


def test_the_sweep_command_uses_a_local_cluster(capsys):
    assert main(["sweep", "email-sns-topic", "--messages", "1000,2000", "--seeds", "1"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3 and "messages" in lines[0]


def test_the_sweep_command_uses_an_existing_scheduler(capsys):
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, protocol="tcp",
                      host="127.0.0.1", dashboard_address="127.0.0.1:0") as cluster:  # fmt: skip
        address = cluster.scheduler_address
        assert address.startswith("tcp://")
        code = main(["sweep", "sms-short-code", "--set", "channels.sms.rate=50,100",
                     "--scheduler", address, "--json"])  # fmt: skip
    assert code == 0
    rows = json.loads(capsys.readouterr().out)
    assert [row["channels.sms.rate"] for row in rows] == [50, 100]
    assert rows[0]["completion_s"] == pytest.approx(2 * rows[1]["completion_s"], rel=0.01)
