from tests.ui.conftest import make_window, wait_saved  # noqa: F401 (fixtures for the journeys)
