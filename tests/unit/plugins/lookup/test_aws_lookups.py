"""The controller-side lookups answer from botocore's data and local files only."""

from __future__ import annotations

from pathlib import Path

import pytest

from ansible_collections.hybridlab.aws.plugins.lookup.aws_credential_source import credential_source
from ansible_collections.hybridlab.aws.plugins.lookup.aws_regions import known_regions


def test_regions_include_the_course_region_and_not_invented_ones() -> None:
    regions = known_regions()
    assert "ap-northeast-2" in regions and "us-east-1" in regions
    assert "ap-northeast-9" not in regions
    assert regions == sorted(regions)


@pytest.fixture
def no_credentials(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_DEFAULT_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "credentials"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "config"))
    return tmp_path


def test_a_missing_profile_is_reported(no_credentials: Path) -> None:
    import botocore.exceptions

    with pytest.raises(botocore.exceptions.ProfileNotFound):
        credential_source("nonexistent")


def test_no_credentials_gives_an_empty_source(no_credentials: Path) -> None:
    assert credential_source() == ""


def test_environment_credentials_are_found(no_credentials: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAEXAMPLE")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "secret")
    assert credential_source() == "env"


def test_shared_credentials_file_is_found(no_credentials: Path) -> None:
    (no_credentials / "credentials").write_text("[default]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = s\n")
    assert credential_source() == "shared-credentials-file"
