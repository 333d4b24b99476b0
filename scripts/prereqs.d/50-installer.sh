# shellcheck shell=sh
# Installer end-to-end tests (test/installer/): curl and setpriv (util-linux) for install.sh itself; for the
# fresh-machine test, mmdebstrap (builds the Debian bookworm root filesystem, cached by recipe under
# ~/.cache/trustnet-test/installer) and Debian's docker engine (the test starts its own dockerd); zip and unzip for
# scripts/lib/go-env.spec.ts (a toolchain zip built in the test) and installer/src/go-fallback.spec.ts (a module zip); wget and openssl for installer/src/shell-downloader.spec.ts
# (tn_fetch with wget alone, for the size cap and the https redirects; a certificate for the https redirect case); zsh for installer/src/shell-profile.spec.ts (new zsh shells started with the ~/.zshenv
# line install.sh writes, and install.sh run by zsh as sh and as zsh); fish for the same spec (new fish shells started with
# the conf.d/trustnet.fish file install.sh writes).
apt_install curl util-linux mmdebstrap docker.io zip unzip wget openssl zsh fish
