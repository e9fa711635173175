# The plan's campaign (2023–2025) and an unsaved plan filing of it.
from tests.plans.conftest import campaign, filing  # noqa: F401
