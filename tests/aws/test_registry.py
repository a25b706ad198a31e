"""Contract tests: each moto internal simlab builds on, checked against the pinned moto."""

import re
import sys
from importlib import metadata
from pathlib import Path

import moto.backend_index as backend_index
import moto.core.utils as moto_utils
import pytest
from moto.backends import get_backend
from moto.core.base_backend import BackendDict, BaseBackend
from moto.firehose.models import FirehoseBackend

from simlab.aws import registry
from simlab.aws.services.firehose.models import BufferedFirehoseBackend


def test_moto_is_the_version_we_pin():
    pyproject = Path(__file__).resolve().parents[2] / "pyproject.toml"
    pinned = re.search(r'"moto\[server\]==([^"]+)"', pyproject.read_text()).group(1)
    assert metadata.version("moto") == pinned


def test_backend_dicts_build_their_backend_attribute_class():
    """extend() relies on BackendDict.backend being the class moto instantiates."""
    registry.install()
    backends = get_backend("firehose")
    assert backends.backend is BufferedFirehoseBackend
    assert type(backends["123456789012"]["us-east-1"]) is BufferedFirehoseBackend
    assert registry.ORIGINAL_BACKENDS["firehose"] is FirehoseBackend


def test_a_backend_finds_its_urls_module_next_to_its_models_module():
    """moto derives <package>.urls from <package>.models; our packages follow that layout."""
    backend = get_backend("firehose")["123456789012"]["us-east-1"]
    assert backend._url_module.__name__ == "simlab.aws.services.firehose.urls"
    assert any("firehose" in url for url in backend.urls)


def test_extend_refuses_a_class_that_is_not_moto_s_own_subclass():
    class Stranger(BaseBackend):
        pass

    with pytest.raises(TypeError, match="must subclass moto's FirehoseBackend"):
        registry.extend("firehose", Stranger)


def test_added_services_resolve_through_get_backend_and_url_patterns():
    """add_service() relies on get_backend importing moto.<name> and on backend_url_patterns."""
    module = type(sys)("fake_service")
    module.simlabfake_backends = BackendDict(BaseBackend, "simlabfake")
    registry.add_service("simlab-fake", module, [r"https?://simlab-fake\.(.+)\.amazonaws\.com"])
    try:
        assert get_backend("simlab-fake") is module.simlabfake_backends
        name, pattern = backend_index.backend_url_patterns[0]
        assert name == "simlab-fake"
        assert pattern.match("https://simlab-fake.us-east-1.amazonaws.com/")
    finally:
        backend_index.backend_url_patterns.pop(0)
        del sys.modules["moto.simlabfake"]
        del registry.ADDED_SERVICES["simlab-fake"]


def test_add_service_checks_the_module_defines_its_backends():
    with pytest.raises(TypeError, match="must define a BackendDict named nothinghere_backends"):
        registry.add_service("nothing-here", type(sys)("empty"), [])


def test_moto_reads_the_time_through_utcnow(aws):
    """moto_clock swaps the code of moto.core.utils.utcnow; moto must still call it."""
    aws.clock.advance(3600)
    assert moto_utils.utcnow() == aws.clock.now().replace(tzinfo=None)
    assert moto_utils.unix_time() == pytest.approx(aws.clock.timestamp())
