"""Operating Civia at scale: liveness and readiness probes, Prometheus metrics, structured
logs, backups. A plugin like any area (`civia.ops.plugin`)."""
