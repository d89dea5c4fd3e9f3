#!/usr/bin/env python3
"""Trains a T5 on the promptability mixture that models/export-mixture.sh wrote, on a GPU (or, slowly, a CPU), and
writes a model folder prompttune loads like any Hugging Face checkpoint: config.json, model.safetensors (BF16),
the tokenizer, pretrain-log.jsonl and a model card. tools/gpu/README.md has the whole route.

    python3 tools/gpu/pretrain_t5.py --data build/gpu/mixture.bin.gz --tokenizer data/tokenizer \
        --out $OUT/t5-gpu --steps 20000 --batch 128 --max-minutes 8

A run stopped by --max-minutes (or Ctrl-C) writes the model as it stands plus OUT/resume.pt; --resume true
continues from there with the same data order.
"""
import argparse
import gzip
import json
import os
import platform
import shutil
import signal
import struct
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from adafactor_t5 import AdafactorT5  # noqa: E402
from t5_model import T5, T5Config  # noqa: E402

MAGIC, VERSION = 0x50544D58, 1


def read_export(path):
    """MixtureExport's file -> (vocab size, train examples, held-out examples); an example is (input ids, target ids)."""
    try:
        with gzip.open(path, "rb") as f:
            data = f.read()
    except (OSError, EOFError) as e:
        sys.exit(f"pretrain_t5: {path} is not a mixture export (gzip: {e})")
    if len(data) < 20:
        sys.exit(f"pretrain_t5: {path} is not a mixture export (no header)")
    magic, version, vocab, train, held = struct.unpack_from(">iiiii", data, 0)
    if magic != MAGIC:
        sys.exit(f"pretrain_t5: {path} is not a mixture export (no PTMX magic number)")
    if version != VERSION:
        sys.exit(f"pretrain_t5: {path} is export version {version}; this script reads version {VERSION}")
    pos, rows = 20, []
    for _ in range(train + held):
        if pos + 4 > len(data):
            sys.exit(f"pretrain_t5: {path} ends before its last example: the file is truncated")
        n_in, n_out = struct.unpack_from(">HH", data, pos)
        pos += 4
        ids = struct.unpack_from(f">{n_in + n_out}H", data, pos)
        pos += 2 * (n_in + n_out)
        rows.append((ids[:n_in], ids[n_in:]))
    if pos != len(data):
        sys.exit(f"pretrain_t5: {path} has bytes after its {train + held} examples")
    return vocab, rows[:train], rows[train:]


def pad(rows, device):
    """Rows of ids -> ids [B, L] (pad 0) and mask [B, L]."""
    width = max(len(r) for r in rows)
    ids = torch.zeros((len(rows), width), dtype=torch.long)
    mask = torch.zeros((len(rows), width), dtype=torch.long)
    for i, r in enumerate(rows):
        ids[i, :len(r)] = torch.tensor(r, dtype=torch.long)
        mask[i, :len(r)] = 1
    return ids.to(device), mask.to(device)


def batch_loss(model, examples, device, autocast):
    inputs, in_mask = pad([e[0] for e in examples], device)
    targets, out_mask = pad([e[1] for e in examples], device)
    with autocast():
        return model.loss(inputs, in_mask, targets, out_mask)


@torch.no_grad()
def held_out_loss(model, held, device, autocast, shift=0, batch=256):
    """Mean per-token loss on the held-out examples; shift > 0 pairs each target with another example's input (the
    encoder-reading probe: EncoderReadingProbe.java's 'other input' loss)."""
    model.eval()
    total, tokens = 0.0, 0
    n = len(held)
    for i in range(0, n, batch):
        rows = [(held[(j + shift) % n][0], held[j][1]) for j in range(i, min(n, i + batch))]
        count = sum(len(r[1]) for r in rows)
        total += batch_loss(model, rows, device, autocast).item() * count
        tokens += count
    model.train()
    return total / tokens


def lr_factor(step, warmup, total):
    """LearningRateSchedule.warmupLinearDecay at the 0-based update index."""
    if step < warmup:
        return step / warmup
    return max(0.0, (total - step) / (total - warmup))


def write_safetensors(tensors, path):
    """Safetensors (BF16, F32 or I64 tensors), written to a temp file and renamed."""
    kinds = {torch.bfloat16: "BF16", torch.float32: "F32", torch.int64: "I64"}
    header, blobs, offset = {}, [], 0
    for name in sorted(tensors):
        t = tensors[name].detach().to("cpu").contiguous()
        # numpy has no bfloat16: its bytes go out as 16-bit integers, unchanged
        raw = (t.view(torch.int16) if t.dtype == torch.bfloat16 else t).numpy().tobytes()
        header[name] = {"dtype": kinds[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    header["__metadata__"] = {"format": "pt"}
    head = json.dumps(header, separators=(",", ":")).encode()
    head += b" " * (-len(head) % 8)
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(struct.pack("<Q", len(head)))
        f.write(head)
        for b in blobs:
            f.write(b)
    os.replace(tmp, path)


def save_safetensors(state, path):
    """The model's weights in BF16 (the Java loader converts BF16 to float32 itself)."""
    write_safetensors({k: v.to(torch.bfloat16) for k, v in state.items()}, path)


def write_model(model, config, args, log, out):
    os.makedirs(out, exist_ok=True)
    save_safetensors(model.state_dict(), os.path.join(out, "model.safetensors"))
    with open(os.path.join(out, "config.json"), "w") as f:
        json.dump(config.to_json(), f, indent=2)
        f.write("\n")
    for name in ("tokenizer.json", "tokenizer_config.json"):
        src = os.path.join(args.tokenizer, name)
        if os.path.exists(src):
            shutil.copyfile(src, os.path.join(out, name))
    with open(os.path.join(out, "pretrain-log.jsonl"), "w") as f:
        for entry in log:
            f.write(json.dumps(entry) + "\n")
    with open(os.path.join(out, "README.md"), "w") as f:
        f.write(model_card(model, config, args, log))


def model_card(model, config, args, log):
    """The model card: what was trained, on what, how, on which hardware, and what it measured."""
    params = sum(p.numel() for p in model.parameters())
    sidecar = args.data + ".json"
    options = {}
    if os.path.exists(sidecar):
        with open(sidecar) as f:
            meta = json.load(f)
        # What defines the examples; the Java build's model options in the same file do not apply here.
        options = {k: v for k, v in meta.get("options", {}).items() if k in ("seed", "mix_recipe", "mix_input", "dev_examples")}
        options["train_examples"] = meta.get("train_examples")
    evals = [e for e in log if "val_loss" in e]
    last = log[-1] if log and "probe" in log[-1] else {}
    probe = last.get("probe", {})
    lines = [
        f"# {os.path.basename(os.path.normpath(args.out))}",
        "",
        "Built by `tools/gpu/pretrain_t5.py` (prompttune's GPU build, `tools/gpu/README.md`) from T5's random "
        "initialisation, every weight trained in float32 (BF16 autocast on a GPU), saved in BF16.",
        "",
        f"- Shape: d_model {config.d_model}, {config.num_heads} heads of d_kv {config.d_kv}, d_ff {config.d_ff} "
        f"(gated-GELU), {config.num_layers} + {config.num_decoder_layers} layers, vocabulary {config.vocab_size}, "
        f"head tied to the input embedding and scaled by d_model^-0.5; {params:,} parameters.",
        f"- Data: `{os.path.basename(args.data)}`, the promptability mixture as `models/export-mixture.sh` writes it "
        f"(`MixtureExport`: the Java build's passages, hold-out check, tasks and draws; "
        f"{json.dumps(options, sort_keys=True) if options else 'its JSON file was not beside it'}).",
        f"- Recipe: {args.steps:,} steps of batch {args.batch}, T5's Adafactor (`adafactor_t5.py`, the Java "
        f"build's `adafactor-t5`) at lr {args.lr:g}, linear warm-up over {args.warmup} steps then linear decay to 0; "
        f"seed {args.seed}; no dropout (config.json says 0.0, the rate prompt tuning then uses).",
        f"- Ran {last.get('step', '?')} steps ({'finished' if last.get('finished') else 'stopped early; resume.pt continues it'})"
        f" in {last.get('seconds', '?')} s on {last.get('device', '?')}, PyTorch {last.get('torch', '?')}.",
        f"- Held-out loss (per target token, the export's held-out examples): "
        + (", ".join(f"{e['val_loss']} at step {e['step']}" for e in evals) if evals else "not evaluated") + ".",
        f"- Encoder-reading probe at the end: own input {probe.get('own_input_loss', '?')}, another example's "
        f"{probe.get('other_input_loss', '?')}, gap {probe.get('gap', '?')} nats.",
        "",
        "Every logged loss is in `pretrain-log.jsonl`. Check it as every shipped checkpoint is checked "
        "(`models/probe.sh`, `models/linear-probe.sh`, the quickstart recipe on spam, brown-genre and fortune-topic).",
        "",
    ]
    return "\n".join(lines)


def device_words(device):
    if device.type == "cuda":
        return torch.cuda.get_device_name(device)
    return platform.processor() or platform.machine()


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--data", required=True, help="the mixture export (models/export-mixture.sh)")
    p.add_argument("--tokenizer", required=True, help="folder with tokenizer.json (data/tokenizer)")
    p.add_argument("--out", required=True, help="model folder to write")
    p.add_argument("--steps", type=int, default=20000)
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--lr", type=float, default=1e-2)
    p.add_argument("--warmup", type=int, default=1000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--d-model", type=int, default=256)
    p.add_argument("--d-kv", type=int, default=64)
    p.add_argument("--heads", type=int, default=4)
    p.add_argument("--d-ff", type=int, default=1024)
    p.add_argument("--layers", type=int, default=4, help="encoder and decoder layers each")
    p.add_argument("--eval-every", type=int, default=1000)
    p.add_argument("--snapshot-at", default="", help="comma-separated steps at which to also write OUT/step-N")
    p.add_argument("--max-minutes", type=float, default=0, help="stop and save after this long (0: no limit)")
    p.add_argument("--resume", default="false", choices=["true", "false"])
    p.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    args = p.parse_args(argv)
    for name in ("steps", "batch", "layers", "d_model", "d_kv", "heads", "d_ff", "eval_every"):
        if getattr(args, name) < 1:
            p.error(f"--{name.replace('_', '-')} is {getattr(args, name)}; allowed: a whole number >= 1")
    try:
        snapshots = {int(x) for x in args.snapshot_at.split(",") if x.strip()}
    except ValueError:
        p.error(f"--snapshot-at is '{args.snapshot_at}'; allowed: step numbers separated by commas")
    if any(not 0 < s < args.steps for s in snapshots):
        p.error(f"--snapshot-at is '{args.snapshot_at}'; allowed: steps from 1 to --steps - 1 ({args.steps - 1})")
    if not 0 <= args.warmup < args.steps:
        p.error(f"--warmup is {args.warmup}; allowed: 0 to --steps - 1 ({args.steps - 1})")
    if not os.path.isfile(args.data):
        p.error(f"--data {args.data} is not a file; write one with models/export-mixture.sh")
    if not os.path.isfile(os.path.join(args.tokenizer, "tokenizer.json")):
        p.error(f"--tokenizer {args.tokenizer} has no tokenizer.json (the repository's is data/tokenizer)")
    if os.path.exists(args.out) and not os.path.isdir(args.out):
        p.error(f"--out {args.out} is a file; give the model folder to write")

    start = time.time()
    device = torch.device(args.device)
    vocab, train, held = read_export(args.data)
    config = T5Config(vocab_size=vocab, d_model=args.d_model, d_kv=args.d_kv, d_ff=args.d_ff, num_heads=args.heads,
                      num_layers=args.layers, num_decoder_layers=args.layers)
    torch.manual_seed(args.seed)
    model = T5(config)
    model.init_weights(torch.Generator().manual_seed(args.seed))
    model.to(device)
    optimizer = AdafactorT5(model.parameters(), lr=args.lr)
    order_gen = torch.Generator().manual_seed(args.seed + 1)
    order = torch.randperm(len(train), generator=order_gen)
    step, log = 0, []
    resume_file = os.path.join(args.out, "resume.pt")
    if args.resume == "true":
        if not os.path.exists(resume_file):
            sys.exit(f"pretrain_t5: --resume true but {resume_file} does not exist")
        saved = torch.load(resume_file, map_location=device)
        model.load_state_dict(saved["model"])
        optimizer.load_state_dict(saved["optimizer"])
        step, log, order = saved["step"], saved["log"], saved["order"]
    if device.type == "cuda":
        torch.backends.cuda.matmul.allow_tf32 = True

        def autocast():
            return torch.autocast("cuda", dtype=torch.bfloat16)
    else:
        import contextlib

        def autocast():
            return contextlib.nullcontext()

    stop = {"signal": None}
    signal.signal(signal.SIGTERM, lambda s, f: stop.update(signal=s))
    signal.signal(signal.SIGINT, lambda s, f: stop.update(signal=s))
    params = sum(p.numel() for p in model.parameters())
    print(f"pretrain_t5: {len(train):,} training / {len(held):,} held-out examples, {params:,} parameters, "
          f"{args.steps:,} steps x batch {args.batch} ({args.steps * args.batch / len(train):.2f} passes) on "
          f"{device_words(device)}", flush=True)
    t_last = time.time()
    evaluated = None  # (step, held-out loss) of the latest evaluation, so the end does not score the same model again
    while step < args.steps:
        if stop["signal"] is not None or (args.max_minutes and time.time() - start > 60 * args.max_minutes):
            break
        idx = [order[(step * args.batch + i) % len(order)].item() for i in range(args.batch)]
        for group in optimizer.param_groups:
            group["lr"] = args.lr * lr_factor(step, args.warmup, args.steps)
        loss = batch_loss(model, [train[i] for i in idx], device, autocast)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        step += 1
        if not torch.isfinite(loss):
            sys.exit(f"pretrain_t5: loss {loss.item()} at step {step}: the run diverged; nothing written")
        if step % 100 == 0 or step == 1:
            now = time.time()
            log.append({"step": step, "loss": round(loss.item(), 4), "lr": optimizer.param_groups[0]["lr"],
                        "s": round(now - start, 1)})
            print(f"step {step}/{args.steps} loss {loss.item():.4f} ({(now - t_last) / (100 if step > 1 else 1):.3f}"
                  f" s/step)", flush=True)
            t_last = now
        if step % args.eval_every == 0 or step == args.steps:
            v = held_out_loss(model, held, device, autocast)
            evaluated = (step, v)
            log.append({"step": step, "val_loss": round(v, 4), "s": round(time.time() - start, 1)})
            print(f"step {step} held-out loss {v:.4f}", flush=True)
        if step in snapshots:
            write_model(model, config, args, log, os.path.join(args.out, f"step-{step}"))
    own = evaluated[1] if evaluated and evaluated[0] == step else held_out_loss(model, held, device, autocast)
    other = held_out_loss(model, held, device, autocast, shift=1)
    finished = step >= args.steps
    log.append({"probe": {"own_input_loss": round(own, 4), "other_input_loss": round(other, 4),
                          "gap": round(other - own, 4)}, "step": step, "finished": finished,
                "device": device_words(device), "torch": torch.__version__, "args": vars(args),
                "seconds": round(time.time() - start, 1)})
    write_model(model, config, args, log, args.out)
    if finished:
        if os.path.exists(resume_file):
            os.remove(resume_file)
    else:
        torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(), "step": step, "log": log[:-1],
                    "order": order}, resume_file + ".tmp")
        os.replace(resume_file + ".tmp", resume_file)
    print(f"pretrain_t5: {'done' if finished else 'stopped'} at step {step} in {time.time() - start:.0f} s; "
          f"probe gap {other - own:.3f} (own {own:.3f}, other {other:.3f}); wrote {args.out}"
          + ("" if finished else f" and {resume_file} (continue with --resume true)"), flush=True)
    return 0 if finished else 3


if __name__ == "__main__":
    sys.exit(main())
