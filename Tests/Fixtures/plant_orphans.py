#!/usr/bin/env python3
"""Creates two instances outside Terraform on the AWS emulator, as a crashed apply or a
lost state would leave them: one tagged with the project (Session=ghost), one without
the project tag. Prints their ids as JSON. Endpoint from AWS_ENDPOINT_URL."""
import json, os, sys
import boto3

ec2 = boto3.client("ec2", endpoint_url=os.environ["AWS_ENDPOINT_URL"])
ami = sys.argv[1]
def run(tags):
    r = ec2.run_instances(ImageId=ami, InstanceType="t3.medium", MinCount=1, MaxCount=1,
                          TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": k, "Value": v} for k, v in tags.items()]}])
    return r["Instances"][0]["InstanceId"]
tagged = run({"Project": "k8s-training", "Session": "ghost", "ExpiresAt": "2099-01-01T00:00:00Z"})
described = ec2.describe_instances(InstanceIds=[tagged])["Reservations"][0]["Instances"][0]
print(json.dumps({
    "tagged": tagged,
    "tagged_has_public_ip": bool(described.get("PublicIpAddress")),
    "untagged": run({"Name": "someone-elses"}),
}))
