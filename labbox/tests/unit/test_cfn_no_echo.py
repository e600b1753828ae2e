"""NoEcho parameters never come back in clear from DescribeStacks."""

from __future__ import annotations

from shapes import assert_matches_output_shape
from stack_helpers import ref, template, vpc

PARAMETERS = {
    "Secret": {"Type": "String", "NoEcho": True},
    "Cidr": {"Type": "String", "Default": "10.60.0.0/16"},
}
BODY = template({"Vpc": vpc(cidr=ref("Cidr"))}, parameters=PARAMETERS)


def test_no_echo_parameter_is_masked_and_others_are_shown(cfn):
    cfn.create_stack(StackName="lab", TemplateBody=BODY, Parameters=[{"ParameterKey": "Secret", "ParameterValue": "cloudneta"}])

    described = cfn.describe_stacks(StackName="lab")
    parameters = {p["ParameterKey"]: p["ParameterValue"] for p in described["Stacks"][0]["Parameters"]}

    assert parameters == {"Secret": "****", "Cidr": "10.60.0.0/16"}
    assert_matches_output_shape("cloudformation", "DescribeStacks", described)


def test_a_value_equal_to_a_no_echo_name_is_not_masked(cfn):
    """moto compared values with the NoEcho names: a parameter whose value was "Secret" was hidden."""
    parameters = {**PARAMETERS, "Label": {"Type": "String"}}
    body = template({"Vpc": vpc(cidr=ref("Cidr"), Tags=[{"Key": "Name", "Value": ref("Label")}])}, parameters=parameters)
    cfn.create_stack(
        StackName="lab",
        TemplateBody=body,
        Parameters=[{"ParameterKey": "Secret", "ParameterValue": "cloudneta"}, {"ParameterKey": "Label", "ParameterValue": "Secret"}],
    )

    shown = {p["ParameterKey"]: p["ParameterValue"] for p in cfn.describe_stacks(StackName="lab")["Stacks"][0]["Parameters"]}

    assert shown["Label"] == "Secret" and shown["Secret"] == "****"
