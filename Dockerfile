# office-bot: the Telegram bot with its knowledge base baked in.
#
#   docker build -t office-bot .
#   docker run -d --name office-bot -e TELEGRAM_BOT_TOKEN=... -v office-bot-data:/data office-bot
#
# Build stage: a wheel of this project (knowledge/ included as package data).
FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY pyproject.toml README.md ./
COPY src ./src
COPY retrieval ./retrieval
COPY knowledge ./knowledge
RUN pip wheel --no-deps --wheel-dir /wheels .

# Run stage: the installed package only, as an unprivileged user; state in the /data volume.
FROM python:3.11-slim
ENV PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    OFFICE_BOT_DATA=/data
COPY --from=build /wheels /wheels
RUN pip install /wheels/*.whl \
    && rm -rf /wheels \
    && useradd --system --uid 10001 --home-dir /data --shell /usr/sbin/nologin officebot \
    && mkdir -p /data \
    && chown officebot:officebot /data
USER officebot
WORKDIR /data
VOLUME ["/data"]
CMD ["office-bot", "run"]
