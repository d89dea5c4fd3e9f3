"""A small T5 in plain PyTorch whose weights carry Hugging Face's names, so prompttune's Java core loads what it
trains like any Hugging Face checkpoint (tools/gpu/README.md).

The layout is the one of models/t5-mini-wide: T5 1.1's blocks (RMS layer norm before each sub-layer, gated-GELU
feed-forward, relative position buckets in the first block's self-attention, no 1/sqrt(d_kv) in attention) with
T5 1.0's head tied to the input embedding, the decoder output scaled by d_model^-0.5 before it. Written here
rather than taken from transformers so that the build runs, and is tested, where only PyTorch is installed
(Debian's python3-torch on the CPU machines). Shapes: B batch, S encoder length, T decoder length, D d_model,
H heads, K d_kv.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class T5Config:
    """The config.json keys the Java core reads (T5Config.java), with models/t5-mini-wide's values by default."""

    def __init__(self, vocab_size=8000, d_model=256, d_kv=64, d_ff=1024, num_heads=4, num_layers=4,
                 num_decoder_layers=4, relative_attention_num_buckets=32, relative_attention_max_distance=128,
                 layer_norm_epsilon=1e-6):
        self.vocab_size = vocab_size
        self.d_model = d_model
        self.d_kv = d_kv
        self.d_ff = d_ff
        self.num_heads = num_heads
        self.num_layers = num_layers
        self.num_decoder_layers = num_decoder_layers
        self.relative_attention_num_buckets = relative_attention_num_buckets
        self.relative_attention_max_distance = relative_attention_max_distance
        self.layer_norm_epsilon = layer_norm_epsilon

    def to_json(self):
        return {
            "architectures": ["T5ForConditionalGeneration"], "model_type": "t5",
            "vocab_size": self.vocab_size, "d_model": self.d_model, "d_kv": self.d_kv, "d_ff": self.d_ff,
            "num_heads": self.num_heads, "num_layers": self.num_layers,
            "num_decoder_layers": self.num_decoder_layers,
            "relative_attention_num_buckets": self.relative_attention_num_buckets,
            "relative_attention_max_distance": self.relative_attention_max_distance,
            "dropout_rate": 0.0, "layer_norm_epsilon": self.layer_norm_epsilon,
            "feed_forward_proj": "gated-gelu", "dense_act_fn": "gelu_new", "is_gated_act": True,
            "tie_word_embeddings": True, "scale_decoder_outputs": True,
            "pad_token_id": 0, "eos_token_id": 1, "decoder_start_token_id": 0, "is_encoder_decoder": True,
        }


class LayerNorm(nn.Module):
    """T5's layer norm: scale by the root mean square, no mean subtracted, no bias; computed in float32."""

    def __init__(self, d, eps):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(d))
        self.eps = eps

    def forward(self, x):
        variance = x.float().pow(2).mean(-1, keepdim=True)
        return self.weight * (x.float() * torch.rsqrt(variance + self.eps)).to(x.dtype)


def relative_buckets(relative, bidirectional, buckets, max_distance):
    """T5's relative position buckets: exact for small distances, logarithmic up to max_distance. [Q, K] -> [Q, K]"""
    out = torch.zeros_like(relative)
    if bidirectional:
        buckets //= 2
        out += (relative > 0).long() * buckets
        relative = relative.abs()
    else:
        relative = -torch.clamp(relative, max=0)
    exact = buckets // 2
    small = relative < exact
    large = exact + (torch.log(relative.float().clamp(min=1) / exact) / math.log(max_distance / exact)
                     * (buckets - exact)).long()
    large = torch.clamp(large, max=buckets - 1)
    return out + torch.where(small, relative, large)


class Attention(nn.Module):
    def __init__(self, c, relative_bias, bidirectional):
        super().__init__()
        inner = c.num_heads * c.d_kv
        self.q = nn.Linear(c.d_model, inner, bias=False)
        self.k = nn.Linear(c.d_model, inner, bias=False)
        self.v = nn.Linear(c.d_model, inner, bias=False)
        self.o = nn.Linear(inner, c.d_model, bias=False)
        self.heads, self.d_kv = c.num_heads, c.d_kv
        self.bidirectional = bidirectional
        self.buckets, self.max_distance = c.relative_attention_num_buckets, c.relative_attention_max_distance
        if relative_bias:
            self.relative_attention_bias = nn.Embedding(self.buckets, c.num_heads)

    def position_bias(self, q_len, k_len, device):
        """[1, H, Q, K]"""
        context = torch.arange(q_len, device=device)[:, None]
        memory = torch.arange(k_len, device=device)[None, :]
        b = relative_buckets(memory - context, self.bidirectional, self.buckets, self.max_distance)
        return self.relative_attention_bias(b).permute(2, 0, 1).unsqueeze(0)

    def forward(self, x, kv, bias):
        """x [B, Q, D], kv [B, K, D], bias [B or 1, H, Q, K] (position bias plus mask) -> [B, Q, D]"""
        b, q_len, _ = x.shape

        def heads(t):
            return t.view(b, -1, self.heads, self.d_kv).transpose(1, 2)

        q, k, v = heads(self.q(x)), heads(self.k(kv)), heads(self.v(kv))
        scores = torch.matmul(q, k.transpose(-1, -2)).float() + bias  # no 1/sqrt(d_kv): T5 folds it into q's init
        weights = F.softmax(scores, dim=-1).to(v.dtype)
        out = torch.matmul(weights, v).transpose(1, 2).reshape(b, q_len, self.heads * self.d_kv)
        return self.o(out)


class DenseReluDense(nn.Module):
    """Gated-GELU feed-forward (T5 1.1): wo(gelu(wi_0 x) * wi_1 x)."""

    def __init__(self, c):
        super().__init__()
        self.wi_0 = nn.Linear(c.d_model, c.d_ff, bias=False)
        self.wi_1 = nn.Linear(c.d_model, c.d_ff, bias=False)
        self.wo = nn.Linear(c.d_ff, c.d_model, bias=False)

    def forward(self, x):
        return self.wo(F.gelu(self.wi_0(x), approximate="tanh") * self.wi_1(x))


class SubLayer(nn.Module):
    """One residual sub-layer with its pre-norm; named as Hugging Face names them (layer.N.SelfAttention, ...)."""

    def __init__(self, c, name, module):
        super().__init__()
        setattr(self, name, module)
        self.name = name
        self.layer_norm = LayerNorm(c.d_model, c.layer_norm_epsilon)


class Block(nn.Module):
    def __init__(self, c, first, decoder):
        super().__init__()
        layers = [SubLayer(c, "SelfAttention", Attention(c, first, bidirectional=not decoder))]
        if decoder:
            layers.append(SubLayer(c, "EncDecAttention", Attention(c, False, bidirectional=True)))
        layers.append(SubLayer(c, "DenseReluDense", DenseReluDense(c)))
        self.layer = nn.ModuleList(layers)
        self.decoder = decoder

    def forward(self, h, self_bias, memory=None, cross_bias=None):
        sa = self.layer[0]
        n = sa.layer_norm(h)
        h = h + sa.SelfAttention(n, n, self_bias)
        if self.decoder:
            ca = self.layer[1]
            h = h + ca.EncDecAttention(ca.layer_norm(h), memory, cross_bias)
        ff = self.layer[-1]
        return h + ff.DenseReluDense(ff.layer_norm(h))


class Stack(nn.Module):
    def __init__(self, c, layers, decoder):
        super().__init__()
        self.block = nn.ModuleList([Block(c, i == 0, decoder) for i in range(layers)])
        self.final_layer_norm = LayerNorm(c.d_model, c.layer_norm_epsilon)


class T5(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.config = c
        self.shared = nn.Embedding(c.vocab_size, c.d_model)
        self.encoder = Stack(c, c.num_layers, decoder=False)
        self.decoder = Stack(c, c.num_decoder_layers, decoder=True)

    def init_weights(self, generator):
        """T5's initialisation (Hugging Face's _init_weights with factor 1; prompttune's T5Model.random)."""
        c = self.config
        for name, p in self.named_parameters():
            if name.endswith("layer_norm.weight"):
                nn.init.ones_(p)
                continue
            if name == "shared.weight":
                std = 1.0
            elif name.endswith(".q.weight"):
                std = (c.d_model * c.d_kv) ** -0.5
            elif name.endswith(".o.weight"):
                std = (c.num_heads * c.d_kv) ** -0.5
            elif name.endswith(".wo.weight"):
                std = c.d_ff ** -0.5
            else:
                std = c.d_model ** -0.5
            with torch.no_grad():
                p.copy_(torch.randn(p.shape, generator=generator) * std)

    @staticmethod
    def mask_bias(mask):
        """[B, K] of 1/0 -> [B, 1, 1, K] of 0/-inf-like"""
        return (1.0 - mask[:, None, None, :].float()) * torch.finfo(torch.float32).min

    def encode(self, input_ids, input_mask):
        """[B, S] -> [B, S, D]"""
        h = self.shared(input_ids)
        first = self.encoder.block[0].layer[0].SelfAttention
        bias = first.position_bias(input_ids.shape[1], input_ids.shape[1], input_ids.device) \
            + self.mask_bias(input_mask)
        for block in self.encoder.block:
            h = block(h, bias)
        return self.encoder.final_layer_norm(h)

    def decode(self, decoder_input_ids, memory, input_mask):
        """[B, T], [B, S, D], [B, S] -> the decoder's last hidden state [B, T, D] (after its final layer norm)"""
        t = decoder_input_ids.shape[1]
        h = self.shared(decoder_input_ids)
        first = self.decoder.block[0].layer[0].SelfAttention
        causal = torch.triu(torch.full((t, t), torch.finfo(torch.float32).min, device=h.device), diagonal=1)
        self_bias = first.position_bias(t, t, h.device) + causal
        cross_bias = self.mask_bias(input_mask)
        for block in self.decoder.block:
            h = block(h, self_bias, memory, cross_bias)
        return self.decoder.final_layer_norm(h)

    def head(self, hidden):
        """[B, T, D] -> [B, T, vocab] (float32): the tied head, with T5 1.0's d_model^-0.5 scale first"""
        return torch.matmul(hidden * self.config.d_model ** -0.5, self.shared.weight.t()).float()

    def logits(self, input_ids, input_mask, decoder_input_ids):
        """[B, S], [B, S], [B, T] -> [B, T, vocab] (float32)"""
        return self.head(self.decode(decoder_input_ids, self.encode(input_ids, input_mask), input_mask))

    def loss(self, input_ids, input_mask, targets, target_mask):
        """Mean cross-entropy per target token (padding left out); the decoder reads the targets shifted right."""
        start = torch.zeros_like(targets[:, :1])  # decoder_start_token_id = pad = 0
        decoder_input = torch.cat([start, targets[:, :-1]], dim=1)
        logits = self.logits(input_ids, input_mask, decoder_input)
        nll = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1), reduction="none")
        mask = target_mask.reshape(-1).float()
        return (nll * mask).sum() / mask.sum()
