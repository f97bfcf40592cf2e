#!/bin/sh
# labctl dead-man switch (docs/lifetime.md): power this node off at the time in its
# own ShutdownAt tag (the session's end + grace, UTC RFC 3339, or "never"), read from
# the instance metadata with IMDSv2. labctl-end.timer runs it at boot and every
# 5 minutes, so `labctl extend` only retags and never needs a route to the node.
# When the tag cannot be read (no answer, no tag, not a time), the time read before
# stays armed: the timer unit below survives reboots and is Persistent.
# Exit 0: armed, or disarmed for "never"; 1: nothing read, the old time kept.
# Full-line comments are left out of the user data (locals.tf), so they cost no bytes.

# The instance metadata service; the variable exists only so that a test can point
# the script at a loopback stub.
m=${LABCTL_IMDS_BASE:-http://169.254.169.254}/latest
u=/etc/systemd/system/labctl-shutdown
kept() {
  echo "labctl-shutdown-at: $1; kept $(grep -s OnCalendar $u.timer)" >&2
  exit 1
}
t=$(curl -fsSm5 -XPUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 60' "$m/api/token") || kept "no IMDS token"
v=$(curl -fsSm5 -H "X-aws-ec2-metadata-token: $t" "$m/meta-data/tags/instance/ShutdownAt") || kept "no ShutdownAt tag"
if [ "$v" = never ]; then
  [ -e $u.timer ] || exit 0
  systemctl disable --now labctl-shutdown.timer
  rm $u.timer
  exec systemctl daemon-reload
fi
# Only a time GNU date writes back unchanged: refuses garbage, 2026-02-30 and 25:00.
[ "$(date -ud "$v" +%FT%TZ 2>/dev/null)" = "$v" ] || kept "ShutdownAt is not a UTC time"
w=$(date -ud "$v" '+%F %T UTC')
c="[Timer]
OnCalendar=$w
Persistent=true
[Install]
WantedBy=timers.target"
if [ "$(cat $u.timer 2>/dev/null)" != "$c" ]; then
  printf '[Service]\nExecStart=/usr/bin/systemctl --no-block poweroff\n' >$u.service
  # Written whole, then renamed: systemd never reads half a timer.
  { echo "$c" >$u.new && mv $u.new $u.timer; } || kept "cannot write $u.timer"
  systemctl daemon-reload
  systemctl restart labctl-shutdown.timer
fi
# Also when unchanged: started again if a participant (root on the node) stopped it.
systemctl enable --now labctl-shutdown.timer
echo "labctl-shutdown-at: OnCalendar=$w"
