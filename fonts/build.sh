#!/bin/sh
# Rebuilds the stand-in fonts (*.ttf here: OFL, embedded in the executable; gpl/*.ttf:
# GPL, shipped beside it), SOURCES, the licence texts and
# ../internal/fonts/coverage.txt from Debian bookworm packages. Users never need to run
# it: its output is committed. Run as root (it installs the sources), or as any user
# once the packages below are installed.
#
# FandolFang and FandolKai come from texlive-lang-chinese, which is downloaded (apt-get
# download, pinned to the version below and checked against its sha256) and unpacked
# with dpkg-deb -x, not installed. Set FANDOL_DEB to an already downloaded copy of
# that .deb to skip the download.
set -eu
cd "$(dirname "$0")"

PKGS="fonts-noto-cjk fonts-noto-cjk-extra unicode-data python3-fonttools"
FANDOL_VERSION=2022.20230122-1
FANDOL_DEB_SHA256=9cfa07bd44e7b9098e26f0ecac1b5ad210d2249d474c8074d53de92d650b0ec0
if [ "$(id -u)" = 0 ]; then
	DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 install -y \
		--no-install-recommends $PKGS
fi
for p in $PKGS; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		{ echo "build.sh: package $p is not installed" >&2; exit 1; }
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
deb=${FANDOL_DEB:-}
if [ -z "$deb" ]; then
	(cd "$work" && apt-get download "texlive-lang-chinese=$FANDOL_VERSION")
	deb="$work/texlive-lang-chinese_${FANDOL_VERSION}_all.deb"
fi
got=$(sha256sum "$deb" | cut -d' ' -f1)
if [ "$got" != "$FANDOL_DEB_SHA256" ]; then
	echo "build.sh: $deb has sha256 $got, want $FANDOL_DEB_SHA256 (texlive-lang-chinese $FANDOL_VERSION)" >&2
	exit 1
fi
dpkg-deb -x "$deb" "$work/x"

# Debian's python3 (with its fonttools), not whatever python3 comes first in PATH.
FANDOL_DIR="$work/x" FANDOL_VERSION="$FANDOL_VERSION" FANDOL_DEB_SHA256="$FANDOL_DEB_SHA256" \
	/usr/bin/python3 build.py "$@"

# Licence texts travel with the fonts.
cp /usr/share/doc/fonts-noto-cjk/copyright LICENSE-noto-cjk.txt
zcat "$work/x/usr/share/doc/texlive-doc/fonts/fandol/COPYING.gz" > gpl/COPYING
{
	printf 'Fandol fonts (FandolFang, FandolKai), from the Debian package texlive-lang-chinese %s.\n' "$FANDOL_VERSION"
	printf 'Its README says:\n\n'
	cat "$work/x/usr/share/doc/texlive-doc/fonts/fandol/README"
} > gpl/README.fandol

ls -l *.ttf gpl/*.ttf

# The glyph code files (gpl/fangsong.codes, gpl/kai.codes, title.codes, hei.codes,
# song.codes) hold their fonts' common glyphs precompressed: regenerate them with the
# new fonts (TestGlyphCodeFile fails until then).
echo "now run: go test ./internal/fonts -run TestGlyphCodeFile -update-glyph-codes"
