# Sourced by the Terraform check scripts: starts moto_server (the AWS emulator) on a
# free loopback port. Needs AMI_FIXTURE and WORK set and a `die` function; sets PORT
# and MOTO_PID (the caller stops it on exit). Only 127.0.0.1 is ever dialled.
start_moto() {
  PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
  MOTO_AMIS_PATH="$AMI_FIXTURE" moto_server -H 127.0.0.1 -p "$PORT" >"$WORK/logs/moto.log" 2>&1 &
  MOTO_PID=$!
  for _ in $(seq 1 60); do
    curl -sf -o /dev/null "http://127.0.0.1:$PORT/moto-api/" && return 0
    kill -0 "$MOTO_PID" 2>/dev/null || die "moto_server exited: $(tail -n 5 "$WORK/logs/moto.log")"
    sleep 0.5
  done
  die "moto_server did not answer on 127.0.0.1:$PORT"
}
