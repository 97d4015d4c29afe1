"""The snapshot tests drive the real app on the sample data, as the UI tests do."""

from tests.ui.conftest import sample_repo  # noqa: F401
