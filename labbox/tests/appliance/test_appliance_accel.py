"""KVM only when the device is there and a probe boot proves it works; otherwise TCG."""

from __future__ import annotations

from pathlib import Path

import pytest

from labbox.appliance import accel
from labbox.appliance.cache import Image


@pytest.fixture
def image(tmp_path: Path) -> Image:
    return Image(tmp_path / "bookworm-abc")


class Probe:
    """A probe that answers ``works`` and counts its calls."""

    def __init__(self, works: bool) -> None:
        self.works = works
        self.calls = 0

    def __call__(self, _image: Image) -> bool:
        self.calls += 1
        return self.works


def test_no_kvm_device_means_tcg_without_probing(image: Image, tmp_path: Path) -> None:
    probe = Probe(True)
    chosen = accel.choose(image, tmp_path, override="auto", device_usable=lambda: False, probe=probe)
    assert chosen.name == "tcg"
    assert probe.calls == 0


def test_kvm_device_and_successful_probe_means_kvm(image: Image, tmp_path: Path) -> None:
    chosen = accel.choose(image, tmp_path, override="auto", device_usable=lambda: True, probe=Probe(True))
    assert chosen.name == "kvm"
    assert chosen.arguments() == ["-accel", "kvm", "-cpu", "host"]


def test_kvm_device_with_hanging_probe_means_tcg(image: Image, tmp_path: Path) -> None:
    chosen = accel.choose(image, tmp_path, override="auto", device_usable=lambda: True, probe=Probe(False))
    assert chosen.name == "tcg"
    assert "hang" in chosen.reason
    assert chosen.arguments() == ["-accel", "tcg,tb-size=256", "-cpu", "max"]


def test_probe_verdict_is_remembered(image: Image, tmp_path: Path) -> None:
    probe = Probe(False)
    for _ in range(3):
        assert accel.choose(image, tmp_path, override="auto", device_usable=lambda: True, probe=probe).name == "tcg"
    assert probe.calls == 1


def test_environment_forces_tcg_or_kvm(image: Image, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    probe = Probe(True)
    monkeypatch.setenv("LABBOX_APPLIANCE_ACCEL", "tcg")
    assert accel.choose(image, tmp_path, device_usable=lambda: True, probe=probe).name == "tcg"
    monkeypatch.setenv("LABBOX_APPLIANCE_ACCEL", "KVM")
    assert accel.choose(image, tmp_path, device_usable=lambda: False, probe=probe).name == "kvm"
    assert probe.calls == 0


def test_unknown_accelerator_is_refused(image: Image, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="auto, kvm or tcg"):
        accel.choose(image, tmp_path, override="hvf")


def test_probe_boots_the_kernel_alone_into_a_root_mount_panic(image: Image) -> None:
    argv = accel.probe_command(image)
    assert argv[argv.index("-accel") + 1] == "kvm"
    assert argv[argv.index("-kernel") + 1] == str(image.kernel)
    assert "-initrd" not in argv and "-drive" not in argv and "-nic" not in argv
    assert "-no-reboot" in argv
    assert "panic=-1" in argv[argv.index("-append") + 1]


def test_missing_device_is_not_usable(tmp_path: Path) -> None:
    assert not accel.kvm_device_usable(tmp_path / "kvm")
