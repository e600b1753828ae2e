"""The cache key changes exactly when what goes into the image changes."""

from __future__ import annotations

from labbox.appliance.recipe import AMI_PACKAGES, BUILD_VERSION, PACKAGES, Recipe, default


def test_same_recipe_gives_same_key() -> None:
    assert default().key() == Recipe().key()


def test_package_order_does_not_change_the_key() -> None:
    assert Recipe(packages=tuple(reversed(PACKAGES))).key() == Recipe().key()


def test_added_package_changes_the_key() -> None:
    assert Recipe(extra=("strace",)).key() != Recipe().key()


def test_removed_package_changes_the_key() -> None:
    assert Recipe(packages=PACKAGES[1:]).key() != Recipe().key()


def test_the_instances_tree_is_part_of_the_key() -> None:
    assert Recipe(ami_packages=AMI_PACKAGES[1:]).key() != Recipe().key()
    assert Recipe(ami_packages=tuple(reversed(AMI_PACKAGES))).key() == Recipe().key()


def test_build_version_bump_changes_the_key() -> None:
    assert Recipe(build_version=BUILD_VERSION + 1).key() != Recipe().key()


def test_key_names_the_suite() -> None:
    assert Recipe(suite="trixie").key().startswith("trixie-")
    assert Recipe().key().startswith("bookworm-")


def test_recipe_has_what_the_data_plane_needs() -> None:
    needed = {"linux-image-amd64", "systemd", "systemd-sysv", "openssh-server", "python3", "libreswan",
              "iproute2", "iptables", "procps"}
    assert needed <= set(default().all_packages())


def test_the_instances_have_what_the_customer_gateway_role_would_otherwise_install() -> None:
    """The twin's instances have no package mirror: the openswan role installs only what is
    missing, so Libreswan and nftables (its TCP MSS clamp) must be in the instances' tree."""
    assert {"libreswan", "nftables"} <= set(default().all_ami_packages())
    without_nft = tuple(package for package in AMI_PACKAGES if package != "nftables")
    assert Recipe(ami_packages=without_nft).key() != Recipe().key()
