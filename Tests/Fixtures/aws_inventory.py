#!/usr/bin/env python3
"""Prints what the AWS emulator holds, as JSON, for the provisioning tests:
instances (tags, decoded user data), security groups, key pairs, VPCs,
subnets, internet gateways, NAT gateways. Endpoint from AWS_ENDPOINT_URL."""
import base64, json, os
import boto3

ec2 = boto3.client("ec2", endpoint_url=os.environ["AWS_ENDPOINT_URL"])

def tags(obj):
    return {t["Key"]: t["Value"] for t in obj.get("Tags", [])}

instances = []
for r in ec2.describe_instances()["Reservations"]:
    for i in r["Instances"]:
        if i["State"]["Name"] == "terminated":
            continue
        ud = ec2.describe_instance_attribute(InstanceId=i["InstanceId"], Attribute="userData")
        raw = ud.get("UserData", {}).get("Value")
        text = base64.b64decode(raw).decode("utf-8", "replace") if raw else ""
        instances.append({"id": i["InstanceId"], "tags": tags(i), "user_data": text,
                          "metadata_tokens": i.get("MetadataOptions", {}).get("HttpTokens")})
print(json.dumps({
    "instances": instances,
    "security_groups": [{"id": g["GroupId"], "name": g["GroupName"], "tags": tags(g)}
                        for g in ec2.describe_security_groups()["SecurityGroups"] if g["GroupName"] != "default"],
    "key_pairs": [{"name": k["KeyName"], "tags": tags(k)} for k in ec2.describe_key_pairs()["KeyPairs"]],
    "vpcs": [{"id": v["VpcId"], "tags": tags(v)} for v in ec2.describe_vpcs()["Vpcs"] if not v.get("IsDefault")],
    "subnets": [{"id": s["SubnetId"], "tags": tags(s)} for s in ec2.describe_subnets()["Subnets"] if not s.get("DefaultForAz")],
    "internet_gateways": [{"id": g["InternetGatewayId"], "tags": tags(g)} for g in ec2.describe_internet_gateways()["InternetGateways"]],
    "nat_gateways": [n["NatGatewayId"] for n in ec2.describe_nat_gateways()["NatGateways"] if n["State"] != "deleted"],
}))
