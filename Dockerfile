# One image for the API and the worker (and every other `autopersonas` command).
#   docker build -t autopersonas .
#   docker run autopersonas api --host 0.0.0.0     /     docker run autopersonas worker
# The build stage installs the project into a virtual environment; the runtime stage copies only that
# environment, so compilers and pip caches stay behind, and runs as an unprivileged user.

FROM python:3.11-slim AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
RUN python -m venv /opt/venv
WORKDIR /src
COPY pyproject.toml README.md worker.py ./
COPY api ./api
COPY activities ./activities
COPY cli ./cli
COPY contracts ./contracts
COPY core ./core
COPY domain ./domain
COPY providers ./providers
COPY sandbox ./sandbox
COPY store ./store
COPY workflows ./workflows
RUN /opt/venv/bin/pip install --upgrade pip && /opt/venv/bin/pip install .

FROM python:3.11-slim AS runtime
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    AUTOPERSONAS_DATA_DIR=/data
RUN useradd --system --uid 10001 --home-dir /data --create-home autopersonas
COPY --from=build /opt/venv /opt/venv
USER autopersonas
WORKDIR /data
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz').status != 200)"]
ENTRYPOINT ["autopersonas"]
CMD ["api", "--host", "0.0.0.0", "--port", "8000"]
