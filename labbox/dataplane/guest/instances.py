"""EC2 instances as systemd-nspawn machines booting systemd, each on an overlay of the AMI.

An instance's root is an overlay: the shared, read-only AMI tree below, the instance's own
layer above (its "EBS volume": it survives reboots and is deleted with the instance). What
makes an instance itself goes into its layer before the first boot, as EC2's launch and
cloud-init would do it: hostname ``ip-a-b-c-d``, ``/etc/hosts``, a fresh ed25519 host key,
the image's login user with its authorised key (``ec2-user``, or Debian's ``admin``), and the
static network settings EC2's DHCP would hand out (address in its subnet, the VPC router as
gateway) for systemd-networkd on ``host0``.

The machine runs as a transient unit; nspawn plugs its interface into the subnet's bridge.
A reboot from inside (``reboot``, Ansible's reboot module) makes nspawn exit with 133, which
the unit turns into a restart: the machine comes back with the same layer and address.
"""

from __future__ import annotations

import ipaddress
import os
import shutil
import subprocess
from typing import Any

from . import internet, names, shell

USER = "ec2-user"


def _layer(instance_id: str) -> str:
    return os.path.join(names.INSTANCES, instance_id)


def _root(instance_id: str) -> str:
    return os.path.join(names.MACHINES, names.machine(instance_id))


def _mounted(path: str) -> bool:
    return subprocess.run(["mountpoint", "-q", path], check=False).returncode == 0


def _hostname(private_ip: str) -> str:
    return "ip-" + private_ip.replace(".", "-")


def _prepare_layer(instance: dict[str, Any]) -> None:
    layer, root = _layer(instance["id"]), _root(instance["id"])
    for directory in ("upper", "work"):
        os.makedirs(os.path.join(layer, directory), exist_ok=True)
    os.makedirs(root, exist_ok=True)
    if not _mounted(root):
        shell.run(
            "mount", "-t", "overlay", "overlay", "-o",
            f"lowerdir={names.AMI},upperdir={layer}/upper,workdir={layer}/work", root,
        )
    hostname = _hostname(instance["private_ip"])
    subnet = ipaddress.IPv4Network(instance["subnet_cidr"])
    shell.write(f"{root}/etc/hostname", hostname + "\n")
    shell.write(
        f"{root}/etc/hosts",
        f"127.0.0.1 localhost\n{instance['private_ip']} {hostname}\n::1 localhost ip6-localhost ip6-loopback\n",
    )
    shell.write(
        f"{root}/etc/systemd/network/10-host0.network",
        "[Match]\nName=host0\n\n[Network]\n"
        f"Address={instance['private_ip']}/{subnet.prefixlen}\nGateway={subnet.network_address + 1}\n"
        "LinkLocalAddressing=no\nIPv6AcceptRA=no\n",
    )
    wants = f"{root}/etc/systemd/system/multi-user.target.wants/systemd-networkd.service"
    if not os.path.islink(wants):
        os.makedirs(os.path.dirname(wants), exist_ok=True)
        os.symlink("/lib/systemd/system/systemd-networkd.service", wants)
    key = f"{root}/etc/ssh/ssh_host_ed25519_key"
    if not os.path.exists(key):
        shell.run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", hostname, "-f", key)
    user = instance.get("login_user") or USER
    _ensure_login_user(root, user)
    home = f"{root}/home/{user}"
    uid, gid = os.stat(home).st_uid, os.stat(home).st_gid
    # The instance's key pair, as cloud-init installs it for the image's user; none without a
    # KeyName (on AWS such an instance cannot be logged in to, and neither can it here).
    public_key = instance.get("authorized_key", "")
    if shell.write(f"{home}/.ssh/authorized_keys", public_key + "\n" if public_key else "", 0o600):
        for path in (f"{home}/.ssh", f"{home}/.ssh/authorized_keys"):
            os.chown(path, uid, gid)
        os.chmod(f"{home}/.ssh", 0o700)


def _ensure_login_user(root: str, user: str) -> None:
    """Make the image's default user as its cloud-init does: a home, password-less sudo.

    The AMI tree has ``ec2-user`` (Amazon Linux's); another image's user (Debian's ``admin``)
    is made in the instance's own layer at its first boot. No other user gets the key pair,
    so logging in as the wrong user fails as it does on AWS.
    """
    if os.path.isdir(f"{root}/home/{user}"):
        return
    shell.run("useradd", "--root", root, "--create-home", "--shell", "/bin/bash", "--user-group", user)
    shell.write(f"{root}/etc/sudoers.d/90-cloud-init-users", f"{user} ALL=(ALL) NOPASSWD:ALL\n", 0o440)


def host_key(instance_id: str) -> str:
    """The instance's public host key line (``ssh-ed25519 AAAA... comment``), or ''."""
    try:
        with open(f"{_layer(instance_id)}/upper/etc/ssh/ssh_host_ed25519_key.pub") as key:
            return key.read().strip()
    except OSError:
        return ""


def is_up(instance_id: str) -> bool:
    """Booted or booting (a second start of a booting unit would fail)."""
    return unit_states([instance_id]).get(instance_id) in ("active", "activating", "reloading")


def unit_states(instance_ids: list[str]) -> dict[str, str]:
    """Each instance's machine unit state (active, activating, failed, inactive), in one call."""
    if not instance_ids:
        return {}
    units = [names.instance_unit(instance_id) for instance_id in instance_ids]
    states = shell.run("systemctl", "show", "--property=ActiveState", "--value", *units, check=False).split()
    return dict(zip(instance_ids, states))


def start(instance: dict[str, Any]) -> None:
    """Create (first time) and boot the instance; returns without waiting for the boot."""
    if is_up(instance["id"]):
        return
    bridge = internet.ensure_subnet_bridge(instance["subnet_id"])
    _prepare_layer(instance)
    unit = names.instance_unit(instance["id"])
    shell.run("systemctl", "reset-failed", unit, check=False)
    shell.run(
        "systemd-run", f"--unit={unit}", "--slice=machine.slice", "--no-block", "--quiet",
        "-p", "Delegate=yes", "-p", "KillMode=mixed", "-p", "Type=notify",
        # A reboot inside the machine ends nspawn with 133: start it again, as EC2 reboots.
        "-p", "RestartForceExitStatus=133", "-p", "SuccessExitStatus=133",
        # Under emulation on a loaded machine a boot can take minutes: never cut it short.
        "-p", "TimeoutStartSec=infinity",
        "-p", f"Description=EC2 instance {instance['id']} ({instance.get('name') or '-'})",
        "systemd-nspawn", "--quiet", "--keep-unit", "--boot", "--notify-ready=yes",
        f"--machine={names.machine(instance['id'])}", f"--hostname={_hostname(instance['private_ip'])}",
        f"--directory={_root(instance['id'])}", f"--network-bridge={bridge}",
        "--resolv-conf=off", "--link-journal=no", "--timezone=off",
    )


def stop(instance_id: str) -> None:
    shell.run("systemctl", "stop", names.instance_unit(instance_id), check=False)


def remove(instance_id: str) -> None:
    """Terminate: stop the machine and delete its layer."""
    stop(instance_id)
    shell.run("systemctl", "reset-failed", names.instance_unit(instance_id), check=False)
    root = _root(instance_id)
    if _mounted(root):
        shell.run("umount", root)
    shutil.rmtree(_layer(instance_id), ignore_errors=True)
    if os.path.isdir(root):
        os.rmdir(root)


def existing() -> set[str]:
    """Instance ids that have a layer in the guest."""
    try:
        return set(os.listdir(names.INSTANCES))
    except FileNotFoundError:
        return set()

