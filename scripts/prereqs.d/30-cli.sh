# CLI tests: `script` (util-linux, Debian package bsdutils) gives the shell tests a real pseudo-terminal.
command -v script >/dev/null 2>&1 || apt_install bsdutils
# ssh, ssh-keyscan and ssh-keygen (openssh-client) for the unit specs that check against the real tools:
# cli/src/provider/lease-ssh.spec.ts (--fetch-host-key, lease ssh) and provisioner/src/lease/lease-vm.spec.ts.
for tool in ssh ssh-keyscan ssh-keygen; do command -v "$tool" >/dev/null 2>&1 || { apt_install openssh-client; break; }; done
