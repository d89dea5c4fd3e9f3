#!/usr/bin/env python3
"""Writes the fixtures that prove prompttune's Java core computes what tools/gpu/t5_model.py computes on the
weights pretrain_t5.py saves (GpuCheckpointTest): a tiny model with every weight random (layer norms too), saved
as pretrain_t5.py saves it (BF16 safetensors, config.json), and the outputs of t5_model.py on those saved weights,
in the keys prompttune's T5Verifier reads (the keys of ../shared/fixtures/t5); and adafactor.safetensors, five
steps of adafactor_t5.py under pretrain_t5.py's learning-rate schedule on a factored, an unfactored and a 1-D
tensor, which the Java build's adafactor-t5 must replay (GpuCheckpointTest).

    python3 tools/gpu/make_fixture.py tools/src/test/resources/gpu-t5-tiny
"""
import json
import os
import struct
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from adafactor_t5 import AdafactorT5  # noqa: E402
from pretrain_t5 import lr_factor, save_safetensors, write_safetensors  # noqa: E402
from t5_model import T5, T5Config, relative_buckets  # noqa: E402


def load_bf16(path):
    """The saved BF16 tensors back as float32 (what the Java loader does)."""
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        body = f.read()
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        a, b = info["data_offsets"]
        raw = torch.frombuffer(bytearray(body[a:b]), dtype=torch.int16).view(torch.bfloat16)
        out[name] = raw.float().reshape(info["shape"])
    return out


def main(out):
    os.makedirs(out, exist_ok=True)
    config = T5Config(vocab_size=64, d_model=16, d_kv=4, d_ff=24, num_heads=2, num_layers=2, num_decoder_layers=2,
                      relative_attention_num_buckets=8, relative_attention_max_distance=20)
    model = T5(config)
    g = torch.Generator().manual_seed(20260612)
    model.init_weights(g)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith("layer_norm.weight"):
                p.copy_(1 + 0.3 * torch.randn(p.shape, generator=g))  # not all ones: the norms' weights are read too
    save_safetensors(model.state_dict(), os.path.join(out, "model.safetensors"))
    with open(os.path.join(out, "config.json"), "w") as f:
        json.dump(config.to_json(), f, indent=2)
        f.write("\n")
    model.load_state_dict(load_bf16(os.path.join(out, "model.safetensors")))
    model.eval()
    input_ids = torch.tensor([[5, 17, 42, 9, 33, 1, 0, 0], [23, 8, 61, 12, 50, 27, 40, 1]])
    attention_mask = (input_ids != 0).long()
    attention_mask[1] = 1
    labels = torch.tensor([[7, 30, 1], [44, 2, 1]])
    decoder_input_ids = torch.cat([torch.zeros_like(labels[:, :1]), labels[:, :-1]], dim=1)
    with torch.no_grad():
        encoded = model.encode(input_ids, attention_mask)
        hidden = model.decode(decoder_input_ids, encoded, attention_mask)
        logits = model.head(hidden)
        loss = torch.nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), labels.reshape(-1))
    positions = torch.arange(-30, 31)
    write_safetensors({
        "input_ids": input_ids, "attention_mask": attention_mask, "labels": labels,
        "decoder_input_ids": decoder_input_ids, "encoder_last_hidden_state": encoded.float(),
        "decoder_last_hidden_state": hidden.float(), "logits": logits, "loss": loss.reshape(()),
        "rel_positions": positions,
        "rel_buckets_bidirectional": relative_buckets(positions, True, 8, 20),
        "rel_buckets_causal": relative_buckets(positions, False, 8, 20),
    }, os.path.join(out, "expected.safetensors"))
    with open(os.path.join(out, "expected.json"), "w") as f:
        json.dump({"made_with": {"torch": torch.__version__, "script": "tools/gpu/make_fixture.py"},
                   "checkpoint": "gpu-t5-tiny"}, f, indent=1)
        f.write("\n")
    write_safetensors(adafactor_trajectory(), os.path.join(out, "adafactor.safetensors"))
    print(f"wrote {out}")


def adafactor_trajectory(steps=5, lr=1e-2, warmup=2, total=10):
    """p0_K, g{t}_K (the gradients fed at update t) and p{steps}_K for three tensors K = 0, 1, 2."""
    g = torch.Generator().manual_seed(7)
    shapes = [(136, 128), (6, 40), (9,)]  # factored (both dims >= 128), full second moment, 1-D
    params = [torch.nn.Parameter(torch.randn(s, generator=g) * 0.05) for s in shapes]
    out = {f"p0_{k}": p.detach().clone() for k, p in enumerate(params)}
    opt = AdafactorT5(params, lr=lr)
    for t in range(steps):
        for group in opt.param_groups:
            group["lr"] = lr * lr_factor(t, warmup, total)
        for k, p in enumerate(params):
            p.grad = torch.randn(p.shape, generator=g) * (0.1 if k else 1e-3)
            out[f"g{t}_{k}"] = p.grad.clone()
        opt.step()
    out.update({f"p{steps}_{k}": p.detach().clone() for k, p in enumerate(params)})
    return out


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "tools/src/test/resources/gpu-t5-tiny")
