#!/bin/sh
# TrustNet installer: takes a machine to a running TrustNet devnet (or, with --vm, the node and registry VMs).
#
#   From a clone:   ./install.sh [options]
#   From the web:   curl -fsSL "${TRUSTNET_BASE_URL:-<release URL>}/install.sh" | sh -s -- [options]
#
# Run `./install.sh --help` for the options and environment variables. POSIX sh (dash, bash, zsh as sh or as zsh).
# The whole script is one function, called on the very last line: a download cut short runs nothing. Inside it,
# tn_main reads like the install: the options, the prefix, the platform, then eight numbered steps.

trustnet_install() {
  # ---- pins and defaults -------------------------------------------------------------------------------------
  tn_defaults() {
    TN_VERSION_PIN="0.1.0"                    # the TrustNet release this installer installs
    # The SHA-256 of that release's tarball: empty in the repository, written by the release step
    # (node installer/src/main.ts release) into the install.sh it publishes.
    TN_TARBALL_SHA256=""
    TN_RELEASE_URL="https://github.com/trustnet-chain/trustnet/releases/download"
    TN_PORTS_LOCAL="26656 26657 26658 1317 8000"   # validator i > 0 adds 10*i to 26656-26658
    TN_PORTS_VM="2222 2223"
  }

  # ---- output ------------------------------------------------------------------------------------------------
  # colours and step counters (colours only on a terminal)
  tn_output() {
    if [ -t 2 ]; then tn_b=$(printf '\033[1m'); tn_r=$(printf '\033[31m'); tn_g=$(printf '\033[32m'); tn_0=$(printf '\033[0m'); tn_tty=1
    else tn_b=""; tn_r=""; tn_g=""; tn_0=""; tn_tty=""; fi
    TN_PROGRESS=$tn_tty; export TN_PROGRESS
    tn_step_no=0; tn_step_total=0; tn_step_name="checking the options and the platform"; tn_died=""; tn_signal=""; tn_tmp=""; tn_ticker=""
  }
  say() { printf '%s\n' "$*" >&2; }
  now() { date +%s; }
  tn_where() { if [ "$tn_step_no" -eq 0 ]; then printf 'while %s' "$tn_step_name"; else printf 'in step %s/%s (%s)' "$tn_step_no" "$tn_step_total" "$tn_step_name"; fi; }
  step() {
    tn_step_no=$((tn_step_no + 1)); tn_step_name=$1; tn_step_start=$(now)
    say "${tn_b}[$tn_step_no/$tn_step_total] $1${tn_0}"
  }
  step_done() { say "    ${tn_g}done${tn_0} ($(( $(now) - tn_step_start ))s)${1:+ - $1}"; }
  # die CAUSE FIX: every failure names the step, the cause and the fix.
  die() {
    stop_ticker
    say ""
    say "${tn_r}${tn_b}error $(tn_where):${tn_0} $1"
    say "${tn_b}fix:${tn_0} $2"
    tn_died=1
    exit 1
  }
  on_exit() {
    rc=$?
    stop_ticker
    [ -n "$tn_tmp" ] && rm -rf "$tn_tmp"
    if [ -n "$tn_signal" ]; then
      say ""
      say "${tn_r}${tn_b}error $(tn_where):${tn_0} interrupted (SIG$tn_signal)${TN_LOG:+; what ran is in $TN_LOG}"
      say "${tn_b}fix:${tn_0} re-run the same command: it starts again where it stopped (what this run left half-done is removed first) and keeps keys and chain data"
    elif [ "$rc" -ne 0 ] && [ -z "$tn_died" ]; then
      say ""
      say "${tn_r}${tn_b}error $(tn_where):${tn_0} a command failed (exit $rc); its output is above${TN_LOG:+, and in $TN_LOG}"
      say "${tn_b}fix:${tn_0} correct the cause shown above, then re-run the installer: it resumes where it stopped and keeps keys and chain data"
    fi
  }
  # A timer for long, quiet steps (only on a terminal): prints the elapsed seconds every 5 s.
  start_ticker() {
    [ -n "$tn_tty" ] || return 0
    ( s=0; while sleep 5; do s=$((s + 5)); printf '\r    ... %ss' "$s" >&2; done ) &
    tn_ticker=$!
  }
  stop_ticker() {
    if [ -n "$tn_ticker" ]; then kill "$tn_ticker" 2>/dev/null || true; wait "$tn_ticker" 2>/dev/null || true; tn_ticker=""; printf '\r' >&2; fi
  }
  # quiet LABEL CMD...: runs a long command with its output in the install log; shows the tail on failure.
  quiet() {
    q_label=$1; shift
    say "    $q_label (log: $TN_LOG)"
    start_ticker
    q_rc=0
    # In a subshell: bash (as sh too) runs the signal traps with the redirections of the command they interrupted in
    # place, so a Ctrl-C during a shell function (tn_cli) redirected here would write "interrupted" into the log.
    ("$@") >>"$TN_LOG" 2>&1 || q_rc=$?
    stop_ticker
    if [ "$q_rc" -ne 0 ]; then
      say "    --- last lines of $TN_LOG ---"; tail -n 15 "$TN_LOG" >&2 || true
      return "$q_rc"
    fi
  }
  usage() {
    cat <<EOF
TrustNet installer $TN_VERSION_PIN

Usage: install.sh [options]

Modes:
  --local            run the node, the app and the registry as host processes (default)
  --vm               run the seed layout: trustnet-node and trustnet-registry ARM64 VMs (calls 'trustnet vm up')
Options:
  --validators N     number of devnet validators (default 1; N > 1 uses port offsets on loopback)
  --prefix DIR       install into DIR instead of \$TRUSTNET_HOME or ~/.trustnet (spaces are fine)
  --version VER      install TrustNet release VER (default $TN_VERSION_PIN); alone, prints the installer version
  --yes, -y          non-interactive: agree to every prompt, including package installs with sudo
  --no-start         install everything but do not start the devnet or the VMs
  --uninstall        stop everything and remove what the installer added (asks first; --yes skips)
  --keep-data        with --uninstall: keep keys and chain data
  --dry-run          print the plan and change nothing
  --help, -h         this text

Environment:
  TRUSTNET_HOME             install prefix (default ~/.trustnet)
  TRUSTNET_BASE_URL         where install.sh, trustnet-<ver>.tar.gz and trustnet-<ver>.tar.gz.sha256 are served
                            (default $TN_RELEASE_URL/v<ver>); used when not run from a clone
  TRUSTNET_NODE_MIRROR      Node.js dist mirror (default https://nodejs.org/dist; the npm registry is the fallback)
  TRUSTNET_NPM_REGISTRY     npm registry for the Node fallback and npm ci (default https://registry.npmjs.org)
  TRUSTNET_COMETBFT_MIRROR  CometBFT release mirror with GitHub's layout (default the GitHub releases)
  TRUSTNET_PINS_FILE        '<hex>  <file name>' lines that replace the pinned hashes (mirrors of own builds)
  TRUSTNET_REQUIRE_PINS     1: refuse any download that has no pinned hash (instead of a warning)
Every download is checked against the hash pinned in this release and against the mirror's checksum file.
EOF
  }

  # ---- arguments ---------------------------------------------------------------------------------------------
  # parse_args ARGS...: sets MODE, VALIDATORS, YES, UNINSTALL, KEEP_DATA, DRY_RUN, NO_START, TN_VERSION, PREFIX_ARG
  parse_args() {
    MODE=local; VALIDATORS=1; YES=""; UNINSTALL=""; KEEP_DATA=""; DRY_RUN=""; NO_START=""
    TN_VERSION=$TN_VERSION_PIN; PREFIX_ARG=""
    while [ $# -gt 0 ]; do
      case "$1" in
        --local) MODE=local ;;
        --vm) MODE=vm ;;
        --validators) [ $# -ge 2 ] || die "--validators needs a number" "e.g. --validators 4"; VALIDATORS=$2; shift ;;
        --validators=*) VALIDATORS=${1#*=} ;;
        --prefix) [ $# -ge 2 ] || die "--prefix needs a directory" "e.g. --prefix \"\$HOME/trustnet\""; PREFIX_ARG=$2; shift ;;
        --prefix=*) PREFIX_ARG=${1#*=} ;;
        --version)
          if [ $# -ge 2 ] && [ "${2#-}" = "$2" ]; then TN_VERSION=$2; shift
          else printf 'TrustNet installer %s\n' "$TN_VERSION_PIN"; exit 0; fi ;;
        --version=*) TN_VERSION=${1#*=} ;;
        --yes|-y) YES=1 ;;
        --no-start) NO_START=1 ;;
        --uninstall) UNINSTALL=1 ;;
        --keep-data) KEEP_DATA=1 ;;
        --dry-run) DRY_RUN=1 ;;
        --help|-h) usage; exit 0 ;;
        *) die "unknown option '$1'" "run install.sh --help for the list of options" ;;
      esac
      shift
    done
    case "$VALIDATORS" in ''|*[!0-9]*) die "--validators must be a whole number, got '$VALIDATORS'" "use 1 to 16, e.g. --validators 4" ;; esac
    { [ "$VALIDATORS" -ge 1 ] && [ "$VALIDATORS" -le 16 ]; } || die "--validators must be between 1 and 16, got $VALIDATORS" "use 1 to 16"
    case "$TN_VERSION" in *[!0-9A-Za-z.+-]*|'') die "invalid --version '$TN_VERSION'" "use a release number such as $TN_VERSION_PIN" ;; esac
    [ -z "$KEEP_DATA" ] || [ -n "$UNINSTALL" ] || die "--keep-data only makes sense with --uninstall" "run install.sh --uninstall --keep-data"
  }

  # ---- the prefix --------------------------------------------------------------------------------------------
  # resolve_prefix: TRUSTNET_HOME (absolute, no trailing slash, safe to quote), TN_LOG and TN_STATE
  resolve_prefix() {
    [ -n "${HOME:-}" ] || die "HOME is not set" "run the installer from a normal login shell, or set HOME"
    TRUSTNET_HOME=${PREFIX_ARG:-${TRUSTNET_HOME:-$HOME/.trustnet}}
    # A ~ the shell left as it was (--prefix=~/tn under dash or zsh, a quoted '~/tn', TRUSTNET_HOME='~/tn') means
    # $HOME, as it would in a shell, not a directory named ~ in the current one; ~user is not guessed.
    case "$TRUSTNET_HOME" in
      '~') TRUSTNET_HOME=$HOME ;;
      '~/'*) TRUSTNET_HOME=$HOME/${TRUSTNET_HOME#'~/'} ;;
      '~'*) die "the prefix '$TRUSTNET_HOME' starts with ~user, which the installer does not expand" \
              "write the directory in full, e.g. --prefix \"\$HOME/trustnet\" or --prefix /home/<user>/trustnet; nothing was changed" ;;
    esac
    case "$TRUSTNET_HOME" in /*) ;; *) TRUSTNET_HOME="$(pwd)/$TRUSTNET_HOME" ;; esac
    case "$TRUSTNET_HOME" in
      *'"'*|*'$'*|*'`'*|*'\'*) die "the prefix '$TRUSTNET_HOME' contains \", \$, \` or \\" "choose a directory without those characters (spaces are fine)" ;;
    esac
    if [ "$(printf '%s' "$TRUSTNET_HOME" | wc -l)" -ne 0 ]; then die "the prefix contains a newline" "choose a directory name without newlines"; fi
    TRUSTNET_HOME=$(printf '%s' "$TRUSTNET_HOME" | sed 's:/*$::')
    { [ -n "$TRUSTNET_HOME" ] && [ "$TRUSTNET_HOME" != "$HOME" ]; } || die "refusing to use '$TRUSTNET_HOME' itself as the prefix" "use a dedicated directory such as \$HOME/.trustnet"
    export TRUSTNET_HOME
    TN_LOG="$TRUSTNET_HOME/logs/install.log"
    TN_STATE="$TRUSTNET_HOME/.install-state"
  }

  # ---- platform detection (read-only) ------------------------------------------------------------------------
  # detect_platform: UNAME_S, UNAME_M, the package manager PM and DISTRO
  detect_platform() {
    UNAME_S=${TRUSTNET_UNAME_S:-$(uname -s)}
    UNAME_M=${TRUSTNET_UNAME_M:-$(uname -m)}
    TN_SUPPORTED="Linux x86_64, Linux aarch64, macOS x86_64, macOS arm64 (Apple silicon)"
    case "$UNAME_S/$UNAME_M" in
      Linux/x86_64|Linux/amd64|Linux/aarch64|Linux/arm64|Darwin/x86_64|Darwin/arm64) ;;
      *) die "unsupported platform: $UNAME_S $UNAME_M" "TrustNet supports $TN_SUPPORTED" ;;
    esac
    export TRUSTNET_UNAME_S="$UNAME_S" TRUSTNET_UNAME_M="$UNAME_M"
    PM=""; DISTRO="macOS"
    if [ "$UNAME_S" = Darwin ]; then PM=brew
    else
      osr=${TRUSTNET_OS_RELEASE:-/etc/os-release}
      DISTRO=""; os_id=""; os_like=""
      if [ -r "$osr" ]; then
        os_id=$(sed -n 's/^ID=//p' "$osr" | tr -d '"'); os_like=$(sed -n 's/^ID_LIKE=//p' "$osr" | tr -d '"')
        DISTRO=$(sed -n 's/^PRETTY_NAME=//p' "$osr" | tr -d '"')
      fi
      DISTRO=${DISTRO:-Linux}
      for id in $os_id $os_like; do
        case "$id" in
          debian|ubuntu) PM=apt; break ;;
          fedora|rhel|centos|rocky|almalinux) PM=dnf; break ;;
          arch|archlinux) PM=pacman; break ;;
        esac
      done
    fi
  }
  # locate_app: where the app comes from (this clone, or the release tarball): FROM_CLONE, APP, TN_BASE_URL, TN_TARBALL
  locate_app() {
    FROM_CLONE=""; APP="$TRUSTNET_HOME/app"; TN_STOPPED_FOR_UPGRADE=""; TN_REUSE_MODULES=""; TN_NODE_STAGED=""; TN_COMETBFT_STAGED=""
    case "$0" in
      */*|install.sh)
        if [ -f "$0" ]; then
          d=$(cd "$(dirname "$0")" && pwd)
          if [ -f "$d/cli/bin/trustnet.js" ] && [ -f "$d/package.json" ] && [ -f "$d/scripts/lib/node-env.sh" ]; then FROM_CLONE=1; APP=$d; fi
        fi ;;
    esac
    # SRC: the release the steps install from. A new release is staged in app.new, a new Node in node.new and a new
    # CometBFT in bin/cometbft.new; they become the installed ones only once all are complete (swap_release, step 6);
    # until then the installed release, its Node and CometBFT, and a devnet running them are left alone.
    SRC=$APP
    TN_BASE_URL=${TRUSTNET_BASE_URL:-$TN_RELEASE_URL/v$TN_VERSION}
    TN_BASE_URL=${TN_BASE_URL%/}
    TN_TARBALL="trustnet-$TN_VERSION.tar.gz"
  }

  is_root() { [ "$(id -u)" -eq 0 ]; }
  have() { command -v "$1" >/dev/null 2>&1; }
  # confirm QUESTION: yes with --yes; otherwise ask on the terminal; no terminal means no.
  confirm() {
    [ -n "$YES" ] && return 0
    if (: </dev/tty) 2>/dev/null; then
      printf '%s [y/N] ' "$1" >/dev/tty
      read -r ans </dev/tty || ans=""
      case "$ans" in y|Y|yes|YES) return 0 ;; esac
    fi
    return 1
  }
  as_root_prefix() { if is_root || [ "$PM" = brew ]; then printf ''; else printf 'sudo '; fi; }

  # ---- prerequisites ----------------------------------------------------------------------------------------
  # pkg_for TOOL: the package that provides TOOL with this package manager.
  pkg_for() {
    case "$PM:$1" in
      *:curl) echo curl ;;
      brew:tar) echo gnu-tar ;;
      *:tar) echo tar ;;
      *:gzip) echo gzip ;;
      apt:sha256sum|dnf:sha256sum|pacman:sha256sum) echo coreutils ;;
      brew:sha256sum) echo coreutils ;;
      apt:ca-certificates|dnf:ca-certificates|pacman:ca-certificates) echo ca-certificates ;;
      apt:qemu-system-aarch64) echo qemu-system-arm ;;
      brew:qemu-system-aarch64|brew:qemu-img|brew:uefi) echo qemu ;;
      dnf:qemu-system-aarch64|pacman:qemu-system-aarch64) echo qemu-system-aarch64 ;;
      apt:qemu-img) echo qemu-utils ;;
      dnf:qemu-img|pacman:qemu-img) echo qemu-img ;;
      apt:uefi) echo qemu-efi-aarch64 ;;
      dnf:uefi|pacman:uefi) echo edk2-aarch64 ;;
      apt:iso|dnf:iso) echo genisoimage ;;
      pacman:iso) echo libisoburn ;;
      brew:iso) echo xorriso ;;
      *) echo "$1" ;;
    esac
  }
  pkgs_for() { # TOOLS... -> the distinct packages, in order
    pl=""
    for t in "$@"; do p1=$(pkg_for "$t"); case " $pl " in *" $p1 "*) ;; *) pl="$pl $p1" ;; esac; done
    printf '%s' "${pl# }"
  }
  pm_command() { # PKGS...
    p=$(as_root_prefix)
    case "$PM" in
      apt) echo "${p}apt-get update && ${p}env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $*" ;;
      dnf) echo "${p}dnf install -y $*" ;;
      pacman) echo "${p}pacman -S --needed --noconfirm $*" ;;
      brew) echo "brew install $*" ;;
      *) echo "install with your package manager: $*" ;;
    esac
  }
  uefi_present() {
    for f in /usr/share/AAVMF/AAVMF_CODE.fd /usr/share/qemu-efi-aarch64/QEMU_EFI.fd /usr/share/edk2/aarch64/QEMU_EFI.fd \
             /usr/share/edk2/aarch64/QEMU_CODE.fd /usr/share/edk2/aarch64/QEMU_EFI.silent.fd \
             /usr/share/edk2-armvirt/aarch64/QEMU_CODE.fd /opt/homebrew/share/qemu/edk2-aarch64-code.fd \
             /usr/local/share/qemu/edk2-aarch64-code.fd; do
      [ -f "$f" ] && return 0
    done
    return 1
  }
  # missing_tools: prints the missing tools (one word each) for the chosen mode.
  missing_tools() {
    have curl || have wget || echo curl
    have tar || echo tar
    have gzip || echo gzip
    have sha256sum || have shasum || echo sha256sum
    if [ "$PM" = apt ] && [ ! -f /etc/ssl/certs/ca-certificates.crt ]; then
      case "$TN_BASE_URL${TRUSTNET_NODE_MIRROR:-https:}${TRUSTNET_COMETBFT_MIRROR:-https:}" in *https:*) echo ca-certificates ;; esac
    fi
    if [ "$MODE" = vm ]; then
      have qemu-system-aarch64 || echo qemu-system-aarch64
      have qemu-img || echo qemu-img
      uefi_present || echo uefi
      have genisoimage || have xorriso || have mkisofs || echo iso
    fi
  }
  describe_tool() {
    case "$1" in
      curl) echo "curl (neither curl nor wget is installed)" ;;
      uefi) echo "UEFI firmware for aarch64" ;;
      iso) echo "genisoimage or xorriso" ;;
      *) echo "$1" ;;
    esac
  }

  # tn_fetch URL DEST [progress] [cap]: the shell's one downloader, for what must come before Node (the release tarball,
  # then Node itself: scripts/lib/node-env.sh uses this definition when the installer sourced it). Everything after
  # Node (CometBFT, images, VM payloads) goes through installer/src/download.ts. A piped install.sh is one file and
  # cannot source node-env.sh before it has downloaded it, so node-env.sh carries the same body for its own callers;
  # installer/src/shell-downloader.spec.ts fails if the two ever differ.
  tn_fetch() {
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
  sha256_of() { if have sha256sum; then sha256sum "$1" | cut -d' ' -f1; else shasum -a 256 "$1" | cut -d' ' -f1; fi; }

  # ---- the eight steps -------------------------------------------------------------------------------------
  # 1. the prefix: writable, with logs/, bin/ and cache/; leftovers of an interrupted run removed
  step_prefix() {
    step "Checking the prefix $TRUSTNET_HOME"
    check_home_owner
    # The installer adds bin/, node/, app/, env, ... to the prefix, and --uninstall deletes the whole directory: a
    # directory that already holds other files (--prefix ~/.local, /usr/local, /opt) is refused, never taken over.
    if [ -n "$(prefix_foreign_entries)" ]; then
      die "$TRUSTNET_HOME already exists and holds files that are not TrustNet's ($(prefix_foreign_entries)); the installer puts its own bin/, node/, app/ and env there, and 'install.sh --uninstall' deletes the whole directory" \
        "use a new or empty directory of its own, e.g. --prefix '$TRUSTNET_HOME/trustnet'; nothing was changed"
    fi
    guard_legacy_fullnode
    check_prefix_owner
    mkdir -p "$TRUSTNET_HOME" 2>/dev/null || die "cannot create $TRUSTNET_HOME (no write access to its parent)" \
      "choose a writable prefix with --prefix DIR (or TRUSTNET_HOME=DIR), or create it and hand it to $(id -un): sudo mkdir -p '$TRUSTNET_HOME' && sudo chown $(id -un) '$TRUSTNET_HOME'"
    [ -w "$TRUSTNET_HOME" ] || die "no write access to $TRUSTNET_HOME" "choose a writable prefix with --prefix DIR (or TRUSTNET_HOME=DIR), or fix its owner: sudo chown -R $(id -un) '$TRUSTNET_HOME'"
    check_prefix_owner
    probe="$TRUSTNET_HOME/.write-test.$$"
    if ! ( : >"$probe" ) 2>/dev/null || ! mkdir -p "$TRUSTNET_HOME/logs" "$TRUSTNET_HOME/bin" "$TRUSTNET_HOME/cache" 2>/dev/null; then
      rm -f "$probe" 2>/dev/null || true
      die "no write access to $TRUSTNET_HOME" "choose a writable prefix with --prefix DIR (or TRUSTNET_HOME=DIR), or fix its owner: sudo chown -R $(id -un) '$TRUSTNET_HOME'"
    fi
    rm -f "$probe"
    printf '\n==== install %s (TrustNet %s, %s mode) ====\n' "$(date)" "$TN_VERSION" "$MODE" >>"$TN_LOG"
    # An upgrade interrupted in the middle of swap_release: put the previous Node, CometBFT and release back.
    repair_swap
    rm -rf "$TRUSTNET_HOME"/.stage.* "$TRUSTNET_HOME"/.node-stage.* "$TRUSTNET_HOME"/bin/.cometbft-install-* "$TRUSTNET_HOME/app.new" \
      "$TRUSTNET_HOME/node.new" "$TRUSTNET_HOME/bin/cometbft.new" "$TRUSTNET_HOME/bin/cometbft.new.version" 2>/dev/null || true
    [ -n "$FROM_CLONE" ] || [ ! -e "$APP" ] || rm -rf "$TRUSTNET_HOME/app.old"
    tn_tmp=$(mktemp -d "$TRUSTNET_HOME/.stage.XXXXXX")
    step_done
  }
  # 2. system packages
  step_prereqs() {
    step "Checking system prerequisites"
    install_prereqs
    step_done
  }
  # 3. the app
  step_app() {
    if [ -n "$FROM_CLONE" ]; then
      step "Using the TrustNet source in $APP"
      step_done "from a clone; nothing downloaded"
    else
      step "Fetching TrustNet $TN_VERSION into $APP"
      fetch_release
    fi
  }
  # 4. Node
  step_node() {
    step "Node.js 24 (private, in $TRUSTNET_HOME/node)"
    TRUSTNET_NODE_DIR="$TRUSTNET_HOME/node"; export TRUSTNET_NODE_DIR
    # shellcheck disable=SC1091
    . "$SRC/scripts/lib/node-env.sh"
    # Another (or no) Node is staged in node.new: the installed one, which a running devnet restarts its processes
    # with, is replaced only by swap_release once that devnet is stopped.
    if ! tn_node_ok "$TRUSTNET_NODE_DIR"; then TRUSTNET_NODE_DIR="$TRUSTNET_HOME/node.new"; TN_NODE_STAGED=1; fi
    tn_ensure_node || die "could not install Node $TRUSTNET_NODE_VERSION (the reason is printed above)" \
      "a checksum mismatch means a corrupted or tampered download: re-run, or set TRUSTNET_NODE_MIRROR to another mirror; if nothing is reachable, set TRUSTNET_NPM_REGISTRY to a reachable npm registry"
    step_done "$(node --version) at $TRUSTNET_NODE_DIR/bin/node${TN_NODE_STAGED:+ (staged: it replaces $TRUSTNET_HOME/node at the end of step 6)}"
  }
  # 5. (needs only Node's built-ins) CometBFT
  step_cometbft() {
    step "CometBFT (pinned, verified)"
    # The installed bin/cometbft stays until swap_release; another (or no) version is staged in bin/cometbft.new.
    node "$SRC/installer/src/main.ts" cometbft --home "$TRUSTNET_HOME" --stage "$TRUSTNET_HOME/bin/cometbft.new" >/dev/null || die "could not install CometBFT (the reason is printed above)" \
      "a checksum mismatch means a corrupted or tampered download: re-run, or set TRUSTNET_COMETBFT_MIRROR to another mirror; without the release, install Go >= 1.22 for the go install fallback"
    if [ -f "$TRUSTNET_HOME/bin/cometbft.new" ]; then
      TN_COMETBFT_STAGED=1
      step_done "$("$TRUSTNET_HOME/bin/cometbft.new" version) at $TRUSTNET_HOME/bin/cometbft.new (staged: it replaces $TRUSTNET_HOME/bin/cometbft at the end of step 6)"
    else
      step_done "$("$TRUSTNET_HOME/bin/cometbft" version) at $TRUSTNET_HOME/bin/cometbft"
    fi
  }
  # 6. npm dependencies
  step_npm() {
    step "npm dependencies"
    install_npm_deps
    swap_release
    step_done "$tn_npm_done"
  }
  # 7. shell integration
  step_shell() {
    step "Shell integration (env file, trustnet command, profile)"
    write_env
    step_done
  }
  # 8. start
  step_start() {
    if [ "$MODE" = vm ]; then
      step "Starting the TrustNet VMs (trustnet vm up)"
      start_vms
    else
      step "Starting the local devnet ($VALIDATORS validator(s))"
      start_devnet
    fi
  }

  tn_main() {
    set -eu
    # Nothing the installer creates (the prefix, bin/, node/, app/, env, logs) may be writable by group or others, who
    # could then replace bin/trustnet or node/bin/node: a umask of 000 (some containers, CI runners, WSL) or 002 gets
    # 022 added; a stricter one (077) is kept. The devnet it starts inherits it.
    umask go-w
    unset CDPATH # an exported CDPATH makes `cd` print the directory, which $(cd …; pwd) would capture
    tn_defaults
    tn_output
    trap on_exit EXIT
    # A signal ends the run with 128 + its number, and on_exit says it was interrupted (not that a command failed).
    trap 'tn_signal=INT; exit 130' INT
    trap 'tn_signal=TERM; exit 143' TERM
    trap 'tn_signal=HUP; exit 129' HUP
    parse_args "$@"
    resolve_prefix
    detect_platform
    locate_app
    if [ -n "$UNINSTALL" ]; then uninstall_main; return 0; fi
    MISSING=$(missing_tools | tr '\n' ' ')
    MISSING=${MISSING% }
    if [ -n "$DRY_RUN" ]; then print_plan; return 0; fi
    tn_step_total=8
    [ -z "$NO_START" ] || tn_step_total=7
    say "${tn_b}TrustNet $TN_VERSION installer${tn_0} - $MODE mode, $DISTRO $UNAME_M, prefix $TRUSTNET_HOME"
    step_prefix
    step_prereqs
    step_app
    step_node
    step_cometbft
    step_npm
    step_shell
    if [ -z "$NO_START" ]; then step_start; write_state started=1; else write_state started=0; fi
    summary
  }

# ---- steps and helpers (defined inside trustnet_install, run by tn_main) ---------------------------------------

print_plan() {
  say "TrustNet $TN_VERSION installer - dry run: nothing will be changed."
  say ""
  say "  platform     : $UNAME_S $UNAME_M ($DISTRO; package manager: ${PM:-none found})"
  say "  mode         : $MODE$([ "$MODE" = local ] && printf ', %s validator(s)' "$VALIDATORS")"
  if [ -n "$(prefix_foreign_entries)" ]; then
    say "  prefix       : $TRUSTNET_HOME (REFUSED: it holds files that are not TrustNet's: $(prefix_foreign_entries); use a new or empty directory)"
  else
    say "  prefix       : $TRUSTNET_HOME $([ -d "$TRUSTNET_HOME" ] && echo '(exists: keys and chain data are kept)' || echo '(will be created)')"
  fi
  if [ -n "$MISSING" ]; then
    pk=$(pkgs_for $MISSING)
    say "  packages     : missing: $MISSING; would run (after asking, or with --yes): $(pm_command $pk)"
  else
    say "  packages     : all prerequisites present"
  fi
  if [ -n "$FROM_CLONE" ]; then say "  app          : use the clone at $APP"
  else say "  app          : download $TN_BASE_URL/$TN_TARBALL, verify it against ${TN_TARBALL_SHA256:+the pin in this script and }$TN_TARBALL.sha256, extract beside $APP and swap it in once its npm dependencies are installed (a devnet running the installed release is stopped first)"; fi
  say "  node         : Node 24 staged in $TRUSTNET_HOME/node.new unless $TRUSTNET_HOME/node has it (official tarball checked against its pin + SHASUMS256, else the npm registry), swapped in with the app"
  say "  npm          : npm ci in $([ -n "$FROM_CLONE" ] && printf '%s' "$APP" || printf '%s' "$TRUSTNET_HOME/app.new (unless the lock file is unchanged)")"
  say "  cometbft     : release tarball checked against its pin (when versions.ts has one) + SHA256SUMS, staged in $TRUSTNET_HOME/bin/cometbft.new unless $TRUSTNET_HOME/bin/cometbft has the pinned version (go install fallback), swapped in with the app"
  say "  shell        : write $TRUSTNET_HOME/env, $TRUSTNET_HOME/env.fish and $TRUSTNET_HOME/bin/trustnet; add '. \"$TRUSTNET_HOME/env\"' (fish: 'source \"$TRUSTNET_HOME/env.fish\"') to $(profiles | tr '\n' ' ')"
  profiles | while IFS= read -r f; do
    pl_other=$(profile_lines "$f" | grep -vxF "$(profile_line "$f")" | tail -n 1) || true
    [ -z "$pl_other" ] || say "                 ($f already sources another TrustNet home: $pl_other; the line sourced last wins PATH and TRUSTNET_HOME)"
  done
  if [ -n "$NO_START" ]; then say "  start        : no (--no-start)"
  elif [ "$MODE" = vm ]; then say "  start        : trustnet vm up --home \"$TRUSTNET_HOME\" --validators $VALIDATORS (ports $TN_PORTS_VM must be free)"
  else say "  start        : trustnet devnet up --home \"$TRUSTNET_HOME\" --validators $VALIDATORS (ports $TN_PORTS_LOCAL must be free)"; fi
}

install_prereqs() {
  if [ -z "$MISSING" ]; then say "    all present"; return 0; fi
  pk=$(pkgs_for $MISSING); what=""
  for t in $MISSING; do what="$what, $(describe_tool "$t")"; done
  what=${what#, }
  say "    missing: $what"
  if [ -z "$PM" ]; then
    die "missing prerequisites: $what, and no supported package manager (apt, dnf, pacman, brew) was found" \
      "install them with your system's package manager, then re-run the installer"
  fi
  cmd=$(pm_command $pk)
  say "    the command to install them is:"
  say "      $cmd"
  if ! is_root && [ "$PM" != brew ] && ! have sudo; then
    die "missing prerequisites: $what, and sudo is not available" "run as root: $(printf '%s' "$cmd" | sed 's/sudo //g'), then re-run the installer"
  fi
  if ! confirm "    Run it now$(is_root && echo ' (as root)' || { [ "$PM" = brew ] || echo ' (with sudo)'; })?"; then
    die "missing prerequisites: $what" "run: $cmd   (or re-run the installer with --yes to let it run that command)"
  fi
  say "    running: $cmd"
  sh -c "$cmd" || die "installing packages failed: $cmd" "run the command yourself and read its error, then re-run the installer"
  MISSING=$(missing_tools | tr '\n' ' '); MISSING=${MISSING% }
  [ -z "$MISSING" ] || die "still missing after the package install: $MISSING" "install them by hand, then re-run the installer"
}

# fetch_failed RC URL FIX: tn_fetch's failure as the installer's error (3: larger than its cap, said above).
fetch_failed() {
  [ "$1" -eq 3 ] && die "refusing $2: larger than the installer accepts for it; nothing was downloaded or installed" \
    "the server is broken or hostile: set TRUSTNET_BASE_URL to another mirror"
  die "cannot download $2" "$3"
}

fetch_release() {
  sums="$tn_tmp/$TN_TARBALL.sha256"
  tn_fetch "$TN_BASE_URL/$TN_TARBALL.sha256" "$sums" || fetch_failed $? "$TN_BASE_URL/$TN_TARBALL.sha256" \
    "check the network and TRUSTNET_BASE_URL (now $TN_BASE_URL), or run ./install.sh from a clone"
  want=$(sed -n '1s/^\([0-9a-fA-F]\{64\}\).*/\1/p' "$sums" | tr 'A-F' 'a-f')
  [ -n "$want" ] || die "$TN_TARBALL.sha256 from $TN_BASE_URL holds no SHA-256" "the release server is misconfigured; set TRUSTNET_BASE_URL to a good mirror"
  # The pin in this script (written when the release was cut) is the first check; the server's .sha256 the second.
  pin=""
  [ "$TN_VERSION" = "$TN_VERSION_PIN" ] && pin=$TN_TARBALL_SHA256
  if [ -z "$pin" ]; then
    [ "${TRUSTNET_REQUIRE_PINS:-}" = 1 ] && die "this install.sh has no pinned checksum for $TN_TARBALL, and TRUSTNET_REQUIRE_PINS=1" \
      "use the install.sh published with release $TN_VERSION (it carries the pin), or unset TRUSTNET_REQUIRE_PINS"
    say "    warning: this install.sh carries no pinned checksum for $TN_TARBALL (not a published release, or --version $TN_VERSION); only $TN_TARBALL.sha256 from $TN_BASE_URL checks it, which catches corruption but not a tampered server"
  elif [ "$want" != "$pin" ]; then
    die "checksum mismatch for $TN_TARBALL: this install.sh pins $pin, $TN_TARBALL.sha256 from $TN_BASE_URL says $want; nothing was downloaded or installed" \
      "the download was corrupted or tampered with, or the server holds another build: use the install.sh and the tarball of the same release, or set TRUSTNET_BASE_URL to another mirror"
  fi
  if [ -f "$APP/.trustnet-release" ] && [ "$(cat "$APP/.trustnet-release")" = "$want" ] && [ -f "$APP/cli/bin/trustnet.js" ]; then
    step_done "already installed (checksum $want)"
    return 0
  fi
  mkdir -p "$TRUSTNET_HOME/cache/releases"
  cached="$TRUSTNET_HOME/cache/releases/$TN_TARBALL"
  if [ -f "$cached" ] && [ "$(sha256_of "$cached")" = "$want" ]; then
    say "    using the cached $TN_TARBALL"
  else
    rm -f "$cached"
    # The tarball is ~2 MB: 64 MiB is far above any release and still stops a server that sends without end.
    tn_fetch "$TN_BASE_URL/$TN_TARBALL" "$tn_tmp/$TN_TARBALL" progress "$((64 << 20))" || fetch_failed $? "$TN_BASE_URL/$TN_TARBALL" \
      "check the network and TRUSTNET_BASE_URL (now $TN_BASE_URL)"
    got=$(sha256_of "$tn_tmp/$TN_TARBALL")
    if [ "$got" != "$want" ]; then
      rm -f "$tn_tmp/$TN_TARBALL"
      die "checksum mismatch for $TN_TARBALL: expected $want (${pin:+the pin in this install.sh and }$TN_TARBALL.sha256 from $TN_BASE_URL), got $got (the file downloaded from $TN_BASE_URL/$TN_TARBALL); nothing was installed" \
        "the download was corrupted or tampered with: re-run, or set TRUSTNET_BASE_URL to another mirror"
    fi
    mv "$tn_tmp/$TN_TARBALL" "$cached"
  fi
  # Staged beside the installed release, which (and a devnet running it) stays untouched until swap_app.
  stage="$TRUSTNET_HOME/app.new"
  rm -rf "$stage"
  mkdir -p "$stage"
  tar -xzf "$cached" -C "$stage" --strip-components=1 || die "cannot extract $TN_TARBALL" "delete $cached and re-run"
  [ -f "$stage/cli/bin/trustnet.js" ] || die "$TN_TARBALL does not contain a TrustNet release (no cli/bin/trustnet.js)" "check TRUSTNET_BASE_URL"
  printf '%s\n' "$want" >"$stage/.trustnet-release"
  SRC=$stage
  step_done "verified sha256 $want; staged in $stage"
}

# swap_release: makes what was staged the installed one: Node (node.new), CometBFT (bin/cometbft.new) and the release
# (SRC, complete with its dependencies). A devnet of this home runs the installed release's code with the installed
# Node and CometBFT, and its supervisor restarts crashed processes from them: it is stopped first (step 8 starts it
# again), so no process ever runs a mixture. Each swap is two renames; .swap-in-progress marks the renames, and a run
# interrupted among them is repaired by the next run (repair_swap in step 1 puts the previous ones back).
swap_release() {
  [ "$SRC" != "$APP" ] || [ -n "$TN_NODE_STAGED" ] || [ -n "$TN_COMETBFT_STAGED" ] || return 0
  if [ -x "$TRUSTNET_HOME/bin/trustnet" ] && [ -f "$APP/cli/bin/trustnet.js" ] && [ -x "$TRUSTNET_HOME/node/bin/node" ]; then
    down_out=$(tn_cli devnet down --home "$TRUSTNET_HOME" 2>&1) || say "    warning: 'trustnet devnet down' of the installed release failed (see $TN_LOG); step 8 stops what still holds the devnet's ports"
    printf '%s\n' "$down_out" >>"$TN_LOG"
    case "$down_out" in *"devnet stopped"*) TN_STOPPED_FOR_UPGRADE=1; say "    stopped the running devnet (it ran the release being replaced)" ;; esac
  fi
  rm -rf "$TRUSTNET_HOME/app.old" "$TRUSTNET_HOME/node.old" "$TRUSTNET_HOME/bin/cometbft.old"
  : >"$TRUSTNET_HOME/.swap-in-progress"
  if [ -n "$TN_NODE_STAGED" ]; then
    [ ! -e "$TRUSTNET_HOME/node" ] || mv "$TRUSTNET_HOME/node" "$TRUSTNET_HOME/node.old"
    mv "$TRUSTNET_HOME/node.new" "$TRUSTNET_HOME/node" || die "cannot move the new Node from $TRUSTNET_HOME/node.new to $TRUSTNET_HOME/node" "re-run the installer: it puts the previous Node back first"
    TRUSTNET_NODE_DIR="$TRUSTNET_HOME/node"; PATH="$TRUSTNET_NODE_DIR/bin:$PATH"; npm_config_nodedir=$TRUSTNET_NODE_DIR
    export TRUSTNET_NODE_DIR PATH npm_config_nodedir
  fi
  if [ -n "$TN_COMETBFT_STAGED" ]; then
    [ ! -e "$TRUSTNET_HOME/bin/cometbft" ] || mv "$TRUSTNET_HOME/bin/cometbft" "$TRUSTNET_HOME/bin/cometbft.old"
    mv "$TRUSTNET_HOME/bin/cometbft.new" "$TRUSTNET_HOME/bin/cometbft" || die "cannot move the new CometBFT from $TRUSTNET_HOME/bin/cometbft.new to $TRUSTNET_HOME/bin/cometbft" "re-run the installer: it puts the previous CometBFT back first"
  fi
  if [ "$SRC" != "$APP" ]; then
    if [ -e "$APP" ]; then
      mv "$APP" "$TRUSTNET_HOME/app.old"
      [ -z "$TN_REUSE_MODULES" ] || mv "$TRUSTNET_HOME/app.old/node_modules" "$SRC/node_modules"
    fi
    mv "$SRC" "$APP" || die "cannot move the new release from $SRC to $APP" "re-run the installer: it puts the previous release back first"
    SRC=$APP
  fi
  rm -f "$TRUSTNET_HOME/.swap-in-progress"
  rm -rf "$TRUSTNET_HOME/app.old" "$TRUSTNET_HOME/node.old" "$TRUSTNET_HOME/bin/cometbft.old"
}

# repair_swap (step 1): a swap_release interrupted among its renames (.swap-in-progress) is undone: the previous Node,
# CometBFT and release go back (the release with its dependencies), so the home is the one before the upgrade; the
# steps then stage the upgrade again. An older installer's interrupted app swap (app gone, app.old left) likewise.
repair_swap() {
  h=$TRUSTNET_HOME
  if [ -e "$h/.swap-in-progress" ]; then
    if [ -d "$h/node.old" ]; then rm -rf "$h/node"; mv "$h/node.old" "$h/node"; fi
    if [ -e "$h/bin/cometbft.old" ]; then rm -f "$h/bin/cometbft"; mv "$h/bin/cometbft.old" "$h/bin/cometbft"; fi
    if [ -z "$FROM_CLONE" ] && [ -d "$h/app.old" ] && [ -e "$APP" ]; then
      if [ ! -e "$h/app.old/node_modules" ] && [ -d "$APP/node_modules" ]; then mv "$APP/node_modules" "$h/app.old/node_modules"; fi
      rm -rf "$APP"
    fi
  fi
  if [ -z "$FROM_CLONE" ] && [ ! -e "$APP" ] && [ -d "$h/app.old" ]; then
    if [ ! -e "$h/app.old/node_modules" ] && [ -d "$h/app.new/node_modules" ]; then
      mv "$h/app.new/node_modules" "$h/app.old/node_modules"
    fi
    mv "$h/app.old" "$APP"
    say "    restored the previous release in $APP (an upgrade was interrupted while switching releases)"
  fi
  if [ -e "$h/.swap-in-progress" ]; then
    rm -f "$h/.swap-in-progress"
    say "    restored the previous Node ($h/node) and CometBFT ($h/bin/cometbft) (an upgrade was interrupted while switching them)"
  fi
  rm -rf "$h/node.old" "$h/bin/cometbft.old"
}

# install_npm_deps: the dependencies of SRC (a staged release gets them before it replaces the installed one);
# sets tn_npm_done, what step 6 reports.
install_npm_deps() {
  tn_npm_done=""
  lock_sum=$(sha256_of "$SRC/package-lock.json")
  # npm's cache (and logs) go to the TrustNet home, from a clone too: --uninstall removes them, ~/.npm is not touched.
  npm_config_cache=${npm_config_cache:-$TRUSTNET_HOME/cache/npm}; export npm_config_cache
  if [ -n "${TRUSTNET_NPM_REGISTRY:-}" ]; then npm_config_registry=$TRUSTNET_NPM_REGISTRY; export npm_config_registry; fi
  if [ -n "$FROM_CLONE" ]; then
    # The same stamp scripts/run.sh uses: a clone that `npm test` already prepared is left alone.
    stamp="$APP/node_modules/.trustnet-deps"
    if [ -f "$stamp" ] && [ ! "$APP/package-lock.json" -nt "$stamp" ] && [ "$(cat "$stamp")" = "$(node --version)" ]; then
      tn_npm_done="up to date"; return 0
    fi
    (cd "$APP" && quiet "npm ci" npm ci --no-audit --no-fund --loglevel=error) || die "npm ci failed in $APP" \
      "read the log above; a network error needs a reachable npm registry (TRUSTNET_NPM_REGISTRY), then re-run"
    node --version >"$stamp"
  else
    want_stamp="$(node --version) $lock_sum"
    # A new release with the same lock file and Node: the installed dependencies move over at the swap.
    if [ "$SRC" != "$APP" ] && [ -f "$APP/node_modules/.trustnet-install" ] && [ "$(cat "$APP/node_modules/.trustnet-install")" = "$want_stamp" ]; then
      TN_REUSE_MODULES=1; tn_npm_done="unchanged (kept from the installed release)"; return 0
    fi
    stamp="$SRC/node_modules/.trustnet-install"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want_stamp" ]; then tn_npm_done="up to date"; return 0; fi
    kept=""
    [ "$SRC" = "$APP" ] || kept="; the installed release in $APP (and a devnet running it) was left as it was"
    (cd "$SRC" && quiet "npm ci --omit=dev" npm ci --omit=dev --no-audit --no-fund --loglevel=error) || die "npm ci failed in $SRC$kept" \
      "read the log above; a network error needs a reachable npm registry (TRUSTNET_NPM_REGISTRY), then re-run"
    printf '%s\n' "$want_stamp" >"$stamp"
  fi
}

sq() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"; }
# fish_sq: fish's single quotes, where \' is a quote (a prefix holds no backslash: resolve_prefix refuses one).
fish_sq() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/\\\\'/g")"; }

# profiles: the files that get the TrustNet line. zsh reads none of ~/.profile and ~/.bash*, and ~/.zshrc only in
# interactive shells, so when zsh is the login shell or installed, its ~/.zshenv (under $ZDOTDIR when set, as zsh
# reads it) gets the line too, created when missing (as rustup does). An interactive zsh with a ~/.zshrc that has the
# line sources the env file twice; the env file adds to PATH only once.
profiles() {
  echo "$HOME/.profile"
  for f in "$HOME/.bashrc" "$HOME/.zshrc" "$HOME/.bash_profile"; do [ -f "$f" ] && echo "$f"; done
  # A login bash reads the first of ~/.bash_profile, ~/.bash_login and ~/.profile: ~/.bash_login when it is that one.
  if [ ! -f "$HOME/.bash_profile" ] && [ -f "$HOME/.bash_login" ]; then echo "$HOME/.bash_login"; fi
  case "${SHELL:-}" in
    */zsh) echo "${ZDOTDIR:-$HOME}/.zshenv" ;;
    *) if command -v zsh >/dev/null 2>&1; then echo "${ZDOTDIR:-$HOME}/.zshenv"; fi ;;
  esac
  case "${SHELL:-}" in
    */fish) fish_conf ;;
    *) if command -v fish >/dev/null 2>&1; then fish_conf; fi ;;
  esac
  return 0
}
# fish_conf: fish reads none of the sh profiles and cannot source the sh env file: every fish (login, interactive or
# not) reads the files in its conf.d, where a file of TrustNet's own sources $TRUSTNET_HOME/env.fish (as rustup does).
fish_conf() { printf '%s\n' "${XDG_CONFIG_HOME:-$HOME/.config}/fish/conf.d/trustnet.fish"; }
# profile_line FILE: the line that sources this home's env file from FILE: env.fish for fish, env for the others.
profile_line() {
  case "$1" in
    *.fish) printf 'source "%s/env.fish"  # TrustNet (added by install.sh)\n' "$TRUSTNET_HOME" ;;
    *) printf '. "%s/env"  # TrustNet (added by install.sh)\n' "$TRUSTNET_HOME" ;;
  esac
}

write_env() {
  envf="$TRUSTNET_HOME/env"
  {
    echo "# TrustNet environment, written by install.sh: Node 24 and the trustnet and cometbft commands first on PATH."
    echo "# Your shell profile sources this file; 'install.sh --uninstall' removes both."
    echo "TRUSTNET_HOME=$(sq "$TRUSTNET_HOME")"
    echo "export TRUSTNET_HOME"
    echo 'case ":${PATH}:" in'
    echo '  *":$TRUSTNET_HOME/bin:$TRUSTNET_HOME/node/bin:"*) ;;'
    echo '  *) PATH="$TRUSTNET_HOME/bin:$TRUSTNET_HOME/node/bin:$PATH"; export PATH ;;'
    echo 'esac'
  } >"$envf.tmp"
  mv "$envf.tmp" "$envf"
  {
    echo "# TrustNet environment for fish, written by install.sh: Node 24 and the trustnet and cometbft commands first on PATH."
    echo "# fish's conf.d/trustnet.fish sources this file; 'install.sh --uninstall' removes both."
    echo "set -gx TRUSTNET_HOME $(fish_sq "$TRUSTNET_HOME")"
    echo 'if not contains -- "$TRUSTNET_HOME/bin" $PATH'
    echo '    set -gx PATH "$TRUSTNET_HOME/bin" "$TRUSTNET_HOME/node/bin" $PATH'
    echo 'end'
  } >"$envf.fish.tmp"
  mv "$envf.fish.tmp" "$envf.fish"
  wrapper="$TRUSTNET_HOME/bin/trustnet"
  {
    echo "#!/bin/sh"
    echo "# trustnet command, written by install.sh: runs the TrustNet CLI with TrustNet's private Node 24."
    echo "TRUSTNET_HOME=\${TRUSTNET_HOME:-$(sq "$TRUSTNET_HOME")}"
    echo "export TRUSTNET_HOME"
    echo "exec $(sq "$TRUSTNET_HOME/node/bin/node") $(sq "$APP/cli/bin/trustnet.js") \"\$@\""
  } >"$wrapper.tmp"
  chmod 755 "$wrapper.tmp"
  mv "$wrapper.tmp" "$wrapper"
  # A profile the installer cannot write (read-only, a link into a Nix store, a dangling dotfiles link) is not fatal:
  # everything else is installed, and the user adds the line.
  profiles | while IFS= read -r f; do
    line=$(profile_line "$f")
    if [ -f "$f" ] && grep -qF "$line" "$f"; then :
    elif [ ! -e "$f" ] && [ ! -L "$f" ] && { mkdir -p "$(dirname "$f")" && printf '%s\n\n%s\n' "$TN_PROFILE_HEADER" "$line" >"$f"; } 2>/dev/null; then
      say "    created $f: $line"
    elif { printf '\n%s\n' "$line" >>"$f"; } 2>/dev/null; then say "    added to $f: $line"
    else say "    warning: cannot write to $f (read-only, or managed by another tool); add this line to it yourself: $line"; fi
    warn_other_homes "$f" "$line"
  done
}

# The first line of a profile the installer created (a fresh HOME has no ~/.profile): `--uninstall` deletes such a file
# when nothing but this header is left in it, so a fresh HOME is left as it was found.
TN_PROFILE_HEADER="# Created by TrustNet's install.sh; 'install.sh --uninstall' deletes this file if nothing else is added to it."
# profile_lines FILE: the TrustNet lines in FILE (each install.sh adds one per home), in the file's order.
profile_lines() { grep -F '# TrustNet (added by install.sh)' "$1" 2>/dev/null | grep -E '^(\.|source) "' || true; }
# warn_other_homes FILE LINE: FILE also sources another TrustNet home. Each line puts its home first on PATH and sets
# TRUSTNET_HOME, so the one sourced last wins: say which. The other home's line stays (it is not this install's).
warn_other_homes() {
  wo_others=$(profile_lines "$1" | grep -vxF "$2") || true
  [ -n "$wo_others" ] || return 0
  printf '%s\n' "$wo_others" | while IFS= read -r wo_line; do say "    warning: $1 also sources another TrustNet home: $wo_line"; done
  wo_last=$(profile_lines "$1" | tail -n 1)
  if [ "$wo_last" = "$2" ]; then
    say "    this home's line comes last in $1, so it wins: new shells get $TRUSTNET_HOME's trustnet, Node and TRUSTNET_HOME; the other line was left as it is (remove it, or run that home's install.sh --uninstall, to drop it)"
  else
    wo_where="comes after this home's line in $1"; grep -qxF "$2" "$1" 2>/dev/null || wo_where="is the one in $1"
    say "    that home's line ($wo_last) $wo_where, so it wins: new shells get its trustnet, Node and TRUSTNET_HOME, not $TRUSTNET_HOME's; put this home's line below it (or remove that one) to use this home"
  fi
}

write_state() {
  {
    echo "version=$TN_VERSION"
    echo "mode=$MODE"
    echo "validators=$VALIDATORS"
    echo "app=$APP"
    echo "from_clone=${FROM_CLONE:-0}"
    for kv in "$@"; do echo "$kv"; done
  } >"$TN_STATE.tmp"
  mv "$TN_STATE.tmp" "$TN_STATE"
}

check_ports() { # PORTS...
  rc=0
  out=$(node "$APP/installer/src/main.ts" ports --home "$TRUSTNET_HOME" "$@") || rc=$?
  case "$rc" in
    0) return 0 ;;
    4) return 4 ;;
    *) die "$(printf '%s' "$out" | tr '\n' ';' | sed 's/;$//; s/;/; /g')" \
         "stop that program (or the other TrustNet instance: TRUSTNET_HOME=<its home> trustnet devnet down), then re-run the installer" ;;
  esac
}

tn_cli() { "$TRUSTNET_HOME/bin/trustnet" "$@"; }

start_devnet() {
  # A re-run upgrades in place: stop our own running devnet first (keys and chain data stay).
  if [ -f "$TN_STATE" ] && grep -q '^started=1' "$TN_STATE"; then
    quiet "stopping the running devnet for the upgrade" tn_cli devnet down --home "$TRUSTNET_HOME" || true
  fi
  ports=$TN_PORTS_LOCAL; i=1
  while [ "$i" -lt "$VALIDATORS" ]; do ports="$ports $((26656 + 10 * i)) $((26657 + 10 * i)) $((26658 + 10 * i))"; i=$((i + 1)); done
  prc=0; check_ports $ports || prc=$?
  if [ "$prc" -eq 4 ]; then
    quiet "stopping the running devnet of this home" tn_cli devnet down --home "$TRUSTNET_HOME" || true
    prc=0; check_ports $ports || prc=$?
    [ "$prc" -eq 0 ] || die "processes of this TrustNet home still hold the devnet ports after 'trustnet devnet down'" \
      "stop them (see 'trustnet devnet status'), then re-run the installer"
  fi
  tn_cli devnet --help >/dev/null 2>&1 || die "this TrustNet build has no 'trustnet devnet' command" \
    "install a complete release (--version), or re-run with --no-start to install without starting"
  write_state started=1
  up_rc=0
  quiet "trustnet devnet up --home \"$TRUSTNET_HOME\" --validators $VALIDATORS" \
    tn_cli devnet up --home "$TRUSTNET_HOME" --validators "$VALIDATORS" || up_rc=$?
  # 3: the devnet was made by a release of another state format (cli/src/state-format.ts); nothing was changed.
  [ "$up_rc" -ne 3 ] || die "the devnet in $TRUSTNET_HOME/devnet was made by a TrustNet release whose state format TrustNet $TN_VERSION cannot run (there are no state migrations); TrustNet $TN_VERSION is installed, and the old chain was left as it was, stopped" \
    "start a new chain: trustnet devnet reset --home \"$TRUSTNET_HOME\" --yes, then re-run the installer (this deletes the old chain's blocks, state and devnet keys; the keystore in $TRUSTNET_HOME/keys is kept); or keep the old chain by reinstalling its release: install.sh --version <that version>"
  [ "$up_rc" -eq 0 ] || die "the devnet did not start (its output is above)" \
    "look at the logs in $TRUSTNET_HOME (trustnet devnet status), fix the cause, then re-run the installer; keys and chain data are kept"
  step_done
}

start_vms() {
  tn_cli vm --help >/dev/null 2>&1 || die "this TrustNet build has no 'trustnet vm' command" \
    "install a complete release, or use --local (the default)"
  prc=0; check_ports $TN_PORTS_VM || prc=$?
  write_state started=1
  if [ "$prc" -ne 4 ]; then
    vm_rc=0
    quiet "trustnet vm up --validators $VALIDATORS" tn_cli vm up --home "$TRUSTNET_HOME" --validators "$VALIDATORS" || vm_rc=$?
    # 3: the host copy of the VMs' chain was made by a release of another state format; nothing was created.
    [ "$vm_rc" -ne 3 ] || die "the VMs' chain in $TRUSTNET_HOME/vms/.devnet was made by a TrustNet release whose state format TrustNet $TN_VERSION cannot run (there are no state migrations); nothing was created, and the old chain was left as it was" \
      "the hint above says how to start a new chain for the VMs (destroy the VMs, remove $TRUSTNET_HOME/vms/.devnet), then re-run the installer; or keep the old chain by reinstalling its release: install.sh --version <that version>"
    [ "$vm_rc" -eq 0 ] || die "the VMs did not start (the output is above)" \
      "read docs/TROUBLESHOOTING.md (VM section), fix the cause, then re-run the installer; disks and keys are kept"
  fi
  step_done
}

summary() {
  say ""
  say "${tn_g}${tn_b}TrustNet $TN_VERSION is installed${tn_0} in $TRUSTNET_HOME"
  say ""
  if [ -n "$NO_START" ]; then
    say "  Nothing was started (--no-start). Start the devnet with: trustnet devnet up --home \"$TRUSTNET_HOME\""
    [ -z "$TN_STOPPED_FOR_UPGRADE" ] || say "  The devnet that ran the previous release was stopped for the upgrade; the same command starts it again."
  elif [ "$MODE" = vm ]; then
    say "  What runs where:"
    say "    trustnet-node VM      CometBFT + TrustNet app    SSH 127.0.0.1:2222 (user warden)"
    say "    trustnet-registry VM  OCI registry on :8000      SSH 127.0.0.1:2223 (user keeper)"
    say ""
    say "  SSH in (key only):  ssh -p 2222 warden@127.0.0.1    ssh -p 2223 keeper@127.0.0.1"
  else
    say "  What runs where (host processes, logs under $TRUSTNET_HOME/logs):"
    printf '    %-23s %-23s %s\n' "CometBFT $("$TRUSTNET_HOME/bin/cometbft" version 2>/dev/null)" "RPC 127.0.0.1:26657" "P2P :26656" >&2
    printf '    %-23s %-23s %s\n' "TrustNet app" "ABCI 127.0.0.1:26658" "REST/metrics 127.0.0.1:1317" >&2
    printf '    %-23s %-23s\n' "OCI registry" "127.0.0.1:8000" >&2
    tn_cli devnet status --home "$TRUSTNET_HOME" 2>/dev/null | sed 's/^/    /' >&2 || true
    [ "$VALIDATORS" -gt 1 ] && say "    ($VALIDATORS validators: the others use the port offsets in docs/INSTALLATION.md)"
  fi
  say ""
  say "  Query the chain:   curl -s localhost:26657/status | jq .result.sync_info.latest_block_height"
  have jq || say "                     (jq is not installed: $(pm_command jq | sed 's/.*&& //'))"
  say "  Status / stop:     trustnet devnet status    trustnet devnet down"
  say "  Push an image:     trustnet registry login   (signs a token with your chain key and logs docker in), then"
  say "                     docker tag myapp:latest 127.0.0.1:8000/<namespace>/myapp:latest && docker push 127.0.0.1:8000/<namespace>/myapp:latest"
  say ""
  say "  Open a new shell (or run:  . \"$TRUSTNET_HOME/env\") to get trustnet and Node 24 on your PATH."
  say "  Uninstall:  install.sh --uninstall [--keep-data]"
}

uninstall_main() {
  tn_step_total=3
  state_app=""
  [ -f "$TN_STATE" ] && state_app=$(sed -n 's/^app=//p' "$TN_STATE")
  state_clone=$([ -f "$TN_STATE" ] && sed -n 's/^from_clone=//p' "$TN_STATE" || echo 0)
  added="$TRUSTNET_HOME/env, $TRUSTNET_HOME/env.fish, $TRUSTNET_HOME/bin/trustnet, $TRUSTNET_HOME/bin/cometbft, $TRUSTNET_HOME/node, $TRUSTNET_HOME/cache, $TRUSTNET_HOME/logs, $TRUSTNET_HOME/run"
  # <home>/app is the release a piped install put there, also when a later install from a clone took over (the clone
  # is used in place, elsewhere): it is kept only when it is that clone.
  tn_app_is_clone=""; [ "$state_clone" != 1 ] || [ "$state_app" != "$TRUSTNET_HOME/app" ] || tn_app_is_clone=1
  [ -n "$tn_app_is_clone" ] || added="$added, $TRUSTNET_HOME/app"
  if [ -n "$KEEP_DATA" ]; then keep="keys and chain data ($TRUSTNET_HOME/devnet, $TRUSTNET_HOME/registry and anything else not listed) are KEPT"
  else keep="everything in $TRUSTNET_HOME is DELETED, including keys and chain data"; fi
  # A home that also holds files TrustNet did not put there (a prefix an older installer accepted, such as ~/.local)
  # is never deleted whole: what the installer added goes, the rest (keys and chain data too) stays.
  tn_foreign=""; [ -n "$KEEP_DATA" ] || tn_foreign=$(foreign_entries)
  if [ -n "$tn_foreign" ]; then
    keep="$TRUSTNET_HOME also holds files that are not TrustNet's ($tn_foreign), so it is NOT deleted: keys and chain data stay in it too (delete devnet/, keys/, registry/ yourself)"
    KEEP_DATA=1
  fi
  if [ -n "$DRY_RUN" ]; then
    say "TrustNet uninstall - dry run: nothing will be changed."
    say "  would stop: trustnet devnet down, trustnet vm stop, then what they left of this home's supervisor, apps, CometBFT, registry and QEMU (by their exact command lines; nothing else that names $TRUSTNET_HOME)"
    say "  would remove: $added, and the TrustNet line in $(profiles | tr '\n' ' ')"
    tn_dl=$(docker_logins | sed 's/ .*//' | tr '\n' ' ')
    [ -z "$tn_dl" ] || say "  would log Docker out of the registries 'trustnet registry login' logged it in to (docker logout): ${tn_dl% }"
    say "  $keep"
    return 0
  fi
  [ -e "$TRUSTNET_HOME" ] || { say "nothing to uninstall: $TRUSTNET_HOME does not exist"; remove_profile_lines; return 0; }
  # Only a TrustNet home is deleted: one the installer recorded or that holds its launcher, never $HOME, an
  # ancestor of it or / (compared as physical paths: --prefix ~/../u is the home folder too).
  tn_real=$(cd -P "$TRUSTNET_HOME" 2>/dev/null && pwd -P) || tn_real=""
  tn_home_real=$(cd -P "$HOME" 2>/dev/null && pwd -P) || tn_home_real=$HOME
  case "$tn_real" in /) tn_real="" ;; esac
  case "$tn_home_real/" in "$tn_real"/*) tn_real="" ;; esac
  [ -n "$tn_real" ] || die "refusing to uninstall '$TRUSTNET_HOME': it is your home folder, one above it, or unreadable" "name the TrustNet home with --prefix or \$TRUSTNET_HOME; nothing was changed"
  is_trustnet_home ||
    die "refusing to uninstall '$TRUSTNET_HOME': TrustNet was never installed there (no .install-state, bin/trustnet, install log, devnet data, full node or TrustNet keys)" "name the TrustNet home with --prefix or \$TRUSTNET_HOME; nothing was changed"
  guard_legacy_fullnode
  say "${tn_b}TrustNet uninstall${tn_0}: stops TrustNet and removes $added and the profile line; $keep."
  confirm "Continue?" || die "not confirmed; nothing was changed" "re-run with --yes to uninstall without a prompt"

  step "Stopping TrustNet"
  if [ -x "$TRUSTNET_HOME/bin/trustnet" ]; then
    "$TRUSTNET_HOME/bin/trustnet" devnet down --home "$TRUSTNET_HOME" >/dev/null 2>&1 || true
    if [ "$(sed -n 's/^mode=//p' "$TN_STATE" 2>/dev/null)" = vm ]; then "$TRUSTNET_HOME/bin/trustnet" vm stop --home "$TRUSTNET_HOME" >/dev/null 2>&1 || true; fi
  fi
  stop_leftovers
  step_done

  step "Removing what the installer added"
  docker_logout_recorded
  remove_profile_lines
  rm -rf "$TRUSTNET_HOME/env" "$TRUSTNET_HOME/env.fish" "$TRUSTNET_HOME/bin/trustnet" "$TRUSTNET_HOME/bin/cometbft" "$TRUSTNET_HOME/node" \
         "$TRUSTNET_HOME/cache" "$TRUSTNET_HOME/logs" "$TRUSTNET_HOME/run" "$TRUSTNET_HOME"/.stage.* "$TRUSTNET_HOME"/.node-stage.* \
         "$TRUSTNET_HOME"/bin/.cometbft-install-* "$TRUSTNET_HOME/app.new" "$TRUSTNET_HOME/app.old" "$TRUSTNET_HOME/node.new" \
         "$TRUSTNET_HOME/node.old" "$TRUSTNET_HOME"/bin/cometbft.new* "$TRUSTNET_HOME/bin/cometbft.old" "$TRUSTNET_HOME/.swap-in-progress"
  [ -n "$tn_app_is_clone" ] || rm -rf "$TRUSTNET_HOME/app"
  rm -f "$TN_STATE"
  rmdir "$TRUSTNET_HOME/bin" 2>/dev/null || true
  step_done

  step "Keys and chain data"
  if [ -n "$KEEP_DATA" ]; then
    step_done "kept in $TRUSTNET_HOME: $(ls -A "$TRUSTNET_HOME" 2>/dev/null | tr '\n' ' ')"
  else
    rm -rf "$TRUSTNET_HOME"
    step_done "deleted $TRUSTNET_HOME"
  fi
  say "${tn_g}TrustNet is uninstalled.${tn_0} Open a new shell to drop it from PATH."
  [ "$state_clone" = 1 ] && say "The clone at ${state_app:-?} was left untouched."
  return 0
}

# docker_logins: the record `trustnet registry login` keeps of the registries it logged Docker in to
# (<home>/config/docker-logins, cli/src/registry/docker-logins.ts), one "<registry> <DOCKER_CONFIG or nothing>" a line
# (the record's tab made a space; a registry never holds one); comments and anything starting with "-" (which docker
# would read as an option) left out.
docker_logins() {
  [ -f "$TRUSTNET_HOME/config/docker-logins" ] || return 0
  dl_tab=$(printf '\t')
  while IFS= read -r dl_line || [ -n "$dl_line" ]; do
    case "$dl_line" in ""|"#"*|-*) continue ;; esac
    dl_host=${dl_line%%"$dl_tab"*}; dl_dir=""
    [ "$dl_host" = "$dl_line" ] || dl_dir=${dl_line#*"$dl_tab"}
    printf '%s %s\n' "$dl_host" "$dl_dir"
  done <"$TRUSTNET_HOME/config/docker-logins"
}
# docker_logout_recorded: before the home (and the record in it) goes, `docker logout <registry>` for each registry of
# docker_logins, in the Docker config directory of that login, so Docker keeps no TrustNet password; no other entry of
# Docker's credentials is touched. Also with --keep-data: the CLI that could log out is gone with bin/trustnet.
# `docker logout` needs no Docker engine, and a registry already logged out is no error; without docker on PATH, or
# when it fails, the uninstall goes on and says what to run. The record is then removed, unless a logout was missed.
docker_logout_recorded() {
  dl_missed=""
  dl_list=$(docker_logins)
  [ -n "$dl_list" ] || return 0
  dl_nl='
'
  dl_ifs=$IFS; IFS=$dl_nl
  for dl_entry in $dl_list; do
    IFS=$dl_ifs
    dl_host=${dl_entry%% *}; dl_dir=${dl_entry#* }
    dl_cmd="${dl_dir:+DOCKER_CONFIG='$dl_dir' }docker logout $dl_host"
    if ! have docker; then
      say "    docker is not on PATH: Docker's credentials for $dl_host (if it still has them) were left; remove them with: $dl_cmd"
      dl_missed=1; continue
    fi
    if [ -n "$dl_dir" ]; then
      dl_out=$(DOCKER_CONFIG=$dl_dir docker logout "$dl_host" 2>&1) && dl_rc=0 || dl_rc=$?
    else
      dl_out=$(unset DOCKER_CONFIG; docker logout "$dl_host" 2>&1) && dl_rc=0 || dl_rc=$?
    fi
    if [ "$dl_rc" -eq 0 ]; then say "    Docker logged out of $dl_host"
    else say "    warning: '$dl_cmd' failed ($(printf '%s\n' "$dl_out" | tail -n 1)): run it yourself to drop TrustNet's password from Docker's credentials"; dl_missed=1; fi
  done
  IFS=$dl_ifs
  [ -n "$dl_missed" ] || rm -f "$TRUSTNET_HOME/config/docker-logins"
  return 0
}

# check_prefix_owner: the prefix (or, before it exists, its nearest existing parent) and every directory above it, as
# physical paths, belong to this user or root and are not writable by everyone (unless sticky, like /tmp). Whoever can
# rename entries there can replace bin/trustnet or node/bin/node and run code as this user: another user's directory,
# a user's home under sudo without -H, a shared directory others can write to.
check_prefix_owner() {
  co_me=$(id -u); co_d=$TRUSTNET_HOME
  while [ ! -e "$co_d" ]; do co_d=$(dirname "$co_d"); done
  co_d=$(cd -P "$co_d" 2>/dev/null && pwd -P) || return 0 # unreadable: the write checks of step 1 report it
  while :; do
    co_ls=$(ls -ldn "$co_d" 2>/dev/null | awk '{ print $1, $3 }') || co_ls=""
    co_mode=${co_ls%% *}; co_owner=${co_ls#* }
    if [ -n "$co_ls" ] && [ "$co_owner" != "$co_me" ] && [ "$co_owner" != 0 ]; then
      die "$co_d belongs to another user (uid $co_owner), who could replace what the installer puts in $TRUSTNET_HOME and so run code as $(id -un)" \
        "install into a directory of your own; as root, run with root's HOME (sudo -H, or sudo -i) or install as that user without sudo; nothing was changed"
    fi
    case "$co_mode" in
      ????????w|????????w[!tT]*) die "$co_d is writable by every user (mode $co_mode, not sticky like /tmp), who could replace what the installer puts in $TRUSTNET_HOME" \
        "choose a prefix in a directory only you can write to, or run: chmod o-w '$co_d'; nothing was changed" ;;
    esac
    [ "$co_d" != / ] || break
    co_d=$(dirname "$co_d")
  done
}

# check_home_owner: under sudo, HOME must be root's. sudo without -H keeps the user's HOME (macOS's sudo by default,
# and Ubuntu's before 19.10): with a prefix outside it (--prefix /opt/trustnet) the installer would create root-owned
# files in that user's home (~/.profile, ~/.zshenv, fish's conf.d), which the user could then not edit or delete.
# Root without sudo (a container whose HOME is a mounted directory of another uid) is left alone.
check_home_owner() {
  is_root && [ -n "${SUDO_UID:-}" ] || return 0
  ch_owner=$(ls -ldn "$HOME" 2>/dev/null | awk '{ print $3 }') || ch_owner=""
  [ -n "$ch_owner" ] && [ "$ch_owner" != 0 ] || return 0
  die "$HOME belongs to another user (uid $ch_owner), but the installer runs as root (sudo kept that HOME): it would leave files owned by root in that home (a created ~/.profile or ~/.zshenv, fish's conf.d) that the user could not change" \
    "run the installer as that user, without sudo (it asks for sudo only to install packages), or as root with root's HOME: sudo -H or sudo -i; nothing was changed"
}

# is_trustnet_home: a home the installer recorded, one an install stopped in (step 1 writes the install log's banner
# after its checks: a first install interrupted or failed before .install-state and bin/trustnet exist), or what
# --keep-data left of one (a devnet's chain data, a full node of `trustnet node init`, TrustNet keystores).
is_trustnet_home() {
  [ -f "$TN_STATE" ] || grep -qs '^==== install ' "$TRUSTNET_HOME/logs/install.log" || [ -x "$TRUSTNET_HOME/bin/trustnet" ] || [ -d "$TRUSTNET_HOME/devnet/node0" ] || [ -f "$TRUSTNET_HOME/fullnode/node.json" ] || grep -qs '"trustnet-keystore"' "$TRUSTNET_HOME"/keys/*.json
}

# prefix_foreign_entries: the first few entries of an existing prefix that are not TrustNet's, or nothing. All of it is
# TrustNet's in a TrustNet home (is_trustnet_home) and in ~/.trustnet (the CLI's default home too); elsewhere only
# what an interrupted run of the installer (or scripts/run.sh's private Node) or --uninstall --keep-data leaves is.
prefix_foreign_entries() {
  is_trustnet_home || foreign_entries
}
# guard_legacy_fullnode: <home>/node is the installer's private Node.js, which every run replaces and --uninstall
# removes (even with --keep-data); a full node that an older `trustnet node init` wrote there (node.json beside its
# consensus key) would go with it. Such a home is refused, with the move that keeps the node, before anything changes.
guard_legacy_fullnode() {
  [ -f "$TRUSTNET_HOME/node/node.json" ] || return 0
  die "$TRUSTNET_HOME/node holds a TrustNet full node (node.json, its keys under cometbft/config/), made by an older 'trustnet node init'; the installer keeps its own Node.js in $TRUSTNET_HOME/node and would replace or remove that directory, keys included" \
    "stop that node, then move it where 'trustnet node' now keeps it: mv '$TRUSTNET_HOME/node' '$TRUSTNET_HOME/fullnode' (if that exists already, move node/ elsewhere); then re-run. Nothing was changed"
}
# foreign_entries: the first few entries of the home (and of its bin/) that neither the installer nor the CLI puts
# there, or nothing; in ~/.trustnet, nothing.
foreign_entries() {
  [ -d "$TRUSTNET_HOME" ] && [ "$TRUSTNET_HOME" != "$HOME/.trustnet" ] || return 0
  fe=$( { ls -A "$TRUSTNET_HOME" | grep -vxE 'bin|node|node\.(new|old)|app|app\.(new|old)|cache|logs|run|env|env\.fish|\.install-state|\.swap-in-progress|\.(node-)?stage\..*|\.write-test\..*|devnet|fullnode|registry|keys|vms|config|ssh|provider|monitoring|leases|lease-ssh|closed-logs|shell_history|registry-operator\.json'
          [ ! -d "$TRUSTNET_HOME/bin" ] || ls -A "$TRUSTNET_HOME/bin" | grep -vxE 'trustnet|cometbft|cometbft\.(new|old)(\.version)?|\.cometbft-install-.*' | sed 's:^:bin/:'
        } 2>/dev/null | head -n 5 | tr '\n' ' ') || true
  printf '%s' "${fe% }"
}

remove_profile_lines() {
  # ~/.zshenv whether or not zsh is still installed, and $ZDOTDIR/.zshenv too when ZDOTDIR is set now.
  rp_zdot=""; [ -z "${ZDOTDIR:-}" ] || [ "$ZDOTDIR" = "$HOME" ] || rp_zdot="$ZDOTDIR/.zshenv"
  # fish's conf.d file whether or not fish is still installed.
  for f in "$HOME/.profile" "$HOME/.bashrc" "$HOME/.zshrc" "$HOME/.bash_profile" "$HOME/.bash_login" "$HOME/.zshenv" ${rp_zdot:+"$rp_zdot"} "$(fish_conf)"; do
    line=$(profile_line "$f"); rp_gone=""
    [ -f "$f" ] && grep -qF "$line" "$f" || continue
    # The line goes, with the blank line the installer put before it (the file is as it was before the install); a
    # file the installer created (its header) that holds nothing else then is deleted. The new text is held in a
    # variable (the trailing x keeps its final newlines) and written over the file in place, so no temporary file is
    # made beside it: its directory may be read-only, or hold a file of any name. A file that cannot be read or
    # rewritten is left as it was, with a warning naming the line to delete; the uninstall goes on.
    rp_new=$(TN_LINE=$line awk '
      index($0, ENVIRON["TN_LINE"]) { blank = 0; next }
      blank { print ""; blank = 0 }
      $0 == "" { blank = 1; next }
      { print }
      END { if (blank) print "" }' "$f" 2>/dev/null && echo x) || rp_new=$(grep -vF "$line" "$f" 2>/dev/null; [ $? -le 1 ] && echo x) || rp_new=""
    case "$rp_new" in
      *x) rp_new=${rp_new%x} ;;
      *) say "    warning: cannot read $f; remove this line from it yourself: $line"; continue ;;
    esac
    if [ "$(printf '%s' "$rp_new" | sed -n 1p)" = "$TN_PROFILE_HEADER" ] && ! printf '%s' "$rp_new" | sed 1d | grep -q '[^[:space:]]'; then
      if rm -f "$f" 2>/dev/null; then rp_gone=1
      elif { printf '%s' "$rp_new" >"$f"; } 2>/dev/null; then say "    warning: cannot remove $f (its directory is read-only); the TrustNet line is gone from it and nothing else is in it: delete it yourself"
      else say "    warning: cannot remove or write $f (the installer created it); remove it yourself, or this line from it: $line"
      fi
    else
      { printf '%s' "$rp_new" >"$f"; } 2>/dev/null || say "    warning: cannot write to $f (read-only, or managed by another tool); remove this line from it yourself: $line"
    fi
    # fish's conf.d file, deleted: also conf.d/, fish/ and the config directory `mkdir -p` made for it, each only if
    # that file was all it held (rmdir refuses a directory that is not empty), so a fresh HOME is left as found.
    case "$rp_gone$f" in 1*.fish) rp_d=$(dirname "$f"); rmdir "$rp_d" "$(dirname "$rp_d")" "$(dirname "$(dirname "$rp_d")")" 2>/dev/null || true ;; esac
  done
  return 0
}

# TrustNet's own processes of this home that `trustnet devnet down` / `vm stop` left (the CLI missing or broken, a
# devnet of an older release): TERM, then KILL. Only the exact command lines the CLI starts count (cli/src/devnet/
# supervisor.ts and control.ts, the VMs' QEMU): a `tail -f <home>/logs/…`, an editor on a file there or a `node` of
# the user's own that merely names the home is never signalled.
list_procs() { # prints "PID ARGS" for every process (ARGS: the argv joined with spaces)
  if [ -d /proc/self ]; then
    for d in /proc/[0-9]*; do
      a=$(tr '\0' ' ' <"$d/cmdline" 2>/dev/null) || continue
      [ -n "$a" ] && printf '%s %s\n' "${d#/proc/}" "$a"
    done
  else
    ps -eo pid=,args= 2>/dev/null || true
  fi
  return 0
}
# tn_own_proc ARGS HOME: ARGS is a process TrustNet starts for HOME: the devnet supervisor (node …/devnet/supervisor.ts
# --home HOME), an app (node … …/abci-app/src/main.ts --home HOME/…), CometBFT (cometbft start --home HOME/…), the
# registry (node …/registry/src/main.ts --data HOME/…), or the QEMU of a VM or a lease (-pidfile HOME/…/qemu.pid).
tn_own_proc() {
  case " $1 " in
    *"/devnet/supervisor.ts --home $2 "*|*"/abci-app/src/main.ts --home $2/"*|*"cometbft start --home $2/"*|\
    *"/registry/src/main.ts --data $2/"*|*"qemu-system-"*" -pidfile $2/"*"/qemu.pid "*) return 0 ;;
  esac
  return 1
}
# own_pids: the PIDs of tn_own_proc processes, for the home as given and as the CLI resolves it (a normalized path:
# --prefix ./tn) or as the kernel sees it (symbolic links resolved).
own_pids() {
  op_logical=$(cd "$TRUSTNET_HOME" 2>/dev/null && pwd) || op_logical=$TRUSTNET_HOME
  op_physical=$(cd -P "$TRUSTNET_HOME" 2>/dev/null && pwd -P) || op_physical=$TRUSTNET_HOME
  list_procs | while read -r op_pid op_args; do
    [ "$op_pid" != "$$" ] && [ "$op_pid" != "${PPID:-0}" ] || continue
    if tn_own_proc "$op_args" "$TRUSTNET_HOME" || tn_own_proc "$op_args" "$op_logical" || tn_own_proc "$op_args" "$op_physical"; then
      printf '%s\n' "$op_pid"
    fi
  done
}
stop_leftovers() {
  pids=$(own_pids) || true
  [ -n "$pids" ] || return 0
  say "    stopping leftover processes: $(echo $pids)"
  # shellcheck disable=SC2086
  kill $pids 2>/dev/null || true
  i=0
  while [ $i -lt 10 ]; do
    alive=""; for p in $pids; do kill -0 "$p" 2>/dev/null && alive="$alive $p"; done
    [ -z "$alive" ] && return 0
    sleep 1; i=$((i + 1))
  done
  # shellcheck disable=SC2086
  kill -9 $alive 2>/dev/null || true
}

tn_main "$@"
}

# Run as `zsh install.sh` (or piped to zsh), zsh is not in its sh emulation as it is when invoked as sh: turn it on
# before the call (word splitting, unmatched globs left as they are, $0 the script in functions too).
[ -z "${ZSH_VERSION:-}" ] || emulate sh
trustnet_install "$@"
