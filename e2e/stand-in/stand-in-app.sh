#!/bin/sh
# Stand-in "app" for checking the e2e harness without the real app (see e2e/README.md):
# WebKitGTK's MiniBrowser in automation mode. run.mjs must be given MW_E2E_START_URL=file://.../index.html.
for b in /usr/lib/*/webkit2gtk-4.1/MiniBrowser /usr/libexec/webkit2gtk-4.1/MiniBrowser; do
  [ -x "$b" ] && exec "$b" --automation "$@"
done
echo "stand-in-app.sh: MiniBrowser not found (Debian: libwebkit2gtk-4.1-0 ships it)" >&2
exit 1
