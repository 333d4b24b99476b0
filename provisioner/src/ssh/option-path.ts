/**
 * A path as the value of an OpenSSH `-o` option (UserKnownHostsFile, IdentityFile): quoted, `\` and `"` escaped, `%`
 * doubled. ssh splits an unquoted UserKnownHostsFile on whitespace (it takes a list of files), so a home such as
 * `/srv/my home` (install.sh allows spaces) made it read `/srv/my` and a relative `home/…` and refuse the pinned host
 * key ("Host key verification failed"); and it expands `%` tokens in both (`-i` too, after checking that the
 * unexpanded path exists: no form of `-i` names a file with a `%`, `-o IdentityFile` does). `vm ssh` and `lease ssh`.
 */
export function sshOptionPath(path: string): string {
  return `"${path.replace(/%/gu, "%%").replace(/[\\"]/gu, "\\$&")}"`;
}
