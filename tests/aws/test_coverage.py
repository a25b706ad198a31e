"""``simlab coverage``: served and contract-tested operations per service, and the totals."""

import pytest

from simlab.aws import coverage
from simlab.aws.services.endusermessaging.responses import emulated_operations as eum_ops
from simlab.aws.services.smsvoicev1.responses import emulated_operations as v1_ops
from simlab.aws.services.smsvoicev2.responses import emulated_operations as v2_ops
from simlab.cli import main


@pytest.mark.parametrize(
    ("service", "handlers"),
    [
        ("pinpoint-sms-voice-v2", v2_ops),
        ("pinpoint-sms-voice", v1_ops),
        ("endusermessaging", eum_ops),
    ],
)
def test_served_is_the_operations_with_a_handler(service, handlers):
    assert coverage.measure(service).served == frozenset(handlers())


def test_end_user_messaging_is_served_whole_and_v2_nearly(aws):
    measured = {name: coverage.measure(name) for name in coverage.SERVICES}
    assert (
        len(measured["endusermessaging"].served)
        == len(measured["endusermessaging"].operations)
        == 27
    )
    assert len(measured["pinpoint-sms-voice"].served) == 8
    assert len(measured["pinpoint-sms-voice-v2"].served) >= 100
    for report in measured.values():
        assert report.served_and_tested <= report.served <= set(report.operations)


def test_tested_operations_do_not_depend_on_the_working_directory(tmp_path, monkeypatch):
    here = coverage.measure("endusermessaging")
    monkeypatch.chdir(tmp_path)
    assert coverage.measure("endusermessaging") == here
    assert "ValidateNotifyCodeVerification" in here.tested


def test_an_empty_root_has_no_tests(tmp_path):
    assert coverage.measure("pinpoint-sms-voice", root=tmp_path).tested == frozenset()


def test_the_cli_prints_each_service_and_a_total_that_adds_up(capsys):
    assert main(["coverage", "--all"]) == 0
    out = capsys.readouterr().out
    table = out[out.index("service ") :].splitlines()
    rows = [line.split() for line in table[1:-1]]
    total = table[-1].split()
    assert total[0] == "total"
    for column in (1, 2, 3):
        assert int(total[column]) == sum(int(r[column]) for r in rows)
    assert {r[0] for r in rows} == set(coverage.SERVICES)
    assert "SendNotifyCodeVerification                       yes     yes" in out


def test_the_cli_reports_one_service(capsys):
    assert main(["coverage", "pinpoint-sms-voice"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("pinpoint-sms-voice: 8 of 8 operations served, 8 contract-tested")


def test_the_cli_wants_a_service_or_all(capsys):
    assert main(["coverage"]) == 2
    assert "--all" in capsys.readouterr().out
