"""labbox.appliance: the twin's data plane host, a Debian 12 QEMU guest built offline.

The guest's disk image is made once from the Debian mirror this machine's apt already uses
and kept in a cache keyed by its recipe; the guest boots with no route off the machine and
SSH on a forwarded loopback port. Later pieces of the data plane run inside it; this package
only provides a machine that boots, answers SSH as root, and carries a kernel with ESP
(esp4/xfrm) and Libreswan.

    recipe       what goes into the image, and the cache key naming it
    sources      the Debian mirror lines, read from the host's apt configuration
    guest_files  what makes the Debian tree boot as the guest (sshd key lookup, network, units)
    build        mmdebstrap -> tree -> kernel/initrd + ext4 image, published atomically
    cache        where images live; only complete ones are ever found
    accel        KVM when a probe boot proves it works here, else TCG
    qemu         the QEMU command line (snapshot disk, restricted user network, serial log)
    ssh          the per-run key pair, client options and ssh_config
    process      recognising and stopping only the QEMU we started
    control      up / status / run / down, with run state under $LABBOX_HOME/appliance
    cli          ``labbox appliance build|up|down|status|ssh -- CMD``
"""
