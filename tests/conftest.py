import pytest


@pytest.fixture(autouse=True)
def isolated_user_dirs(tmp_path, monkeypatch):
    """Every test gets its own data directory and workspace, never the learner's."""
    monkeypatch.setenv("DLPREP_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("DLPREP_WORKSPACE", str(tmp_path / "workspace"))
    monkeypatch.delenv("DLPREP_NOW", raising=False)
    return tmp_path
