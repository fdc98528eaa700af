# The webhook sidecar for a container host (the Streamlit app itself runs on Community Cloud).
# Build from the repository root:  docker build -t storefront-sidecar .
# Run:  docker run -p 4242:4242 --env-file sidecar.env storefront-sidecar
# BASE_IMAGE is any image with Python 3.11+ and pip on PATH and useradd; where no registry is
# reachable, tests/test_container_image.py makes one from Debian and builds on it (see
# docs/deploy.md for what that proves).
ARG BASE_IMAGE=python:3.11-slim
FROM ${BASE_IMAGE}

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PORT=4242
WORKDIR /app

# Dependencies first, so a code change does not reinstall them: the sidecar extra alone
# (requirements-sidecar.txt), nothing of Streamlit's.
COPY requirements-sidecar.txt ./
RUN pip install --no-cache-dir --disable-pip-version-check -r requirements-sidecar.txt

# Only what the sidecar imports: lib/ (plain Python) and the Flask app.
COPY lib/ lib/
COPY webhook_server/ webhook_server/

# A user of its own: the process needs no root, and DATA_DIR is only used with SQLite.
RUN useradd --create-home --uid 10001 sidecar && mkdir -p /data && chown sidecar /data
USER sidecar
ENV DATA_DIR=/data LISTEN_ADDRESS=0.0.0.0

EXPOSE 4242
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s \
  CMD python -c "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ['PORT'] + '/healthz', timeout=4)"
# The production command: gunicorn, two workers of four threads, on the host's $PORT.
CMD ["sh", "-c", "exec gunicorn --worker-class gthread -w 2 --threads 4 --timeout 30 -b 0.0.0.0:${PORT} 'webhook_server:create_app()'"]
