#!/usr/bin/env python3
"""What the lifetime tests check on the AWS emulator, as JSON: per live instance its
tags, DescribeInstanceAttribute(instanceInitiatedShutdownBehavior), the root volume's
DeleteOnTermination, whether the instance metadata serves its tags, and the dead-man
switch read from the decoded user data by a YAML parser (the write_files entries: a
power-off timer's OnCalendar= and service if any, the re-read timer's settings and
service, the helper script, gzip+base64 decoded; the runcmd lines). Also the tags of security groups and key pairs.
Endpoint from AWS_ENDPOINT_URL."""
import base64, configparser, gzip, json, os, sys
import boto3, yaml

ec2 = boto3.client("ec2", endpoint_url=os.environ["AWS_ENDPOINT_URL"])
out_dir = sys.argv[1] if len(sys.argv) > 1 else None

def unit_setting(text, section, key):
    """One setting of a systemd unit file's text (keys keep their case), or None."""
    ini = configparser.ConfigParser(strict=False, interpolation=None)
    ini.optionxform = str
    ini.read_string(text)
    return ini.get(section, key, fallback=None)

def tags(obj):
    return {t["Key"]: t["Value"] for t in obj.get("Tags", [])}

instances = []
for r in ec2.describe_instances()["Reservations"]:
    for i in r["Instances"]:
        state = i["State"]["Name"]
        iid = i["InstanceId"]
        entry = {"id": iid, "state": state, "tags": tags(i)}
        if state == "terminated":
            instances.append(entry)
            continue
        entry["shutdown_behavior"] = ec2.describe_instance_attribute(
            InstanceId=iid, Attribute="instanceInitiatedShutdownBehavior")["InstanceInitiatedShutdownBehavior"]["Value"]
        entry["delete_on_termination"] = [m["Ebs"]["DeleteOnTermination"] for m in i.get("BlockDeviceMappings", []) if "Ebs" in m]
        entry["metadata_tags"] = i.get("MetadataOptions", {}).get("InstanceMetadataTags")
        raw = ec2.describe_instance_attribute(InstanceId=iid, Attribute="userData").get("UserData", {}).get("Value")
        text = base64.b64decode(raw).decode() if raw else ""
        if out_dir:
            path = os.path.join(out_dir, iid + ".yaml")
            with open(path, "w") as f:
                f.write(text)
            entry["user_data_file"] = path
        doc = yaml.safe_load(text) or {}
        files = {f["path"]: gzip.decompress(base64.b64decode(f["content"])).decode() if f.get("encoding") == "gz+b64" else f.get("content", "")
                 for f in doc.get("write_files", [])}
        timer = files.get("/etc/systemd/system/labctl-shutdown.timer")
        if timer is not None:
            entry["timer_on_calendar"] = unit_setting(timer, "Timer", "OnCalendar")
        service = files.get("/etc/systemd/system/labctl-shutdown.service")
        if service is not None:
            entry["service_exec_start"] = unit_setting(service, "Service", "ExecStart")
        entry["runcmd"] = [" ".join(c) if isinstance(c, list) else c for c in doc.get("runcmd", [])]
        entry["has_helper"] = "/usr/local/sbin/labctl-shutdown-at" in files
        entry["helper"] = files.get("/usr/local/sbin/labctl-shutdown-at")
        read_timer = files.get("/etc/systemd/system/labctl-end.timer")
        if read_timer is not None:
            entry["read_end_timer"] = {k: unit_setting(read_timer, "Timer", k) for k in ("OnBootSec", "OnUnitActiveSec")}
        read_service = files.get("/etc/systemd/system/labctl-end.service")
        if read_service is not None:
            entry["read_end_exec_start"] = unit_setting(read_service, "Service", "ExecStart")
        instances.append(entry)

print(json.dumps({
    "instances": instances,
    "security_groups": [{"id": g["GroupId"], "tags": tags(g)} for g in ec2.describe_security_groups()["SecurityGroups"] if g["GroupName"] != "default"],
    "key_pairs": [{"name": k["KeyName"], "tags": tags(k)} for k in ec2.describe_key_pairs()["KeyPairs"]],
}))
