#!/usr/bin/env bash
# End-to-end check of the SSH desk with the system OpenSSH client inside tmux,
# against the built binary. Reads like the session it drives:
#
#   build -> keys -> users file -> v2gdesk serve -> ssh in tmux -> header shown
#   -> a second operator joins -> resize -> q quits -> no-PTY and unknown-key refusals
#   -> a second session is told about the shutdown on SIGTERM -> serve exits 0
#
# Usage: [FEED=ws://...] e2e.sh [BIN]   (BIN: a built v2gdesk; built from the module if absent)
# Needs: bash, tmux, ssh, ssh-keygen. Run by TestE2EOpenSSH (e2e_test.go).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
work=$(mktemp -d)
sock="v2gdesk-e2e-$$"
serve_pid=""

cleanup() {
	# kill-server leaves the socket file behind (tmux 3.3): remove it too.
	local path
	path=$(tmux -L "$sock" display-message -p '#{socket_path}' 2>/dev/null || true)
	tmux -L "$sock" kill-server 2>/dev/null || true
	[[ -n $path ]] && rm -f "$path"
	if [[ -n $serve_pid ]] && kill -0 "$serve_pid" 2>/dev/null; then kill -KILL "$serve_pid" 2>/dev/null || true; fi
	rm -rf "$work"
}
trap cleanup EXIT

fail() {
	echo "e2e: FAIL: $*" >&2
	for pane in viewer dispatcher; do
		if tmux -L "$sock" has-session -t "$pane" 2>/dev/null; then
			echo "--- pane $pane:" >&2
			tmux -L "$sock" capture-pane -p -t "$pane" >&2 || true
		fi
	done
	echo "--- serve log:" >&2
	cat "$work/serve.log" >&2 || true
	exit 1
}

# wait_for WHAT CMD...: polls CMD until it succeeds, for at most 30 s.
wait_for() {
	local what=$1
	shift
	for _ in $(seq 1 300); do
		if "$@"; then return 0; fi
		sleep 0.1
	done
	fail "timed out waiting for $what"
}

pane_has() { tmux -L "$sock" capture-pane -p -t "$1" | grep -qF -- "$2"; }

# 1. Build.
bin=${1:-}
if [[ -z $bin ]]; then
	bin="$work/v2gdesk"
	(cd "$root" && go build -o "$bin" ./cmd/v2gdesk)
fi
echo "e2e: binary $bin"

# 2. Keys and the users file.
ssh-keygen -q -t ed25519 -N '' -C vera@e2e -f "$work/vera"
ssh-keygen -q -t ed25519 -N '' -C dana@e2e -f "$work/dana"
ssh-keygen -q -t ed25519 -N '' -C mallory@e2e -f "$work/mallory"
{
	echo "# e2e users"
	echo "vera viewer $(cat "$work/vera.pub")"
	echo "dana dispatcher $(cat "$work/dana.pub")"
} >"$work/users"

# 3. Start the desk on a free port; it prints the address it listens on.
# FEED (a ws:// URL) watches a live feed instead of the demo day.
src=(--scenario demo)
if [[ -n ${FEED:-} ]]; then src=(--feed "$FEED"); fi
"$bin" serve --ssh 127.0.0.1:0 --users "$work/users" --host-key "$work/host_key" \
	--journal "$work/audit.jsonl" "${src[@]}" --shutdown-grace 2s >"$work/serve.out" 2>"$work/serve.log" &
serve_pid=$!
wait_for "the listening line" grep -q "listening on" "$work/serve.log"
port=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$work/serve.log" | head -n1)
[[ -n $port ]] || fail "no port in the serve log"
echo "e2e: serving on port $port"
perm=$(stat -c %a "$work/host_key")
[[ $perm == 600 ]] || fail "host key permissions $perm, want 600"

ssh_opts=(-p "$port" -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null
	-o IdentitiesOnly=yes -o BatchMode=yes -o LogLevel=ERROR)

# 4. The viewer's dashboard in a 160x45 terminal.
tmux -L "$sock" new-session -d -s viewer -x 160 -y 45 \
	"ssh ${ssh_opts[*]} -i $work/vera vera@127.0.0.1; echo SSH-EXIT=\$?; sleep 60"
wait_for "the viewer's header" pane_has viewer "vera (viewer)"
wait_for "the name in the header" pane_has viewer "v2gdesk"
if [[ -z ${FEED:-} ]]; then
	wait_for "the demo site in the header" pane_has viewer "Demo City"
	wait_for "the mode badge" pane_has viewer "SIMULATION"
fi
echo "e2e: viewer sees the dashboard header"
if [[ -n ${E2E_SHOW:-} ]]; then sleep 2; tmux -L "$sock" capture-pane -p -t viewer >"$E2E_SHOW"; fi

# 5. A second operator joins; the viewer is told.
tmux -L "$sock" new-session -d -s dispatcher -x 120 -y 40 \
	"ssh ${ssh_opts[*]} -i $work/dana dana@127.0.0.1; echo SSH-EXIT=\$?; sleep 60"
wait_for "the dispatcher's header" pane_has dispatcher "dana (dispatcher)"
wait_for "the join notice" pane_has viewer "dana (dispatcher) joined"
echo "e2e: presence announced"

# 6. A resize reaches the dashboard: at 100 columns tmux cuts the old
# 160-column header, so the operator's name is back on the first line only
# once the dashboard has laid itself out again.
tmux -L "$sock" resize-window -t viewer -x 100 -y 30
first_line_has() { tmux -L "$sock" capture-pane -p -t "$1" | head -n1 | grep -qF -- "$2"; }
wait_for "the header at 100 columns" first_line_has viewer "vera (viewer)"
[[ $(tmux -L "$sock" display -p -t viewer '#{pane_width}') == 100 ]] || fail "pane not resized"
echo "e2e: resize honoured"

# 7. q quits the viewer's session with status 0.
tmux -L "$sock" send-keys -t viewer q
wait_for "the viewer's ssh to exit" pane_has viewer "SSH-EXIT=0"
echo "e2e: q quit"

# 8. Refusals: no PTY (status 1 and a reason), unknown key (ssh's 255).
set +e
out=$(ssh "${ssh_opts[@]}" -T -i "$work/vera" vera@127.0.0.1 </dev/null 2>&1)
code=$?
set -e
[[ $code == 1 ]] || fail "no-PTY session exited $code, want 1 ($out)"
grep -qF "the desk needs a terminal" <<<"$out" || fail "no-PTY refusal said: $out"
set +e
out=$(ssh "${ssh_opts[@]}" -tt -i "$work/mallory" mallory@127.0.0.1 </dev/null 2>&1)
code=$?
set -e
[[ $code == 255 ]] || fail "unknown key got in (exit $code): $out"
grep -qF "Permission denied (publickey)" <<<"$out" || fail "unknown key refusal said: $out"
echo "e2e: refusals"

# 9. SIGTERM: the dispatcher is warned, then disconnected with the reason.
kill -TERM "$serve_pid"
wait_for "the shutdown warning" pane_has dispatcher "disconnecting in"
wait_for "the disconnect message" pane_has dispatcher "v2gdesk: disconnected:"
wait_for "the dispatcher's ssh to exit" pane_has dispatcher "SSH-EXIT="
set +e
wait "$serve_pid"
code=$?
set -e
serve_pid=""
[[ $code == 0 ]] || fail "serve exited $code after SIGTERM, want 0"
grep -q "kind=logout" "$work/serve.log" || fail "no logout in the serve log"
echo "e2e: graceful shutdown"

# 10. The audit journal tells who came, who was refused and who left.
"$bin" audit --file "$work/audit.jsonl" >"$work/audit.txt" 2>&1 || fail "audit: $(cat "$work/audit.txt")"
for want in "login +vera" "login +dana" "refused +vera .*no terminal" "refused +- .*unknown key .*key=SHA256:" "logout +dana .*disconnected: the desk is shutting down"; do
	grep -qE -- "$want" "$work/audit.txt" || fail "audit lacks /$want/: $(cat "$work/audit.txt")"
done
echo "e2e: audit journal"
echo "e2e: PASS"
