"""Resource ordering: what a resource references comes first; cycles are refused."""

from __future__ import annotations

import pytest

from labbox.cloud import cfn_graph

RESOURCES = {
    "Instance": {
        "Type": "X",
        "Properties": {
            "SubnetId": {"Ref": "Subnet"},
            "Name": {"Fn::Sub": "${Vpc.CidrBlock}-${AWS::Region}-${!Literal}"},
        },
    },
    "Subnet": {"Type": "X", "Properties": {"VpcId": {"Fn::GetAtt": ["Vpc", "VpcId"]}}},
    "Route": {
        "Type": "X",
        "DependsOn": ["Attachment"],
        "Properties": {"Target": {"Fn::Sub": ["${Gw}", {"Gw": {"Ref": "Gateway"}}]}},
    },
    "Attachment": {"Type": "X", "Properties": {"Gateway": {"Ref": "Gateway"}, "Vpc": {"Ref": "Vpc"}}},
    "Gateway": {"Type": "X"},
    "Vpc": {"Type": "X"},
}


def test_references_of_every_intrinsic_form_are_dependencies():
    graph = cfn_graph.dependencies(RESOURCES)

    assert graph["Instance"] == {"Subnet", "Vpc"}
    assert graph["Subnet"] == {"Vpc"}
    assert graph["Route"] == {"Attachment", "Gateway"}


def test_creation_order_puts_dependencies_first_and_deletion_reverses_it():
    order = cfn_graph.creation_order(RESOURCES)
    for name, needs in cfn_graph.dependencies(RESOURCES).items():
        assert all(order.index(other) < order.index(name) for other in needs)

    deletion = cfn_graph.deletion_order(RESOURCES, ["Vpc", "Subnet", "Instance"])
    assert deletion == ["Instance", "Subnet", "Vpc"]


def test_cycle_is_refused_with_its_members():
    with pytest.raises(cfn_graph.CircularDependency, match=r"\[A, B, A\]"):
        cfn_graph.creation_order({"A": {"Properties": {"x": {"Ref": "B"}}}, "B": {"DependsOn": "A"}})
