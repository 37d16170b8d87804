# gunicorn for mutu, behind nginx (deploy/nginx.conf.example). One process per core, four
# threads each, keep-alive connections from nginx: a thread waiting on PostgreSQL or on the
# network gives the core to another (decision 0005). Sync workers are slower here: gunicorn 27
# keeps a sync worker on each closed connection until the client closes its side too.
import multiprocessing

bind = "127.0.0.1:8000"
workers = multiprocessing.cpu_count()
worker_class = "gthread"
threads = 4
keepalive = 5
timeout = 60
graceful_timeout = 30
max_requests = 50000
max_requests_jitter = 5000
accesslog = "-"
errorlog = "-"
forwarded_allow_ips = "127.0.0.1"
