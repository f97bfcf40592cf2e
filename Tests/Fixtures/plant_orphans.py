#!/usr/bin/env python3
"""Plants what `labctl sweep` must find, straight through the EC2 API (no Terraform), and
one thing it must ignore. Prints their ids as JSON. Endpoint from AWS_ENDPOINT_URL.
  ghost_instance: t3.medium tagged Project=k8s-training, Session=ghost (no such session)
  stray_volume:   8 GiB gp3 tagged Project=k8s-training, Session=<argv[1]> (a live session,
                  but no Terraform state knows the volume: made from inside a cluster)
  untagged_instance: t3.small with Session=<argv[1]> but no Project tag (not the project's)"""
import json, os, sys
import boto3

session = sys.argv[1]
ami = json.load(open(sys.argv[2]))[0]["ami_id"]
ec2 = boto3.client("ec2", endpoint_url=os.environ["AWS_ENDPOINT_URL"])

def spec(kind, **tags):
    return [{"ResourceType": kind, "Tags": [{"Key": k, "Value": v} for k, v in tags.items()]}]

ghost = ec2.run_instances(ImageId=ami, MinCount=1, MaxCount=1, InstanceType="t3.medium",
                          TagSpecifications=spec("instance", Project="k8s-training", Session="ghost"))
volume = ec2.create_volume(AvailabilityZone="eu-west-1a", Size=8, VolumeType="gp3",
                           TagSpecifications=spec("volume", Project="k8s-training", Session=session))
other = ec2.run_instances(ImageId=ami, MinCount=1, MaxCount=1, InstanceType="t3.small",
                          TagSpecifications=spec("instance", Session=session))
print(json.dumps({
    "ghost_instance": ghost["Instances"][0]["InstanceId"],
    "stray_volume": volume["VolumeId"],
    "untagged_instance": other["Instances"][0]["InstanceId"],
}))
