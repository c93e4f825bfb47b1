#!/bin/sh
# Rebuilds the embedded stand-in fonts (*.ttf), SOURCES, the licence texts and
# ../internal/fonts/coverage.txt from Debian bookworm packages. Users never need to run
# it: its output is committed. Run as root (it installs the sources), or as any user
# once the packages below are installed.
set -eu
cd "$(dirname "$0")"

PKGS="fonts-noto-cjk fonts-noto-cjk-extra fonts-arphic-ukai unicode-data python3-fonttools"
if [ "$(id -u)" = 0 ]; then
	DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 install -y \
		--no-install-recommends $PKGS
fi
for p in $PKGS; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		{ echo "build.sh: package $p is not installed" >&2; exit 1; }
done

# Debian's python3 (with its fonttools), not whatever python3 comes first in PATH.
/usr/bin/python3 build.py

# Licence texts travel with the fonts.
cp /usr/share/doc/fonts-noto-cjk/copyright LICENSE-noto-cjk.txt
zcat /usr/share/doc/fonts-arphic-ukai/license/english/ARPHICPL.TXT.gz > LICENSE-arphic-ukai.txt
printf '\n\n----- Debian copyright file of fonts-arphic-ukai -----\n\n' >> LICENSE-arphic-ukai.txt
cat /usr/share/doc/fonts-arphic-ukai/copyright >> LICENSE-arphic-ukai.txt

ls -l *.ttf
