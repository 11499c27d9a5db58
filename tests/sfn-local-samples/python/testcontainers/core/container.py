"""DockerContainer for amazon/aws-stepfunctions-local only: instead of the container, our Step Functions API in
Step Functions Local mode, in a process of its own (tests/sfn-local-samples/sfn-local-server.ts, the command given by
SFN_LOCAL_SERVER_COMMAND as a JSON list), with what the sample asked of the container: its environment, and the host
file its SFN_MOCK_CONFIG names through with_volume_mapping. It listens on a free port: get_exposed_port(8083) says
which, as testcontainers maps a container's port. Only what the sample calls exists, so more fails visibly."""
import json
import os
import re
import subprocess
import threading

STEP_FUNCTIONS_LOCAL_IMAGE = "amazon/aws-stepfunctions-local"
CONTAINER_PORT = 8083
STARTED = re.compile(r"^Starting server on port (\d+)$")


class DockerContainer:
    def __init__(self, image, **_kwargs):
        if image.split(":")[0] != STEP_FUNCTIONS_LOCAL_IMAGE:
            raise RuntimeError(f"this testcontainers stand-in runs only {STEP_FUNCTIONS_LOCAL_IMAGE}, not {image}")
        self._env = {}
        self._volumes = {}
        self._process = None
        self._port = None
        self._logs = []

    def with_bind_ports(self, container, _host=None):
        self._check_port(container)
        return self

    def with_exposed_ports(self, *ports):
        for port in ports:
            self._check_port(port)
        return self

    def with_env(self, key, value):
        self._env[key] = value
        return self

    def with_volume_mapping(self, host, container, _mode="ro"):
        self._volumes[container] = os.path.abspath(host)
        return self

    def start(self):
        environment = dict(os.environ)
        for key, value in self._env.items():
            # A path inside the container is the host file mapped there.
            environment[key] = self._volumes.get(value, value)
        self._process = subprocess.Popen(
            json.loads(os.environ["SFN_LOCAL_SERVER_COMMAND"]),
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for line in self._process.stdout:
            line = line.rstrip("\n")
            started = STARTED.match(line)
            if started:
                self._port = started.group(1)
                # The container's log: there it listens on its own port 8083, whichever host port that maps to.
                line = f"Starting server on port {CONTAINER_PORT}"
            self._logs.append(line)
            if started:
                break
        if self._port is None:
            raise RuntimeError("the Step Functions API did not start: " + " | ".join(self._logs))
        threading.Thread(target=self._keep_logging, daemon=True).start()
        return self

    def _keep_logging(self):
        for line in self._process.stdout:
            self._logs.append(line.rstrip("\n"))

    def get_logs(self):
        return ("\n".join(self._logs) + "\n").encode(), b""

    def get_container_host_ip(self):
        return "localhost"

    def get_exposed_port(self, port):
        self._check_port(port)
        return self._port

    def stop(self):
        if self._process and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()

    def _check_port(self, port):
        if int(port) != CONTAINER_PORT:
            raise RuntimeError(f"{STEP_FUNCTIONS_LOCAL_IMAGE} exposes only port {CONTAINER_PORT}, not {port}")
