import pytest

import regionanalys as ra


@pytest.fixture(scope="session")
def seed_df():
    """The shipped data, loaded once."""
    return ra.load()
