"""Debian's nginx with the shipped site (deploy/nginx/gastvrij.conf) in front of service processes:
its own prefix, configuration, self-signed certificate and loopback ports in a folder of the test."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
from pathlib import Path

import requests

from queue_ticketing.web.rendering import STATIC_DIR
from tests.support.live_server import free_port, wait_until

SITE = Path(__file__).resolve().parents[2] / "deploy" / "nginx" / "gastvrij.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
OPENSSL = shutil.which("openssl")


def missing_parts() -> str | None:
    """Why the nginx tests cannot run here, or None."""
    if not Path(NGINX).exists():
        return "nginx is not installed (Debian package nginx; make test installs it as root)"
    if OPENSSL is None:
        return "openssl is not installed (Debian package openssl)"
    return None


def _replace(text: str, pattern: str, replacement: str, count: int = 1) -> str:
    new, made = re.subn(pattern, replacement, text)
    if made != count:
        raise AssertionError(f"the site no longer has {count} x {pattern!r}; update tests/deploy/stack.py")
    return new


def site_for_test(folder: Path, upstream_ports: list[int], https_port: int, http_port: int) -> str:
    """The shipped site with this test's ports, certificate, static folder and logs; nothing else changed."""
    text = SITE.read_text()
    text = _replace(text, r"listen \[::\]:\d+[^;]*;\n\s*", "", count=2)
    text = _replace(text, r"listen 80;", f"listen 127.0.0.1:{http_port};")
    text = _replace(text, r"listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;")
    servers = "".join(f"server 127.0.0.1:{port} max_fails=1 fail_timeout=3s;\n    " for port in upstream_ports)
    text = _replace(text, r"server 127\.0\.0\.1:8001 [^;]*;\n\s*server 127\.0\.0\.1:8002 [^;]*;\n\s*", servers)
    text = _replace(text, r"/etc/ssl/certs/gastvrij\.pem", str(folder / "cert.pem"))
    text = _replace(text, r"/etc/ssl/private/gastvrij\.key", str(folder / "key.pem"))
    text = _replace(text, r"/opt/gastvrij/queue_ticketing/web/static/", f"{STATIC_DIR}/")
    return _replace(text, r"/var/log/nginx/gastvrij\.access\.log", str(folder / "access.log"), count=2)


class Nginx:
    """``nginx`` in the foreground, serving the site on https://127.0.0.1:<port> (self-signed)."""

    def __init__(self, folder: Path, upstream_ports: list[int]) -> None:
        self.folder = folder
        self.upstream_ports = upstream_ports
        self.https_port = free_port()
        self.http_port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.https_port}"

    @property
    def certificate(self) -> str:
        return str(self.folder / "cert.pem")

    def start(self) -> Nginx:
        self.folder.mkdir(parents=True, exist_ok=True)
        assert OPENSSL is not None
        subprocess.run([OPENSSL, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                        "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                        "-keyout", str(self.folder / "key.pem"), "-out", str(self.folder / "cert.pem")],
                       check=True, capture_output=True, timeout=60)
        (self.folder / "gastvrij.conf").write_text(
            site_for_test(self.folder, self.upstream_ports, self.https_port, self.http_port))
        temp = "\n".join(f"    {kind}_temp_path {self.folder / kind};"
                         for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        # As root, nginx would run its workers as another user, who cannot write to the test's folder.
        user = "user root root;" if os.geteuid() == 0 else ""
        (self.folder / "nginx.conf").write_text(f"""
{user}
pid {self.folder / 'nginx.pid'};
error_log {self.folder / 'error.log'} info;
worker_processes 1;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
{temp}
    include {self.folder / 'gastvrij.conf'};
}}
""")
        log = (self.folder / "nginx.out").open("ab")
        self.process = subprocess.Popen([NGINX, "-p", str(self.folder), "-c", str(self.folder / "nginx.conf"),
                                         "-e", str(self.folder / "error.log"), "-g", "daemon off;"],
                                        stdout=log, stderr=log)
        log.close()

        def listening() -> bool:
            assert self.process is not None
            if self.process.poll() is not None:
                raise RuntimeError(f"nginx exited: {(self.folder / 'error.log').read_text()[-2000:]}")
            try:
                requests.get(f"{self.url}/static/css/screens.css", verify=self.certificate, timeout=1)
                return True
            except requests.ConnectionError:
                return False

        wait_until(listening, 20, interval=0.05, what="nginx listening")
        return self

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT)  # graceful: finish what is under way
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def error_log(self) -> str:
        return (self.folder / "error.log").read_text()

    def access_log(self) -> str:
        path = self.folder / "access.log"
        return path.read_text() if path.exists() else ""

