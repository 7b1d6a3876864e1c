"""Fixtures for the interoperability suite.

Tests marked `live` need a running maserver (MA_URL, MA_ADMIN_KEY, MA_INTEROP_DIR; see
scripts/interop). Without MA_URL they are skipped, unless MA_INTEROP_REQUIRE_LIVE=1 (set by
scripts/interop), which turns the skip into a failure so a misconfigured run cannot pass quietly.
Tests without the marker are offline self-checks of the harness and run everywhere.
"""

import os

import pytest

from interop_client import MAClient, Settings


def pytest_configure(config):
    config.addinivalue_line("markers", "live: needs a running maserver (MA_URL)")


@pytest.fixture(scope="session")
def settings() -> Settings:
    found = Settings.from_environment()
    if found is None:
        if os.environ.get("MA_INTEROP_REQUIRE_LIVE") == "1":
            pytest.fail("MA_URL is not set but MA_INTEROP_REQUIRE_LIVE=1")
        pytest.skip("MA_URL not set: no live maserver to test against")
    missing = [name for name, value in (("MA_ADMIN_KEY", found.admin_key), ("MA_INTEROP_DIR", found.interop_dir))
               if not value]
    if missing:
        pytest.fail(f"live interop run needs {', '.join(missing)}")
    return found


@pytest.fixture(scope="session")
def ma(settings) -> MAClient:
    return MAClient(settings)


@pytest.fixture(scope="session")
def metadata(ma) -> dict:
    response = ma.get("/.well-known/aauth-person.json")
    assert response.status_code == 200, response.text
    return response.json()


@pytest.fixture(scope="session")
def ma_jwks(ma) -> dict:
    response = ma.get("/.well-known/jwks.json")
    assert response.status_code == 200, response.text
    return response.json()
