"""The prompttune magics in the real kernel, through jupyter_client.

    JUPYTER_PATH=... PROMPTTUNE_KERNEL_NAME=... PROMPTTUNE_WORK=DIR /usr/bin/python3 -m unittest -v test_magics

MagicsIntegrationTest (JUnit) installs three kernelspecs whose JVMs see a tiny home (a random d_model-32 T5 as
model 'tiny', a marker-word task as data 'markers'): the normal kernel, one started without the built-in magics
registration (the magics must still load as an Extension through META-INF/services), and a control with extension
discovery off as well (then they must be missing). Kernels run with PROMPTTUNE_WORK as their working directory, so
run records land in PROMPTTUNE_WORK/runs.
"""

import glob
import json
import os
import signal
import time
import unittest

from jupyter_client.manager import start_new_kernel

from kernel_messages import collect

KERNEL = os.environ["PROMPTTUNE_KERNEL_NAME"]
NO_BUILTIN = os.environ["PROMPTTUNE_KERNEL_NO_BUILTIN"]
NO_EXTENSIONS = os.environ["PROMPTTUNE_KERNEL_NO_EXTENSIONS"]
WORK = os.environ["PROMPTTUNE_WORK"]
TIMEOUT = 180

TUNE = """%%%%promptTune %s
model 'tiny'
data 'markers'
length 4
init 'labels'
steps %d
batch 8
evalEvery %d
"""


def reply_to(kc, msg_id):
    reply = kc.get_shell_msg(timeout=TIMEOUT)
    while reply["parent_header"].get("msg_id") != msg_id:
        reply = kc.get_shell_msg(timeout=TIMEOUT)
    return reply["content"]


def execute(kc, code, timeout=TIMEOUT):
    msg_id = kc.execute(code)
    out = collect(kc, msg_id, timeout)
    return reply_to(kc, msg_id), out


def result(out, mime="text/plain"):
    for t, c in out:
        if t == "execute_result":
            return c["data"].get(mime)
    raise AssertionError("no execute_result in %r" % [t for t, _ in out])


def start(name):
    return start_new_kernel(kernel_name=name, startup_timeout=90, cwd=WORK)


class MagicsTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.km, cls.kc = start(KERNEL)

    @classmethod
    def tearDownClass(cls):
        cls.kc.stop_channels()
        cls.km.shutdown_kernel(now=True)

    def ok(self, code):
        reply, out = execute(self.kc, code)
        self.assertEqual(reply["status"], "ok", "%s\n-> %s" % (code, reply.get("evalue")))
        return out

    def tune(self, name, steps=20, every=10):
        return self.ok(TUNE % (name, steps, every))

    def test_1_prompt_tune_shows_live_progress_and_binds_the_run(self):
        out = self.tune("tinyA")
        displays = [c for t, c in out if t == "display_data"]
        updates = [c for t, c in out if t == "update_display_data"]
        self.assertGreaterEqual(len(displays), 2, "a progress display and a chart")
        self.assertTrue(any("image/png" in d["data"] for d in displays), "the live chart is a PNG")
        self.assertTrue(any("text/html" in d["data"] and "<progress" in d["data"]["text/html"] for d in displays))
        self.assertGreaterEqual(len(updates), 2, "redrawn in place while training")
        self.assertTrue(any("step 20/20" in u["data"]["text/plain"] for u in updates))
        text = result(out)
        self.assertIn("prompt tuning: tinyA", text)
        self.assertIn("baseline: design", text)
        self.assertIn("<table>", result(out, "text/html"))
        # bound in Java: a real run object
        self.assertEqual(result(self.ok("tinyA.steps()")), "20")
        self.assertEqual(result(self.ok("tinyA.record().resolve(\"prompt.safetensors\").toFile().isFile()")), "true")

    def test_2_compare_draws_curves(self):
        self.tune("tinyB", steps=10, every=5)
        out = self.ok("%compare tinyA tinyB")
        self.assertIsNotNone(result(out, "image/png"))
        self.assertIn("tinyA", result(out))
        self.assertIn("tinyB", result(out))
        out = self.ok("%prompts")
        self.assertIn("tinyA", result(out))
        self.assertIn("notebook", result(out))

    def test_3_save_load_predict_nearest_export(self):
        path = os.path.join(WORK, "saved", "tinyA")
        out = self.ok("%%savePrompt tinyA %s" % path)
        self.assertTrue(os.path.isfile(path + ".safetensors"))
        self.assertTrue(os.path.isfile(path + ".json"))
        self.ok("%%loadPrompt %s as back" % path)
        text = "the very city time"
        a = result(self.ok('%%predict tinyA "%s"' % text))
        b = result(self.ok('%%predict back "%s"' % text))
        self.assertEqual(a, b, "a saved and reloaded prompt predicts the same, scores included")
        self.assertIn("scores", a)
        self.assertEqual(a, result(self.ok('%%predict tinyA text="%s"' % text)), "field=value form")
        self.assertEqual(result(self.ok("java.util.Arrays.equals(tinyA.prompt(), back.prompt())")), "true")
        near = result(self.ok("%nearest tinyA 3"))
        self.assertIn("nearest tokens of tinyA", near)
        peft = os.path.join(WORK, "peft-tinyA")
        self.ok("%%exportPeft tinyA %s" % peft)
        with open(os.path.join(peft, "adapter_config.json")) as f:
            config = json.load(f)
        self.assertEqual(config["peft_type"], "PROMPT_TUNING")
        self.assertEqual(config["num_virtual_tokens"], 4)

    def test_4_groovy_sees_runs_and_binds_results(self):
        out = self.ok("%%groovy cmp\ncompare(tinyA, tinyB)")
        self.assertIsNotNone(result(out, "image/png"))
        self.assertEqual(result(self.ok("cmp.rows().size()")), "2")
        out = self.ok("%%groovy sw\nsweep {\n  model 'tiny'\n  data 'markers'\n  length 2, 3\n  steps 6\n  evalEvery 3\n}")
        self.assertEqual(result(self.ok("sw.runs().size()")), "2")
        self.assertGreaterEqual(sum(1 for t, _ in out if t == "update_display_data"), 2)

    def test_5_bad_input_names_the_problem(self):
        reply, _ = execute(self.kc, "%nearest tinyA --kk 3")
        self.assertEqual(reply["status"], "error")
        self.assertIn("--kk", reply["evalue"])
        self.assertIn("usage: %nearest NAME [K]", reply["evalue"])
        reply, _ = execute(self.kc, "%predict nosuchrun \"x\"")
        self.assertEqual(reply["status"], "error")
        self.assertIn("no run named 'nosuchrun'", reply["evalue"])
        self.assertIn("tinyA", reply["evalue"])
        # a path is not taken for a run name to train, a bound value that is no run is named, single quotes explained
        reply, _ = execute(self.kc, "%predict runs/nosuchrecord \"x\"")
        self.assertIn("as a run record folder it does not exist", reply["evalue"])
        execute(self.kc, "%%groovy notARun\n42")
        reply, _ = execute(self.kc, "%predict notARun \"x\"")
        self.assertIn("'notARun' is a value of type Integer, not a run", reply["evalue"])
        reply, _ = execute(self.kc, "%predict tinyA 'two words'")
        self.assertIn("double quotes", reply["evalue"])
        reply, _ = execute(self.kc, "%compare tinyA tinyA")
        self.assertIn("'tinyA' is given twice", reply["evalue"])
        reply, _ = execute(self.kc, "%nearst tinyA")
        self.assertEqual(reply["status"], "error")
        self.assertIn("%nearst is not a magic of this kernel", reply["evalue"])
        self.assertIn("%nearest", reply["evalue"])
        reply, _ = execute(self.kc, "%promptTune tinyB")
        self.assertIn("%%promptTune is a cell magic", reply["evalue"])
        reply, _ = execute(self.kc, "%%promptTune bad\nmodel 'tiny'\ndata 'markers'\nlenght 3")
        self.assertEqual(reply["status"], "error")
        self.assertIn("cell:4", reply["evalue"])  # the cell's own line: the magic line is line 1
        self.assertIn("length", reply["evalue"])

    def test_6_interrupt_keeps_the_best_prompt_and_the_kernel(self):
        msg_id = self.kc.execute(TUNE % ("longRun", 100000, 5))
        # wait until training runs (an evaluation has been drawn), then press stop
        collect(self.kc, msg_id, 120, until=lambda t, c: t == "update_display_data" and "dev" in c["data"]["text/plain"])
        self.km.interrupt_kernel()
        out = collect(self.kc, msg_id, 120)
        reply = reply_to(self.kc, msg_id)
        self.assertEqual(reply["status"], "ok", reply.get("evalue"))
        text = result(out)
        self.assertIn("interrupted", text)
        self.assertEqual(result(self.ok('longRun.stopReason() == dev.prompttune.core.train.StopReason.INTERRUPTED')), "true")
        self.assertEqual(result(self.ok("longRun.record().resolve(\"prompt.safetensors\").toFile().isFile()")), "true")
        self.assertEqual(result(self.ok("6 * 7")), "42")

    def test_7_interrupt_in_groovy_keeps_the_runs_best_prompt(self):
        # %%groovy cells compile with Groovy's ThreadInterrupt (a busy Groovy loop must stop): a training inside one
        # still stops at a step boundary and keeps its prompt and record, and the kernel stays usable.
        code = "%%groovy\npromptTune {\n  name 'groovyRun'\n  model 'tiny'\n  data 'markers'\n  length 4\n" \
               "  init 'labels'\n  steps 100000\n  batch 8\n  evalEvery 5\n}\n"
        msg_id = self.kc.execute(code)
        collect(self.kc, msg_id, 120, until=lambda t, c: t == "update_display_data" and "dev" in c["data"]["text/plain"])
        self.km.interrupt_kernel()
        collect(self.kc, msg_id, 120)
        reply = reply_to(self.kc, msg_id)
        self.assertIn(reply["status"], ("ok", "error"))
        if reply["status"] == "error":
            self.assertEqual(reply["ename"], "Interrupted", reply.get("evalue"))
        assert_record_kept(self, "groovyRun")
        self.assertIn("groovyRun", result(self.ok("%prompts")))
        self.assertEqual(result(self.ok("6 * 7")), "42")


def assert_record_kept(test, name):
    """The run's one record under WORK/runs holds its prompt, an INTERRUPTED summary, no temp file; no JVM crash."""
    records = []
    for spec in glob.glob(os.path.join(WORK, "runs", "*", "spec.json")):
        with open(spec) as f:
            if json.load(f).get("name") == name:
                records.append(os.path.dirname(spec))
    test.assertEqual(len(records), 1, "one record for run %s under %s/runs" % (name, WORK))
    record = records[0]
    test.assertTrue(os.path.isfile(os.path.join(record, "prompt.safetensors")), "prompt kept in " + record)
    with open(os.path.join(record, "summary.json")) as f:
        summary = json.load(f)
    test.assertEqual(summary["stop_reason"], "INTERRUPTED", summary)
    test.assertEqual([], [p for p in os.listdir(record) if p.endswith(".tmp")], "no temp file left")
    test.assertEqual([], glob.glob(os.path.join(WORK, "hs_err*")), "no JVM crash report")


class KernelEndTests(unittest.TestCase):
    """A kernel that is stopped while a cell trains keeps the run (no lost work) and ends without a JVM crash.

    A JVM's exit runs C's exit(), whose libtorch destructors crashed a JVM whose training thread was still inside
    libtorch (SIGSEGV in at::accelerator::getAccelerator): the kernel must stop the training at a step boundary,
    let it write its record, and only then end the process, through _exit.
    """

    def train_then(self, name, stop):
        """Starts a kernel, starts a long run named `name`, calls stop(km, kc) once it has evaluated; the exit code."""
        km, kc = start(KERNEL)
        pid = km.provisioner.process.pid
        try:
            msg_id = kc.execute(TUNE % (name, 100000, 5))
            collect(kc, msg_id, 120, until=lambda t, c: t == "update_display_data" and "dev" in c["data"]["text/plain"])
            stop(km, kc)
            deadline = time.time() + 30
            while time.time() < deadline and km.provisioner.process.poll() is None:
                time.sleep(0.1)
            code = km.provisioner.process.poll()
            self.assertIsNotNone(code, "kernel %d still running 30 s after it was told to stop" % pid)
            return code
        finally:
            kc.stop_channels()
            if km.provisioner.process.poll() is None:
                km.provisioner.process.kill()
            km.cleanup_resources()

    def assert_kept(self, name):
        assert_record_kept(self, name)

    def test_sigterm_while_training_keeps_the_run_and_ends_cleanly(self):
        code = self.train_then("termRun", lambda km, kc: km.signal_kernel(signal.SIGTERM))
        self.assertEqual(code, 143, "SIGTERM: 128 + 15")
        self.assert_kept("termRun")

    def test_shutdown_while_training_keeps_the_run(self):
        code = self.train_then("shutRun", lambda km, kc: km.request_shutdown())
        self.assertEqual(code, 0)
        self.assert_kept("shutRun")


class ExtensionLoadingTests(unittest.TestCase):
    def run_lsmagic(self, name):
        km, kc = start(name)
        try:
            return execute(kc, "%lsmagic")
        finally:
            kc.stop_channels()
            km.shutdown_kernel(now=True)

    def test_magics_load_as_an_extension_without_builtin_registration(self):
        reply, out = self.run_lsmagic(NO_BUILTIN)
        self.assertEqual(reply["status"], "ok")
        self.assertIn("%%promptTune", result(out))
        self.assertIn("%compare", result(out))

    def test_control_without_extension_discovery_has_no_magics(self):
        reply, _ = self.run_lsmagic(NO_EXTENSIONS)
        self.assertEqual(reply["status"], "error", "without the Extension the magics must be missing")


if __name__ == "__main__":
    unittest.main(verbosity=2)
