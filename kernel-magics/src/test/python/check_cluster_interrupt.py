"""By hand (not run by CI: kernel-magics builds before the spark module): the stop button during a cluster run in the
installed kernel, then a second cluster run in the same kernel. Both must end within seconds.

    bin/prompttune kernel install --prefix /tmp/kp --name prompttune-java     # with spark/target built
    cd "$(mktemp -d)" && JUPYTER_PATH=/tmp/kp/share/jupyter /usr/bin/python3 check_cluster_interrupt.py prompttune-java

Measured 2026-12-05: the stopped cell ended in 2.3 s (record INTERRUPTED), the second run in 4.0 s. Before the stop
button spared libraries' daemon threads, the stopped cell had not ended after 120 s and Spark had lost its
HeartbeatReceiver.
"""
import sys
import time

from jupyter_client.manager import start_new_kernel

from kernel_messages import collect


def ended(kc, msg_id, timeout):
    """The request's iopub messages and whether it went idle within `timeout` seconds."""
    try:
        return collect(kc, msg_id, timeout), True
    except AssertionError:
        return [], False


km, kc = start_new_kernel(kernel_name=sys.argv[1], startup_timeout=90)
try:
    long = "%%promptTune longRun\nmodel 't5-mini-topics'\ndata 'spam'\nlength 4\nsteps 100000\nbatch 4\nevalEvery 5\nmaxInputLength 32\ncluster 'local[2]'\n"
    msg_id = kc.execute(long)
    collect(kc, msg_id, 300, until=lambda t, c: t == "update_display_data" and "dev" in c["data"].get("text/plain", ""))
    print("first eval seen; interrupting", flush=True)
    t0 = time.time()
    km.interrupt_kernel()
    out, idle = ended(kc, msg_id, 120)
    print("interrupted cell ended:", idle, "after %.1f s" % (time.time() - t0), flush=True)
    short = long.replace("longRun", "again").replace("steps 100000", "steps 6").replace("evalEvery 5", "evalEvery 3")
    msg_id = kc.execute(short)
    t0 = time.time()
    out, idle = ended(kc, msg_id, 180)
    print("second cluster run ended:", idle, "after %.1f s" % (time.time() - t0), flush=True)
    for t, c in out:
        if t in ("error", "stream"):
            print(t, (c.get("text") or c.get("evalue") or "")[:300])
finally:
    kc.stop_channels()
    km.shutdown_kernel(now=True)
