"""``make bench``: throughput and latency of the site under gunicorn, against controls."""
