#!/bin/sh
# Install the oracle programs the test suite compares against, from
# Debian's packages, when they are missing.  Needs root; otherwise prints
# the command to run.
set -eu
PKGS="m4 m4-doc sendmail-cf sendmail-bin sendmail-doc db-util libdb-dev gcc python3-dev"
missing=""
command -v m4 >/dev/null 2>&1 || missing="$missing m4"
[ -f /usr/share/doc/m4/Macro-Arguments.html ] || missing="$missing m4-doc"
[ -f /usr/share/sendmail/cf/m4/cf.m4 ] || missing="$missing sendmail-cf"
[ -x /usr/sbin/sendmail ] && [ -x /usr/sbin/makemap ] || missing="$missing sendmail-bin"
[ -f /usr/share/doc/sendmail-doc/cf.README.gz ] || missing="$missing sendmail-doc"
command -v db5.3_dump >/dev/null 2>&1 || missing="$missing db-util"
[ -f /usr/include/db.h ] || missing="$missing libdb-dev"
command -v gcc >/dev/null 2>&1 || missing="$missing gcc"
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
    echo "oracles missing:$missing" >&2
    echo "run as root: apt-get install -y $PKGS" >&2
    exit 0
fi
echo "installing oracles:$missing" >&2
# Keep package scripts from starting the sendmail daemon.
if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
    chmod +x /usr/sbin/policy-rc.d
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq $PKGS >/dev/null
