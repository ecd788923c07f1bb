#!/usr/bin/env bash
# Every step of the Dockerfile that can run without a Docker daemon, run here instead:
#   1. the build stage: `pip wheel --no-deps .` from the files the Dockerfile copies (.dockerignore)
#   2. the wheel installs one top-level package, officebot, with the shipped knowledge inside
#   3. the run stage: `pip install` of the wheel into a fresh virtual environment
#   4. the unprivileged user (uid 10001) and /data owned by it (a temporary directory stands in for
#      /data, with OFFICE_BOT_DATA and TMPDIR set as in the image): as that user, `office-bot check`
#      (the HEALTHCHECK), `office-bot ingest` of a speech into /data/library, `office-bot ask` finding
#      it, `office-bot sources`; and nothing written into site-packages
# Needs python3 (3.11+) and, for step 4, root (useradd, runuser). Usage: bash scripts/check_image_steps.sh
set -euo pipefail
cd "$(dirname "$0")/.."
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
chmod 755 "$WORK"

echo "== 1. build stage: the wheel, from what the Dockerfile copies"
mkdir -p "$WORK/src"
cp -r pyproject.toml README.md src retrieval knowledge "$WORK/src/"
find "$WORK/src" -name __pycache__ -prune -exec rm -rf {} +
python3 -m pip wheel -q --no-deps --wheel-dir "$WORK/wheels" "$WORK/src"
WHEEL=$(ls "$WORK"/wheels/*.whl)
echo "   $(basename "$WHEEL")"

echo "== 2. what the wheel installs"
python3 - "$WHEEL" <<'PY'
import sys, zipfile
names = zipfile.ZipFile(sys.argv[1]).namelist()
top = sorted({n.split("/")[0] for n in names if not n.split("/")[0].endswith(".dist-info")})
assert top == ["officebot"], f"top-level names besides officebot: {top}"
for needed in ("officebot/knowledge/manifest.yaml", "officebot/knowledge/speeches/district-office-directors.txt",
               "officebot/retrieval/search.py", "officebot/library/layers.py", "officebot/bot/admin.py"):
    assert needed in names, f"missing from the wheel: {needed}"
print(f"   {len(names)} files, one top-level package: officebot")
PY

echo "== 3. run stage: pip install of the wheel into a fresh virtual environment"
# the unprivileged user must be able to run that Python: prefer one outside root's home
PY=python3
for candidate in /usr/local/bin/python3 /usr/bin/python3; do
  if [ -x "$candidate" ] && "$candidate" -c 'import sys, venv; assert sys.version_info >= (3, 11)' 2>/dev/null; then
    PY=$candidate; break
  fi
done
"$PY" -m venv "$WORK/venv"
"$WORK/venv/bin/pip" install -q "$WHEEL" 2>&1 | grep -v "^WARNING: Location" || true
SITE=$("$WORK/venv/bin/python" -c 'import officebot, pathlib; print(pathlib.Path(officebot.__file__).parent)')
"$WORK/venv/bin/office-bot" --version
chmod -R a+rX "$WORK/venv"
before=$(find "$SITE" -type f -not -name '*.pyc' -exec sha1sum {} + | sort | sha1sum)

if [ "$(id -u)" != 0 ]; then
  echo "== 4. skipped: needs root to create the unprivileged user"; exit 0
fi
echo "== 4. the unprivileged user and /data"
id officebot-check >/dev/null 2>&1 || useradd --system --uid 10001 --no-create-home --shell /usr/sbin/nologin officebot-check \
  || useradd --system --no-create-home --shell /usr/sbin/nologin officebot-check
DATA="$WORK/data"
mkdir -p "$DATA/library" "$DATA/cache"
chown -R officebot-check: "$DATA"
cat > "$WORK/speech.txt" <<'TXT'
在全市印章管理工作会议上的讲话
同志们：
一、印章管理要抓实
印章管理工作要有专人负责，用印必须登记，每月底前报送一次用印台账，发现问题当天整改，年底统一考核。
二、印章管理要创新
印章管理要用好信息化手段，建立电子台账，做到一目了然、随时可查，借用印章必须当天归还。
TXT
chmod 644 "$WORK/speech.txt"
as_user() { runuser -u officebot-check -- env -i PATH="$WORK/venv/bin:/usr/bin:/bin" HOME="$DATA" \
  OFFICE_BOT_DATA="$DATA" TMPDIR="$DATA/cache" "$@"; }
( cd "$DATA" && as_user office-bot check )
( cd "$DATA" && as_user office-bot ingest "$WORK/speech.txt" --date 2023-05-06 ) | sed 's/^/   /'
( cd "$DATA" && as_user office-bot ask "借用印章要什么时候归还" ) | grep -q "当天归还" && echo "   ask finds the new speech"
( cd "$DATA" && as_user office-bot sources ) | sed 's/^/   /'
test -f "$DATA/library/manifest.yaml" && echo "   library written to /data/library"
if ( cd "$DATA" && as_user office-bot ingest "$WORK/speech.txt" --knowledge "$SITE/knowledge" ) 2>/dev/null; then
  echo "ingest into site-packages was not refused"; exit 1
fi
after=$(find "$SITE" -type f -not -name '*.pyc' -exec sha1sum {} + | sort | sha1sum)
[ "$before" = "$after" ] && echo "   site-packages unchanged"
echo "all steps passed"
