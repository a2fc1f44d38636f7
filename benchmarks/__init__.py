"""`make bench`: throughput, latency, start-up and memory, each as a ratio to a bare Starlette baseline."""
