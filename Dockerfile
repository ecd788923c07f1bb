# office-bot: the Telegram bot, with the shipped knowledge inside the package (read-only) and the
# library, the state and the caches in the /data volume: adding a speech needs no rebuild.
#
#   docker build -t office-bot .
#   docker run -d --name office-bot -e TELEGRAM_BOT_TOKEN=... -e OFFICE_BOT_ADMINS=... -v office-bot-data:/data office-bot
#
# No Docker daemon runs where this was written: scripts/check_image_steps.sh runs every step below
# that can run without one (the wheel, its contents, the install, the non-root user writing /data).

# Build stage: a wheel of this project (the shipped knowledge included as package data).
FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY pyproject.toml README.md ./
COPY src ./src
COPY retrieval ./retrieval
COPY knowledge ./knowledge
RUN pip wheel --no-deps --wheel-dir /wheels .

# Run stage: the installed package only, as an unprivileged user. /data holds the library
# (/data/library: speeches, synonyms, tips added by admins), the SQLite state, and caches
# (TMPDIR=/data/cache: jieba's dictionary cache and the like).
FROM python:3.11-slim
ENV PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    OFFICE_BOT_DATA=/data TMPDIR=/data/cache
COPY --from=build /wheels /wheels
RUN pip install /wheels/*.whl \
    && rm -rf /wheels \
    && useradd --system --uid 10001 --home-dir /data --shell /usr/sbin/nologin officebot \
    && mkdir -p /data/library /data/cache \
    && chown -R officebot:officebot /data
USER officebot
WORKDIR /data
VOLUME ["/data"]
# webhook mode (office-bot run --webhook) listens here; long polling (the default) needs no port
EXPOSE 8443
HEALTHCHECK --interval=60s --timeout=20s --start-period=60s --retries=3 CMD ["office-bot", "check"]
CMD ["office-bot", "run"]
