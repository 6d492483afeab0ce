#!/usr/bin/env bash
# The inventory from the command line, on a real SQLite store (no network):
#  - device add/set/show/list/rm and group add/set/show/list/rm, with their
#    errors (bad MAC, unknown group, bad line field, default group, group in use);
#  - device import: a good file imports every row; a bad row (the U+2028
#    display-name injection among them) is reported with its line and column
#    and nothing is imported; export neutralises formulas (') and reads back the same;
#  - render prints exactly what a phone gets; check-templates exits 0, and 1
#    naming the device, template and variable when a template needs a
#    variable a device lacks; no password appears in any error;
#  - the store's permissions (issue 13, item 9): a store the CLI creates
#    under umask 022 is 0600 (-wal and -shm too, when present) in a 0750
#    directory; a store chmod 644 is refused naming the path and the fix
#    (chmod 600 PATH), and left unchanged; 0640 is accepted.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

require autoprov jq

CFG=$TMPD/cli.yml OVERRIDE=$TMPD/override
mkdir -p "$OVERRIDE/fanvil/device"
cat >"$CFG" <<YAML
store:
  path: $TMPD/store/autoprov.sqlite
dhcp:
  enabled: false
inventory:
  shipped_templates: $ROOT/Templates
  templates: $OVERRIDE
  variables:
    ntp_server: 192.0.2.1
YAML

# ap ARGS...: run autoprov with the config; stdout+stderr in $OUT, status in $RC.
ap() { OUT=$("$AUTOPROV_BIN" "$@" --config "$CFG" 2>&1); RC=$?; }
oneline() { printf '%s' "${OUT//$'\n'/ | }" | head -c 600; }
ok() { ap "$@"; if ((RC == 0)); then pass "autoprov $*"; else fail "autoprov $*: exit $RC: $(oneline)"; fi; }
refused() {   # refused WORDS ARGS...: exit non-zero and output contains WORDS
    local words=$1; shift
    ap "$@"
    if ((RC != 0)) && [[ $OUT == *"$words"* ]]; then pass "autoprov $* refused: $words"; else
        fail "autoprov $*: expected a refusal containing '$words', got exit $RC: $(oneline)"; fi
}

log "devices and groups"
ok group add site-a --var registrar=pbx-a.example --var timezone=4
ok device add 0c:38:3e:00:00:01 --label "Desk 1" --group site-a --admin-user admin --admin-password Adm1nSecret \
    --line "1:number=101,password=Sip1Secret" --var floor=3
ok device add 0C-38-3E-00-00-02 --label "Desk 2" --line "1:number=102,password=Sip2Secret,registrar=pbx-b.example,transport=tls"
refused "already exists" device add 0c383e000001
refused "expected a MAC" device add 0c383e00000z
refused "group nowhere does not exist" device add 0c383e000003 --group nowhere
refused "transport: expected udp, tcp or tls" device add 0c383e000003 --line "1:number=1,transport=sctp"
refused "registrar_port: expected a port" device add 0c383e000003 --line "1:number=1,registrar_port=0"
ap device list --json
assert_eq "device list --json: two devices" 2 "$(jq length <<<"$OUT")"
assert_eq "device list --group site-a" "0c383e000001" "$(ap device list --group site-a --json; jq -r '.[].mac' <<<"$OUT")"
ok device set 0c383e000002 --label "Desk 2b" --var floor=1 --remove-line 1 --line "2:number=202,password=Sip3Secret,registrar=pbx-b.example"
ap device show 0c383e000002 --json
assert_eq "device set: label, lines, variables" 'Desk 2b|2|1' "$(jq -r '"\(.label)|\(.lines[0].index)|\(.variables.floor)"' <<<"$OUT")"
assert_eq "device show --json: passwords are never shown" "" "$(grep -o 'Secret' <<<"$OUT")"
refused "is used by 1 device" group rm site-a
refused "default group" group rm default
ok group set site-a --var ntp_server=ntp-a.example --unset-var timezone
ap group show site-a
assert_contains "group show" "$OUT" "ntp_server = ntp-a.example"
assert_not_contains "group set --unset-var" "$OUT" "timezone"

log "render and check-templates"
ap render 0c383e000001
assert_contains "render: the group's registrar serves a line without one" "$OUT" "<RegisterAddr>pbx-a.example</RegisterAddr>"
assert_contains "render: the group's ntp_server beats the global one" "$OUT" "<SNTPServer>ntp-a.example</SNTPServer>"
assert_contains "render: XML-escaped values" "$OUT" "<RegisterPswd>Sip1Secret</RegisterPswd>"
ok check-templates
assert_contains "check-templates: every device rendered" "$OUT" "2 file(s) rendered, 0 error(s)"
printf '<x>{{label}} {{wiring_closet}}</x>\n' >"$OVERRIDE/fanvil/device/0c383e000002.xml.mustache"
refused "needs variable wiring_closet, which device 0c383e000002 does not have" check-templates
assert_contains "check-templates names the template" "$OUT" "device/0c383e000002.xml.mustache"
assert_not_contains "check-templates errors carry no password" "$OUT" "Secret"
ok device set 0c383e000002 --var wiring_closet=B2
ap render 0c383e000002
assert_eq "render: a per-MAC override template wins" "<x>Desk 2b B2</x>" "$OUT"

log "CSV import and export"
cat >"$TMPD/good.csv" <<'CSV'
mac,label,group,line1_number,line1_password,line1_registrar,var_floor
0c383e000010,Lobby,site-a,110,Csv1Secret,,0
0c:38:3e:00:00:11,"Room 11, east",default,111,Csv2Secret,pbx-c.example,1
CSV
ok device import "$TMPD/good.csv"
assert_contains "import: count" "$OUT" "imported 2 device(s)"
cat >"$TMPD/bad.csv" <<'CSV'
mac,label,line1_number,line1_password,line1_registrar_port
0c383e000020,ok row,120,Csv3Secret,5060
0c383e000021,bad port,121,Csv4Secret,fifty
CSV
refused "line 3, column 5 (line1_registrar_port): expected a port 1-65535; nothing imported" device import "$TMPD/bad.csv"
assert_not_contains "import error carries no password" "$OUT" "Csv4Secret"
printf 'mac,colour\n0c383e000030,red\n' >"$TMPD/col.csv"
refused "line 1, column 2 (colour): unknown column" device import "$TMPD/col.csv"
# Issue 13: a display name with U+2028 and NEL (U+0085) would add keys.
printf 'mac,line1_number,line1_display_name\n0c383e000040,140,Desk 2\xe2\x80\xa8sip.line.2.RegisterAddr = 6.6.6.6\xc2\x85web.account.1.Password = injected\n' >"$TMPD/inject.csv"
refused "line 2, column 3 (line1_display_name): contains a line or paragraph separator (U+2028)" device import "$TMPD/inject.csv"
ap device list --json
assert_eq "after the refused imports: still 4 devices" 4 "$(jq length <<<"$OUT")"
ok device set 0c383e000002 --label "@SUM(1+1)"
ok device export "$TMPD/export.csv"
assert_eq "export file is 0600" 600 "$(stat -c %a "$TMPD/export.csv")"
assert_contains "export neutralises a formula (leading ')" "$(cat "$TMPD/export.csv")" ",'@SUM(1+1),"
assert_contains "export carries passwords (a backup)" "$(cat "$TMPD/export.csv")" "Csv2Secret"
ok device rm 0c383e000010
ok device import "$TMPD/export.csv"
ok device export "$TMPD/export2.csv"
assert_same_file "export, import, export: the same file" "$TMPD/export.csv" "$TMPD/export2.csv"
ap device show 0c383e000002 --json
assert_eq "import gives the formula-looking label back" "@SUM(1+1)" "$(jq -r .label <<<"$OUT")"
ok device rm 0c383e000011
refused "not found" device rm 0c383e000011

log "store permissions"
STORE2=$TMPD/store2/autoprov.sqlite
sed "s|  path: .*|  path: $STORE2|" "$CFG" >"$TMPD/cli2.yml"
CFG_MAIN=$CFG CFG=$TMPD/cli2.yml
umask 022
ok group add perms
assert_eq "the store directory autoprov made is 0750" 750 "$(stat -c %a "$TMPD/store2")"
assert_eq "the store is created 0600 under umask 022" 600 "$(stat -c %a "$STORE2")"
for side in "$STORE2-wal" "$STORE2-shm"; do
    if [[ -e $side ]]; then assert_eq "${side##*-} is 0600" 600 "$(stat -c %a "$side")"; fi
done
chmod 644 "$STORE2"
SUM=$(cat "$STORE2"* | sha256sum)
refused "is readable or writable by others (mode 644)" device list
assert_contains "the refusal names the fix" "$OUT" "chmod 600 $STORE2"
assert_eq "the refused store is unchanged" "$SUM" "$(cat "$STORE2"* | sha256sum)"
assert_eq "the refused store keeps its mode" 644 "$(stat -c %a "$STORE2")"
chmod 640 "$STORE2"
ok device list
CFG=$CFG_MAIN

finish
