# Copyright 2026 outlook-sync contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Start the repository's real sidecar and Microsoft 365 emulator for a test.

Both are the jars built in this repository (``mvn -B -q -DskipTests -pl
sidecar -am package``); nothing is built here. Each runs on a free loopback
port with its files in a fresh temporary directory, and is stopped (then
killed if it lingers) by the test's cleanup.
"""

import glob
import os
import resource
import select
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parents[3]


def _lift_memory_limit():
    # Odoo caps its own address space (limit_memory_hard, RLIMIT_AS soft
    # limit); a JVM reserves far more address space than it uses and would
    # not start under that cap.
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (hard, hard))


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _classpath(module, artifact):
    jars = [j for j in glob.glob(str(REPO / module / "target" / f"{artifact}-*.jar")) if "-tests" not in j]
    lib = REPO / module / "target" / "lib"
    if not jars or not lib.is_dir():
        return None
    return jars[0] + os.pathsep + str(lib / "*")


def missing(emulator=False):
    """Why the services cannot run here (a skip reason), or None."""
    if not shutil.which("java"):
        return "no java on PATH"
    if not _classpath("sidecar", "outlook-sync-sidecar"):
        return "no built sidecar jar under %s (mvn -B -q -DskipTests -pl sidecar -am package)" % REPO
    if emulator and not _classpath("test-fixtures", "outlook-sync-test-fixtures"):
        return "no built test-fixtures jar under %s" % REPO
    return None


class JavaService:
    """One JVM child process with its own temporary directory and log."""

    def __init__(self, name):
        self.dir = tempfile.mkdtemp(prefix=f"outlook-sync-addon-{name}-")
        self.log_path = os.path.join(self.dir, f"{name}.log")
        self.process = None

    def start(self, main_class, classpath, args=(), env=None, stdout=subprocess.DEVNULL):
        base_env = {key: value for key, value in os.environ.items() if not key.startswith("OUTLOOK_SYNC_")}
        base_env.update(env or {})
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                [shutil.which("java"), "-Djdk.serialFilter=!*", "-Xmx256m", "-cp", classpath, main_class, *args],
                env=base_env,
                cwd=self.dir,
                stdout=stdout,
                stderr=log,
                preexec_fn=_lift_memory_limit,
            )
        return self

    def first_line(self, timeout=60):
        """The first line the service prints on stdout (started with stdout=PIPE)."""
        ready, _w, _x = select.select([self.process.stdout], [], [], timeout)
        line = self.process.stdout.readline().decode().strip() if ready else ""
        if not line:
            raise AssertionError("no output within %s s:\n%s" % (timeout, self.log_tail()))
        return line

    def wait_http(self, url, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                requests.get(url, timeout=1)
                return
            except requests.RequestException:
                time.sleep(0.2)
        raise AssertionError("%s did not answer within %s s:\n%s" % (url, timeout, self.log_tail()))

    def log_tail(self):
        with open(self.log_path, errors="replace") as log:
            return log.read()[-2000:]

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        if self.process and self.process.stdout:
            self.process.stdout.close()
        shutil.rmtree(self.dir, ignore_errors=True)


def start_sidecar(env=None):
    """A sidecar on a free port with its data in a fresh directory; returns (service, base URL).

    ``env`` adds OUTLOOK_SYNC_* settings. The caller stops the service.
    """
    service = JavaService("sidecar")
    port = free_port()
    env = dict(env or {}, OUTLOOK_SYNC_DATA_DIR=os.path.join(service.dir, "data"),
               OUTLOOK_SYNC_LISTEN=f"127.0.0.1:{port}")
    service.start("io.outlooksync.sidecar.app.Main", _classpath("sidecar", "outlook-sync-sidecar"), ["serve"], env)
    url = f"http://127.0.0.1:{port}"
    try:
        service.wait_http(url + "/healthz")
    except AssertionError:
        service.stop()
        raise
    return service, url


def start_emulator(*args):
    """The Microsoft 365 emulator with ``args`` (see ``m365-emulator --help``).

    Returns (service, base URL, path of its certificate). The caller stops it.
    """
    service = JavaService("m365")
    cert = os.path.join(service.dir, "m365.pem")
    service.start(
        "io.outlooksync.fixtures.m365.M365EmulatorMain",
        _classpath("test-fixtures", "outlook-sync-test-fixtures"),
        ["--cert-out", cert, *args],
        stdout=subprocess.PIPE,
    )
    try:
        url = service.first_line()
    except AssertionError:
        service.stop()
        raise
    return service, url, cert
