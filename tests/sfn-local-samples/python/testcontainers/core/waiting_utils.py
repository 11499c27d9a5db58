"""wait_for_logs as testcontainers has it: until the container's log shows the line (a string or a regex)."""
import re
import time


def wait_for_logs(container, predicate, timeout=120, interval=0.1):
    pattern = re.compile(predicate) if isinstance(predicate, str) else predicate
    start = time.time()
    while True:
        stdout, stderr = container.get_logs()
        if pattern.search(stdout.decode()) or pattern.search(stderr.decode()):
            return time.time() - start
        if time.time() - start > timeout:
            raise TimeoutError(f"container did not log {predicate!r} within {timeout} s")
        time.sleep(interval)
