#!/usr/bin/env bash
# Regenerate the program-written sample logs: squid-*.log, dnsmasq.log, unbound*.log, bind-*.log.
#
# Installs Squid, dnsmasq, Unbound and BIND from Debian, runs each on 127.0.0.1 with high ports
# and throw-away configs, drives requests through it, and copies the logs the programs wrote
# into this folder unchanged (timestamps are those of the run). Nothing leaves the machine:
# the "cloud apps" are a small origin server on 127.0.0.1:80/443 that Squid reaches through its
# hosts_file, and the resolvers forward to 127.0.0.1:15399 where nothing listens, so upstream
# lookups fail (SERVFAIL, timeouts) the way they would on an isolated network.
#
# Run as root: bash samples/traffic/regenerate.sh   (takes about two minutes)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
WORK="$(mktemp -d /tmp/sanction-traffic.XXXXXX)"
chmod 755 "$WORK" # Squid drops to the proxy user
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
}
trap cleanup EXIT

if [ "${SKIP_APT:-}" != 1 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq squid dnsmasq unbound bind9 bind9-dnsutils curl openssl python3 >/dev/null
fi
# Debian starts the daemons it installs where it can: make sure none of them runs with the
# stock config (we only ever run our own instances, on 127.0.0.1 and high ports).
for s in squid dnsmasq unbound named; do service "$s" stop >/dev/null 2>&1 || true; done

wait_port() { # proto port
  for _ in $(seq 1 100); do
    if ss -ln"$1" | grep -q "127.0.0.1:$2 "; then return 0; fi
    sleep 0.1
  done
  echo "nothing listening on 127.0.0.1:$2 ($1)" >&2
  return 1
}

# Apps the sample policies care about, plus domains no catalog knows.
KNOWN=(www.dropbox.com dropbox.com dl.dropboxusercontent.com www.box.com app.box.com slack.com files.slack.com
  zoom.us us02web.zoom.us discord.com cdn.discordapp.com apps.apple.com itunes.apple.com www.msn.com
  mail.yahoo.com news.sohu.com www.facebook.com twitter.com teams.microsoft.com drive.google.com
  www.filedropper.com torrentz.cl files.contosodrive.com cdn.unknown-cdn.net)
UNRESOLVED=(upload.mysterystorage.io api.weird-analytics.biz www.obscure-forum.net)

# --- origin server: plays every app on 127.0.0.1:80 and :443 --------------------------------
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=sanction-sample-origin" \
  -keyout "$WORK/origin.key" -out "$WORK/origin.crt" 2>/dev/null
cat >"$WORK/origin.py" <<'PY'
import hashlib, ssl, sys, threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

class H(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *a): pass
    def body_size(self):
        p = self.path.split("?")[0]
        if "/size/" in p:
            return int(p.rsplit("/size/", 1)[1].split("/")[0])
        return 500 + int(hashlib.sha1((self.headers.get("Host", "") + p).encode()).hexdigest()[:6], 16) % 40000
    def reply(self, code=200):
        n = self.body_size()
        self.send_response(code)
        self.send_header("Content-Type", "application/octet-stream" if n > 100000 else "text/html")
        self.send_header("Content-Length", str(n))
        self.end_headers()
        chunk = b"x" * 65536
        while n > 0:
            k = min(n, len(chunk)); self.wfile.write(chunk[:k]); n -= k
    def do_GET(self): self.reply()
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.reply(201)
    do_PUT = do_POST

http = ThreadingHTTPServer(("127.0.0.1", 80), H)
https = ThreadingHTTPServer(("127.0.0.1", 443), H)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER); ctx.load_cert_chain(sys.argv[1], sys.argv[2])
https.socket = ctx.wrap_socket(https.socket, server_side=True)
threading.Thread(target=https.serve_forever, daemon=True).start()
http.serve_forever()
PY
python3 "$WORK/origin.py" "$WORK/origin.crt" "$WORK/origin.key" &
PIDS+=($!)
wait_port t 80
wait_port t 443

# --- Squid: native and common access logs from the same requests ----------------------------
mkdir -p "$WORK/squid"
for h in "${KNOWN[@]}"; do echo "127.0.0.1 $h"; done >"$WORK/squid/hosts"
: >"$WORK/squid/passwd"
for u in ann bob chen dana eve; do echo "$u:$(openssl passwd -apr1 "pw-$u")" >>"$WORK/squid/passwd"; done
cat >"$WORK/squid/squid.conf" <<EOF
http_port 127.0.0.1:13128
visible_hostname sanction-sample-proxy
pid_filename $WORK/squid/squid.pid
cache_log $WORK/squid/cache.log
access_log stdio:$WORK/squid/access.log squid
access_log stdio:$WORK/squid/access-common.log common
cache deny all
coredump_dir $WORK/squid
hosts_file $WORK/squid/hosts
dns_nameservers 127.0.0.1
dns_timeout 2 seconds
shutdown_lifetime 1 seconds
auth_param basic program /usr/lib/squid/basic_ncsa_auth $WORK/squid/passwd
auth_param basic realm sanction
acl authed proxy_auth REQUIRED
acl blocked dstdomain .torrentz.cl .filedropper.com
acl SSL_ports port 443
acl Safe_ports port 80 443
acl CONNECT method CONNECT
http_access deny !Safe_ports
http_access deny CONNECT !SSL_ports
http_access deny !authed
http_access deny blocked
http_access allow authed
http_access deny all
EOF
chown -R proxy:proxy "$WORK/squid"
squid -N -f "$WORK/squid/squid.conf" &
PIDS+=($!)
wait_port t 13128

P=http://127.0.0.1:13128
req() { # user url [curl args...]
  local u="$1" url="$2"; shift 2
  curl -s -o /dev/null -k --max-time 10 -x "$P" ${u:+-U "$u:pw-$u"} "$@" "$url" || true
}
for round in 1 2; do
  req ann https://www.dropbox.com/home
  req ann "http://dl.dropboxusercontent.com/size/2500000/report.pdf"
  req ann https://www.dropbox.com/upload -X POST --data-binary "@$WORK/origin.crt"
  req bob https://slack.com/api/rtm.connect
  req bob "http://files.slack.com/size/120000/files-pri/T1/screenshot.png"
  req bob https://teams.microsoft.com/
  req chen https://zoom.us/j/123456789
  req chen http://us02web.zoom.us/wc/join/123456789
  req chen https://discord.com/channels/@me
  req chen "http://cdn.discordapp.com/size/800000/attachments/1/2/video.mp4"
  req dana https://www.facebook.com/
  req dana http://twitter.com/home
  req dana https://apps.apple.com/us/app/itunes/id123
  req dana "http://itunes.apple.com/size/5000000/WebObjects/MZStore.woa/wa/viewSoftware"
  req eve http://www.msn.com/en-us/news
  req eve https://mail.yahoo.com/d/folders/1
  req eve http://news.sohu.com/
  req eve https://drive.google.com/drive/my-drive
  req eve "http://www.box.com/size/64000/files"
  req bob https://app.box.com/folder/0
  req ann http://www.filedropper.com/upload
  req chen https://torrentz.cl/search?q=linux
  req dana http://files.contosodrive.com/share/abc
  req bob "https://cdn.unknown-cdn.net/size/300000/lib.js"
  req "" http://www.dropbox.com/
  req "" https://slack.com/
  req ann http://www.dropbox.com:8080/not-a-safe-port
done
# names the hosts file does not know: DNS fails (nothing answers on 127.0.0.1:53)
for h in "${UNRESOLVED[@]}"; do req bob "http://$h/"; req chen "https://$h/"; done
# a client that connects and sends nothing, and one that sends garbage: Squid logs its own
# error:… entries for these (the reader skips them: they are not requests)
timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/13128; printf 'BREW /pot HTCPCP/1.0\r\n\r\n' >&3; cat <&3 >/dev/null" || true
sleep 1
kill "${PIDS[-1]}"; wait "${PIDS[-1]}" 2>/dev/null || true; unset 'PIDS[-1]'
cp "$WORK/squid/access.log" "$HERE/squid-native.log"
cp "$WORK/squid/access-common.log" "$HERE/squid-common.log"

# --- DNS clients -----------------------------------------------------------------------------
ask() { # port name [type]
  dig @127.0.0.1 -p "$1" +tries=1 +time=1 "$2" "${3:-A}" >/dev/null 2>&1 || true
}
ask_all() { # port
  local port="$1" h jobs=()
  for h in "${KNOWN[@]}"; do ask "$port" "$h" & jobs+=($!); done
  wait "${jobs[@]}"; jobs=()
  for h in www.dropbox.com slack.com zoom.us teams.microsoft.com www.facebook.com; do
    ask "$port" "$h" AAAA & jobs+=($!)
    ask "$port" "$h" HTTPS & jobs+=($!)
  done
  wait "${jobs[@]}"; jobs=()
  for h in "${UNRESOLVED[@]}"; do ask "$port" "$h" & jobs+=($!); done
  wait "${jobs[@]}"
  ask "$port" intranet MX   # single label: a skip, not a record
  ask "$port" www.dropbox.com   # again, answered from cache or config
}

# --- dnsmasq (log-queries, own log file) -----------------------------------------------------
mkdir -p "$WORK/dnsmasq"
for h in "${KNOWN[@]}"; do
  case "$h" in torrentz.cl|www.filedropper.com) ;; *) echo "127.0.0.1 $h" ;; esac
done >"$WORK/dnsmasq/hosts"
dnsmasq --keep-in-foreground --conf-file=/dev/null --user=root --port=15353 --listen-address=127.0.0.1 \
  --bind-interfaces --no-resolv --no-hosts --addn-hosts="$WORK/dnsmasq/hosts" --server=127.0.0.1#15399 \
  --address=/torrentz.cl/0.0.0.0 --address=/filedropper.com/0.0.0.0 --log-queries \
  --log-facility="$WORK/dnsmasq/dnsmasq.log" --pid-file="$WORK/dnsmasq/dnsmasq.pid" &
PIDS+=($!)
wait_port u 15353
ask_all 15353
kill "${PIDS[-1]}"; wait "${PIDS[-1]}" 2>/dev/null || true; unset 'PIDS[-1]'
cp "$WORK/dnsmasq/dnsmasq.log" "$HERE/dnsmasq.log"

# --- Unbound: queries and replies; and queries only with ASCII times --------------------------
run_unbound() { # name port extra-config
  local d="$WORK/$1"
  mkdir -p "$d"
  {
    echo "server:"
    echo "  interface: 127.0.0.1"
    echo "  port: $2"
    echo "  do-ip6: no"
    echo "  username: \"\""
    echo "  chroot: \"\""
    echo "  directory: \"$d\""
    echo "  pidfile: \"$d/unbound.pid\""
    echo "  logfile: \"$d/unbound.log\""
    echo "  use-syslog: no"
    echo "  verbosity: 0"
    echo "  log-queries: yes"
    printf '%b\n' "$3"
    echo "  module-config: \"iterator\""
    echo "  do-not-query-localhost: no"
    echo "  access-control: 127.0.0.0/8 allow"
    echo "  local-zone: \"torrentz.cl.\" always_nxdomain"
    echo "  local-zone: \"filedropper.com.\" always_nxdomain"
    for h in "${KNOWN[@]}"; do
      case "$h" in torrentz.cl|www.filedropper.com) ;; *) echo "  local-data: \"$h. A 127.0.0.1\"" ;; esac
    done
    echo "remote-control:"
    echo "  control-enable: no"
    echo "forward-zone:"
    echo "  name: \".\""
    echo "  forward-addr: 127.0.0.1@15399"
  } >"$d/unbound.conf"
  unbound -d -c "$d/unbound.conf" &
  PIDS+=($!)
  wait_port u "$2"
  ask_all "$2"
  kill "${PIDS[-1]}"; wait "${PIDS[-1]}" 2>/dev/null || true; unset 'PIDS[-1]'
}
run_unbound unbound 15355 "  log-replies: yes"
cp "$WORK/unbound/unbound.log" "$HERE/unbound.log"
run_unbound unbound-ascii 15357 "  log-time-ascii: yes"
gzip -9 -n -c "$WORK/unbound-ascii/unbound.log" >"$HERE/unbound-queries.log.gz"

# --- BIND 9 query log, with and without category/severity prefixes ---------------------------
mkdir -p "$WORK/bind"
{
  cat <<EOF
options {
  directory "$WORK/bind";
  pid-file "$WORK/bind/named.pid";
  session-keyfile "$WORK/bind/session.key";
  listen-on port 15356 { 127.0.0.1; };
  listen-on-v6 { none; };
  allow-query { 127.0.0.1; };
  recursion yes;
  forwarders { 127.0.0.1 port 15399; };
  forward only;
  dnssec-validation no;
  querylog yes;
};
controls { };
logging {
  channel q_full { file "$WORK/bind/query-full.log"; print-time yes; print-category yes; print-severity yes; severity info; };
  channel q_plain { file "$WORK/bind/query-plain.log"; print-time yes; severity info; };
  category queries { q_full; q_plain; };
  category default { null; };
  category lame-servers { null; };
};
EOF
} >"$WORK/bind/named.conf"
named -f -c "$WORK/bind/named.conf" >"$WORK/bind/named.out" 2>&1 &
PIDS+=($!)
wait_port u 15356
ask_all 15356
kill "${PIDS[-1]}"; wait "${PIDS[-1]}" 2>/dev/null || true; unset 'PIDS[-1]'
cp "$WORK/bind/query-full.log" "$HERE/bind-queries.log"
gzip -9 -n -c "$WORK/bind/query-plain.log" >"$HERE/bind-queries-plain.log.gz"

echo "sample logs written to $HERE (work files in $WORK)"
