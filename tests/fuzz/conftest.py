"""The e2e fixtures: the fake connector, bot processes, Teams clients."""
from tests.e2e.conftest import (  # noqa: F401  (fixtures, re-exported for this directory)
    _connector_server,
    ca,
    bot_factory,
    fake_connector,
    http_session,
    pytest_runtest_makereport,
    teams_client,
)
