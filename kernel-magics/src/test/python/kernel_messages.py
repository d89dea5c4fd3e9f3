"""Reading a kernel's iopub replies, shared by the kernel tests (test_kernel.py, test_magics.py) and the hand checks."""

import time
from queue import Empty


def collect(kc, msg_id, timeout, until=None):
    """iopub messages of one request, as (msg_type, content) pairs, until its idle status (or until
    `until(msg_type, content)` is true); AssertionError if neither comes within `timeout` seconds."""
    out = []
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            msg = kc.get_iopub_msg(timeout=1)
        except Empty:
            continue
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        t, c = msg["msg_type"], msg["content"]
        if t == "status" and c["execution_state"] == "idle":
            return out
        out.append((t, c))
        if until is not None and until(t, c):
            return out
    raise AssertionError("no idle status for %s within %ss; got %r" % (msg_id, timeout, [t for t, _ in out]))
