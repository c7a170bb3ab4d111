FROM python:3.11.10-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app
# fonts for the PDF reports: DejaVu (Latin, Greek, Cyrillic) and Droid Sans Fallback (Chinese names and addresses)
RUN apt-get update && apt-get install -y --no-install-recommends fonts-dejavu-core fonts-droid-fallback \
    && rm -rf /var/lib/apt/lists/*
COPY pyproject.toml README.md ./
COPY graph ./graph
COPY ingest ./ingest
COPY nlp ./nlp
COPY dashboard ./dashboard
COPY infringer_graph ./infringer_graph
RUN pip install . && useradd --system --uid 10001 --home-dir /app infringer
COPY examples ./examples
USER infringer
EXPOSE 8501
CMD ["infringer-graph", "--help"]
