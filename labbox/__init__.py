"""labbox: the offline twin of AWS that the hybridlab lab runs against.

``labbox.cloud`` serves the AWS API (moto plus extensions for what moto lacks);
``labbox.appliance`` builds the network the lab's instances live in.
The twin knows nothing about the Ansible roles: it only serves an API and a network.
"""
