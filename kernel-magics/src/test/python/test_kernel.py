"""Protocol tests for the prompttune Java kernel, run against an installed kernelspec.

    JUPYTER_PATH=<prefix>/share/jupyter /usr/bin/python3 -m unittest -v test_kernel

(KernelIntegrationTest in the module's JUnit tests installs the kernelspec into target/ and runs this.)
Uses Debian's python3-jupyter-kernel-test (jupyter_kernel_test.KernelTests) for the standard checks and
jupyter_client directly for interrupt and client-death behaviour.
"""

import os
import signal
import subprocess
import sys
import textwrap
import time
import unittest

import jupyter_kernel_test
from jupyter_client.manager import start_new_kernel

from kernel_messages import collect

KERNEL_NAME = os.environ.get("PROMPTTUNE_KERNEL_NAME", "prompttune-java")
TIMEOUT = 30


def execute(kc, code, timeout=TIMEOUT):
    msg_id = kc.execute(code)
    reply = kc.get_shell_msg(timeout=timeout)
    while reply["parent_header"].get("msg_id") != msg_id:
        reply = kc.get_shell_msg(timeout=timeout)
    return reply["content"], collect(kc, msg_id, timeout)


class PromptTuneKernelTests(jupyter_kernel_test.KernelTests):
    """The standard jupyter_kernel_test suite plus the kernel's own features, on one kernel."""

    kernel_name = KERNEL_NAME
    language_name = "java"
    file_extension = ".jshell"

    code_hello_world = 'System.out.println("hello, world");'
    code_stderr = 'System.err.println("to stderr");'

    completion_samples = [
        {"text": "Math.ma", "matches": {"max("}},
        {"text": "%prompttune_v", "matches": {"prompttune_version"}},
        {"text": "%%ht", "matches": {"html"}},
    ]

    complete_code_samples = ["1 + 1", "int x = 1;", "void f() { }", "%prompttune_version", "%%html\n<b>x</b>"]
    incomplete_code_samples = ["for (int i = 0; i < 3; i++) {", "void f() {", "int y = Math.max(1,"]
    invalid_code_samples = ["int x = ;", ")"]

    code_generate_error = 'throw new IllegalStateException("boom");'

    code_execute_result = [
        {"code": "1 + 2", "result": "3"},
        {"code": '"a" + "b"', "result": "ab"},
        {"code": "%prompttune_version", "mime": "text/plain"},
        {"code": "%%html\n<b>bold</b>", "mime": "text/html", "result": "<b>bold</b>"},
        {"code": "new java.awt.image.BufferedImage(8, 8, java.awt.image.BufferedImage.TYPE_INT_RGB)",
         "mime": "image/png"},
    ]

    code_display_data = [
        {"code": 'display(html("<i>hi</i>"));', "mime": "text/html"},
        {"code": "display(new java.awt.image.BufferedImage(4, 4, 1));", "mime": "image/png"},
    ]

    code_inspect_sample = "Math.max"

    # --- the kernel's own features ---------------------------------------------------------

    def test_kernel_info_status_ok(self):
        self.flush_channels()
        self.kc.kernel_info()
        reply = self.kc.get_shell_msg(timeout=TIMEOUT)
        self.assertEqual(reply["content"]["status"], "ok")
        self.assertEqual(reply["content"]["implementation"], "prompttune")

    def test_state_is_shared_between_cells(self):
        self.flush_channels()
        reply, _ = execute(self.kc, "int shared = 41;")
        self.assertEqual(reply["status"], "ok")
        reply, out = execute(self.kc, "shared + 1")
        self.assertEqual(reply["status"], "ok")
        results = [c for t, c in out if t == "execute_result"]
        self.assertEqual(results[0]["data"]["text/plain"], "42")

    def test_trailing_semicolon_suppresses_result(self):
        self.flush_channels()
        reply, out = execute(self.kc, "1 + 2;")
        self.assertEqual(reply["status"], "ok")
        self.assertEqual([t for t, _ in out if t == "execute_result"], [])

    def test_update_display(self):
        self.flush_channels()
        reply, out = execute(self.kc, 'String pid = display("step 1"); updateDisplay(pid, "step 2");')
        self.assertEqual(reply["status"], "ok", reply)
        kinds = [t for t, _ in out]
        self.assertIn("display_data", kinds)
        self.assertIn("update_display_data", kinds)
        shown = next(c for t, c in out if t == "display_data")
        updated = next(c for t, c in out if t == "update_display_data")
        self.assertEqual(shown["transient"]["display_id"], updated["transient"]["display_id"])
        self.assertEqual(updated["data"]["text/plain"], "step 2")

    def test_renderer_registry(self):
        self.flush_channels()
        code = textwrap.dedent("""\
            record Score(String name, double value) {}
            registerRenderer(Score.class, s -> RichOutput.of(s.name() + "=" + s.value())
                    .html("<b>" + s.name() + "</b> " + s.value())
                    .png(new java.awt.image.BufferedImage(2, 2, 1)));
            new Score("f1", 0.5)
            """)
        reply, out = execute(self.kc, "import dev.prompttune.kernel.RichOutput;\n" + code)
        self.assertEqual(reply["status"], "ok", reply)
        result = next(c for t, c in out if t == "execute_result")
        self.assertEqual(result["data"]["text/plain"], "f1=0.5")
        self.assertEqual(result["data"]["text/html"], "<b>f1</b> 0.5")
        self.assertIn("image/png", result["data"])

    def test_error_is_short_and_cell_relative(self):
        self.flush_channels()
        code = 'void fail() { throw new IllegalArgumentException("bad"); }\nint ok = 1;\nfail();'
        reply, out = execute(self.kc, code)
        self.assertEqual(reply["status"], "error")
        self.assertEqual(reply["ename"], "java.lang.IllegalArgumentException")
        self.assertEqual(reply["evalue"], "bad")
        err = next(c for t, c in out if t == "error")
        tb = "\n".join(err["traceback"])
        self.assertLess(len(err["traceback"]), 10, tb)
        self.assertIn("cell line 3", tb)
        self.assertIn("fail (cell line 1)", tb)
        for plumbing in ("jdk.jshell", "org.dflib", "jdk.internal.reflect", "dev.prompttune.kernel"):
            self.assertNotIn(plumbing, tb)

    def test_compile_error(self):
        self.flush_channels()
        reply, out = execute(self.kc, "int a = 1;\nint b = undefinedName + 1;")
        self.assertEqual(reply["status"], "error")
        self.assertEqual(reply["ename"], "CompilationException")
        err = next(c for t, c in out if t == "error")
        self.assertIn("cell line 2: cannot find symbol", err["traceback"])

    def test_magic_error_and_unknown_magic(self):
        self.flush_channels()
        reply, _ = execute(self.kc, "%no_such_magic")
        self.assertEqual(reply["status"], "error")
        self.assertIn("no_such_magic", reply["evalue"])

    def test_lsmagic_lists_example_magics(self):
        self.flush_channels()
        reply, out = execute(self.kc, "%lsmagic")
        self.assertEqual(reply["status"], "ok")
        text = next(c for t, c in out if t == "execute_result")["data"]["text/plain"]
        self.assertIn("%prompttune_version", text)
        self.assertIn("%%html", text)


class InterruptTests(unittest.TestCase):
    """interrupt_mode=message: jupyter_client's interrupt_kernel() sends interrupt_request on control."""

    @classmethod
    def setUpClass(cls):
        cls.km, cls.kc = start_new_kernel(kernel_name=KERNEL_NAME, startup_timeout=60)

    @classmethod
    def tearDownClass(cls):
        cls.kc.stop_channels()
        cls.km.shutdown_kernel()

    def interrupt_cell(self, code):
        self.assertEqual(self.km.kernel_spec.interrupt_mode, "message")
        msg_id = self.kc.execute(code)
        time.sleep(1.5)  # let it start running
        started = time.time()
        self.km.interrupt_kernel()
        reply = self.kc.get_shell_msg(timeout=TIMEOUT)
        while reply["parent_header"].get("msg_id") != msg_id:
            reply = self.kc.get_shell_msg(timeout=TIMEOUT)
        collect(self.kc, msg_id, TIMEOUT)
        self.assertEqual(reply["content"]["status"], "error")
        self.assertEqual(reply["content"]["ename"], "Interrupted")
        return time.time() - started

    def assert_usable(self):
        reply, out = execute(self.kc, "6 * 7")
        self.assertEqual(reply["status"], "ok")
        self.assertEqual(next(c for t, c in out if t == "execute_result")["data"]["text/plain"], "42")

    def test_interrupt_busy_loop(self):
        self.interrupt_cell("while (true) { }")
        self.assert_usable()

    def test_interrupt_sleep(self):
        took = self.interrupt_cell("Thread.sleep(100000);")
        self.assertLess(took, 5)
        self.assert_usable()

    def test_interrupt_loop_that_checks_interrupted(self):
        took = self.interrupt_cell("long n = 0; while (!Thread.currentThread().isInterrupted()) { n++; }")
        self.assertLess(took, 5)
        self.assert_usable()


class ClientDeathTest(unittest.TestCase):
    """The kernel exits when the process that started it (JPY_PARENT_PID) dies."""

    def test_kernel_exits_when_client_is_killed(self):
        client = textwrap.dedent("""\
            import sys, time
            from jupyter_client.manager import start_new_kernel
            km, kc = start_new_kernel(kernel_name=%r, startup_timeout=60)
            print(km.provisioner.process.pid, flush=True)
            time.sleep(600)
            """ % KERNEL_NAME)
        proc = subprocess.Popen([sys.executable, "-c", client], stdout=subprocess.PIPE, text=True)
        try:
            kernel_pid = int(proc.stdout.readline())
        finally:
            proc.kill()  # SIGKILL: the client gets no chance to shut the kernel down
            proc.wait(timeout=10)
            proc.stdout.close()
        deadline = time.time() + 15
        while time.time() < deadline and pid_alive(kernel_pid):
            time.sleep(0.2)
        alive = pid_alive(kernel_pid)
        if alive:
            os.kill(kernel_pid, signal.SIGKILL)
        self.assertFalse(alive, "kernel %d outlived its client" % kernel_pid)


def pid_alive(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().split(")")[-1].split()[0] != "Z"  # a zombie has exited
    except FileNotFoundError:
        return False


if __name__ == "__main__":
    unittest.main(verbosity=2)
