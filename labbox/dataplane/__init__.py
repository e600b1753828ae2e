"""labbox.dataplane: the twin's network, built in the appliance from the twin's API state.

    spec        the twin's EC2 API state (read with boto3, like any client) -> one JSON spec
    proposals   a tunnel's options (AWS names) -> the Libreswan proposals its endpoint accepts
    guest/      what runs in the guest and turns a spec into namespaces, bridges, machines
    session     one SSH session to the guest running ``guest.netd``, request by request
    agent       the loop: read the API, apply changes, write tunnel telemetry back
    control     start/stop/status/wait of the agent process (``labbox dataplane ...``)
    cli         the ``labbox dataplane`` command
"""
