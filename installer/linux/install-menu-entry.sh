#!/bin/sh
# Put mms-desktop into this user's application menu (no administrator needed):
# the menu entry goes to ~/.local/share/applications, the icon to
# ~/.local/share/icons. Run it from the unpacked folder; run it again after
# moving the folder. `install-menu-entry.sh --remove` takes the entry away
# (the data folder stays).
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
data="${XDG_DATA_HOME:-$HOME/.local/share}"
entry="$data/applications/mms-desktop.desktop"
icon="$data/icons/hicolor/256x256/apps/mms-desktop.png"
if [ "${1:-}" = "--remove" ]; then
    rm -f "$entry" "$icon"
    echo "Usunięto skrót mms-desktop z menu (dane zostały)."
    exit 0
fi
if [ ! -x "$here/mms-desktop" ]; then
    echo "Uruchom ten skrypt z rozpakowanego folderu mms-desktop." >&2
    exit 1
fi
mkdir -p "$(dirname "$entry")" "$(dirname "$icon")"
cp "$here/mms-desktop.png" "$icon"
# The Exec path is quoted as the desktop entry specification asks.
quoted="$(printf '%s' "$here/mms-desktop" | sed 's/[\\"`$]/\\&/g')"
sed -e "s|^Exec=.*|Exec=\"$quoted\"|" -e "s|^Icon=.*|Icon=$icon|" \
    "$here/mms-desktop.desktop" > "$entry"
chmod 644 "$entry"
command -v update-desktop-database >/dev/null 2>&1 \
    && update-desktop-database "$data/applications" >/dev/null 2>&1 || true
echo "Dodano mms-desktop do menu programów ($entry)."
