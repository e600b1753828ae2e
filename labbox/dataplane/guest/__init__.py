"""The data plane's guest side: runs *inside* the appliance as root, Python standard library only.

The host copies this package into the guest (``/run/labbox/guest``) and runs ``python3 -m
guest.netd`` over one SSH session; it reads specs of the network to build on its standard
input and answers on its standard output (see ``netd``). Nothing here imports from the rest
of ``labbox``: the guest has only Debian's python3.

    names         short, stable Linux names (netns, links, units) for AWS ids
    shell         running ip/nft/systemctl and reading their output
    internet      the "internet" segment: public addresses, the operator's jump host
    routers       a VPC's implicit router: subnets, route tables, the internet gateway's NAT
    instances     EC2 instances as systemd-nspawn machines on an overlay of the AMI
    security      security groups and source/destination checks at each instance's port
    vpn_endpoints the gateways' tunnel endpoints: Libreswan responders, telemetry
    netd          the request loop: apply a spec, report status, fault switches
"""
