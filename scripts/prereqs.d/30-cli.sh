# CLI tests: `script` (util-linux, Debian package bsdutils) gives the shell tests a real pseudo-terminal.
command -v script >/dev/null 2>&1 || apt_install bsdutils
