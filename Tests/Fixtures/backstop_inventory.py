#!/usr/bin/env python3
"""What the backstop tests check on the AWS emulator, as JSON: every EventBridge
Scheduler schedule group (name, tags) with its schedules (GetSchedule: expression, zone,
target ARN, role, instance ids from the input), every IAM role whose name starts with
"labctl-" (trust policy, inline policies, tags), and every instance that is not
terminated (id, Session and Participant tags, state, shutdown behaviour).
Endpoint from AWS_ENDPOINT_URL."""
import json, os
import boto3

url = os.environ["AWS_ENDPOINT_URL"]
ec2 = boto3.client("ec2", endpoint_url=url)
sch = boto3.client("scheduler", endpoint_url=url)
iam = boto3.client("iam", endpoint_url=url)

def tags(obj):
    return {t["Key"]: t["Value"] for t in obj.get("Tags", [])}

groups = []
for g in sch.list_schedule_groups()["ScheduleGroups"]:
    if g["Name"] == "default":
        continue
    schedules = []
    for s in sch.list_schedules(GroupName=g["Name"])["Schedules"]:
        d = sch.get_schedule(GroupName=g["Name"], Name=s["Name"])
        schedules.append({
            "name": d["Name"], "expression": d["ScheduleExpression"],
            "timezone": d.get("ScheduleExpressionTimezone"), "state": d.get("State"),
            "target_arn": d["Target"]["Arn"], "role_arn": d["Target"]["RoleArn"],
            "instance_ids": json.loads(d["Target"]["Input"])["InstanceIds"],
        })
    group_tags = sch.list_tags_for_resource(ResourceArn=g["Arn"])["Tags"]
    groups.append({"name": g["Name"], "tags": {t["Key"]: t["Value"] for t in group_tags}, "schedules": schedules})

roles = []
for r in iam.list_roles()["Roles"]:
    if not r["RoleName"].startswith("labctl-"):
        continue
    policies = {p: iam.get_role_policy(RoleName=r["RoleName"], PolicyName=p)["PolicyDocument"]
                for p in iam.list_role_policies(RoleName=r["RoleName"])["PolicyNames"]}
    attached = iam.list_attached_role_policies(RoleName=r["RoleName"])["AttachedPolicies"]
    trust = r["AssumeRolePolicyDocument"]
    roles.append({"name": r["RoleName"], "arn": r["Arn"],
                  "trust": json.loads(trust) if isinstance(trust, str) else trust,
                  "policies": {k: json.loads(v) if isinstance(v, str) else v for k, v in policies.items()},
                  "attached": [a["PolicyArn"] for a in attached],
                  "tags": tags(iam.get_role(RoleName=r["RoleName"])["Role"])})

instances = []
for res in ec2.describe_instances()["Reservations"]:
    for i in res["Instances"]:
        if i["State"]["Name"] == "terminated":
            continue
        behavior = ec2.describe_instance_attribute(InstanceId=i["InstanceId"], Attribute="instanceInitiatedShutdownBehavior")
        instances.append({"id": i["InstanceId"], "session": tags(i).get("Session"), "participant": tags(i).get("Participant"),
                          "state": i["State"]["Name"], "shutdown_behavior": behavior["InstanceInitiatedShutdownBehavior"]["Value"]})

print(json.dumps({"groups": groups, "roles": roles, "instances": instances}, indent=1))
