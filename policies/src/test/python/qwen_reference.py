#!/usr/bin/env python3
"""PyTorch eager reference for the skillsd policy model (Qwen2/Qwen3-family decoder).

Two jobs, both run with Debian's python3-torch (no other packages):

  fixtures  writes small random Qwen2-style and Qwen3-style checkpoints (HF layout: config.json,
            *.safetensors, a sharded index for one of them, a BF16 copy of the Qwen3 one) and the logits
            this reference computes for fixed token ids, to policies/src/test/resources/parity/.
            The Java parity tests load the checkpoints and must match the logits to 1e-4 max abs.

  bench     measures, for the same model sizes the Java ModelBench uses, training tokens/s
            (forward + backward + AdamW), KV-cache generation tokens/s at batch 1/8/32 and scoring
            tokens/s, and prints one JSON line per measurement.

  serve     builds the same benchmark model and measures on request: one stdin line "KIND BATCH SECONDS"
            (train 8, score 8, generate 1|8|32) gives one JSON line, so ModelBench can interleave each
            measurement with its own instead of running all of one implementation, then all of the other.

Usage:
  /usr/bin/python3 policies/src/test/python/qwen_reference.py fixtures [out_dir]
  /usr/bin/python3 policies/src/test/python/qwen_reference.py bench --config tiny|small10m [--vocab N] [--seconds S] [--threads N]
  /usr/bin/python3 policies/src/test/python/qwen_reference.py serve --config tiny|small10m [--vocab N] [--threads N]
"""
import json
import math
import os
import struct
import sys
import time

import torch
import torch.nn.functional as F


# ---------------------------------------------------------------------------------------------- model

def rms_norm(x, w, eps):
    var = x.pow(2).mean(-1, keepdim=True)
    return x * torch.rsqrt(var + eps) * w


def rope_tables(positions, head_dim, theta):
    # positions: [B, T] -> cos, sin: [B, 1, T, D] (the HF "rotate_half" layout: freqs repeated twice)
    inv_freq = 1.0 / (theta ** (torch.arange(0, head_dim, 2, dtype=torch.float32) / head_dim))
    freqs = positions.to(torch.float32)[..., None] * inv_freq
    emb = torch.cat([freqs, freqs], dim=-1)
    return emb.cos()[:, None], emb.sin()[:, None]


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat([-x[..., half:], x[..., :half]], dim=-1)


class Qwen(torch.nn.Module):
    """A Qwen2/Qwen3 decoder whose parameters carry the HuggingFace names."""

    def __init__(self, cfg):
        super().__init__()
        self.cfg = cfg
        h, d = cfg["hidden_size"], cfg["head_dim"]
        nh, nkv, ff = cfg["num_attention_heads"], cfg["num_key_value_heads"], cfg["intermediate_size"]
        qwen3 = cfg["model_type"] == "qwen3"
        qkv_bias = (not qwen3) or cfg.get("attention_bias", False)
        o_bias = qwen3 and cfg.get("attention_bias", False)
        p = {}
        p["model.embed_tokens.weight"] = torch.zeros(cfg["vocab_size"], h)
        for i in range(cfg["num_hidden_layers"]):
            pre = f"model.layers.{i}."
            p[pre + "input_layernorm.weight"] = torch.ones(h)
            p[pre + "post_attention_layernorm.weight"] = torch.ones(h)
            p[pre + "self_attn.q_proj.weight"] = torch.zeros(nh * d, h)
            p[pre + "self_attn.k_proj.weight"] = torch.zeros(nkv * d, h)
            p[pre + "self_attn.v_proj.weight"] = torch.zeros(nkv * d, h)
            p[pre + "self_attn.o_proj.weight"] = torch.zeros(h, nh * d)
            if qkv_bias:
                p[pre + "self_attn.q_proj.bias"] = torch.zeros(nh * d)
                p[pre + "self_attn.k_proj.bias"] = torch.zeros(nkv * d)
                p[pre + "self_attn.v_proj.bias"] = torch.zeros(nkv * d)
            if o_bias:
                p[pre + "self_attn.o_proj.bias"] = torch.zeros(h)
            if qwen3:
                p[pre + "self_attn.q_norm.weight"] = torch.ones(d)
                p[pre + "self_attn.k_norm.weight"] = torch.ones(d)
            p[pre + "mlp.gate_proj.weight"] = torch.zeros(ff, h)
            p[pre + "mlp.up_proj.weight"] = torch.zeros(ff, h)
            p[pre + "mlp.down_proj.weight"] = torch.zeros(h, ff)
        p["model.norm.weight"] = torch.ones(h)
        if not cfg["tie_word_embeddings"]:
            p["lm_head.weight"] = torch.zeros(cfg["vocab_size"], h)
        self.names = list(p.keys())
        self.params = torch.nn.ParameterDict({k.replace(".", "__"): torch.nn.Parameter(v) for k, v in p.items()})

    def w(self, name):
        return self.params[name.replace(".", "__")]

    def has(self, name):
        return name.replace(".", "__") in self.params

    def state(self):
        return {n: self.w(n).detach() for n in self.names}

    def randomize(self, gen, std):
        with torch.no_grad():
            for n in self.names:
                t = self.w(n)
                if n.endswith("norm.weight"):
                    t.copy_(1.0 + 0.1 * torch.randn(t.shape, generator=gen))
                else:
                    t.copy_(std * torch.randn(t.shape, generator=gen))

    def forward(self, ids, positions=None, key_mask=None, cache=None):
        """ids [B,T]; positions [B,T]; key_mask [B,S] (1 = real token) over cached + new keys;
        cache: list of (k, v) per layer or None. Returns logits [B,T,V] and the new cache."""
        cfg = self.cfg
        b, t = ids.shape
        past = 0 if cache is None else cache[0][0].shape[2]
        if positions is None:
            positions = torch.arange(past, past + t).expand(b, t)
        nh, nkv, d = cfg["num_attention_heads"], cfg["num_key_value_heads"], cfg["head_dim"]
        eps = cfg["rms_norm_eps"]
        cos, sin = rope_tables(positions, d, cfg["rope_theta"])
        x = F.embedding(ids, self.w("model.embed_tokens.weight"))
        s = past + t
        causal = torch.ones(t, s, dtype=torch.bool).tril(diagonal=past)
        allowed = causal[None, None]
        if key_mask is not None:
            allowed = allowed & key_mask.bool()[:, None, None, :]
        bias = torch.zeros(allowed.shape).masked_fill(~allowed, -1e9)
        new_cache = []
        for i in range(cfg["num_hidden_layers"]):
            pre = f"model.layers.{i}."
            hdn = rms_norm(x, self.w(pre + "input_layernorm.weight"), eps)

            def proj(name):
                bias_name = pre + name + ".bias"
                return F.linear(hdn, self.w(pre + name + ".weight"),
                                self.w(bias_name) if self.has(bias_name) else None)

            q = proj("self_attn.q_proj").view(b, t, nh, d)
            k = proj("self_attn.k_proj").view(b, t, nkv, d)
            v = proj("self_attn.v_proj").view(b, t, nkv, d).transpose(1, 2)
            if self.has(pre + "self_attn.q_norm.weight"):
                q = rms_norm(q, self.w(pre + "self_attn.q_norm.weight"), eps)
                k = rms_norm(k, self.w(pre + "self_attn.k_norm.weight"), eps)
            q = q.transpose(1, 2)
            k = k.transpose(1, 2)
            q = q * cos + rotate_half(q) * sin
            k = k * cos + rotate_half(k) * sin
            if cache is not None:
                k = torch.cat([cache[i][0], k], dim=2)
                v = torch.cat([cache[i][1], v], dim=2)
            new_cache.append((k, v))
            rep = nh // nkv
            kk = k.repeat_interleave(rep, dim=1)
            vv = v.repeat_interleave(rep, dim=1)
            att = (q @ kk.transpose(-1, -2)) / math.sqrt(d) + bias
            o = (att.softmax(-1) @ vv).transpose(1, 2).reshape(b, t, nh * d)
            o_bias = pre + "self_attn.o_proj.bias"
            x = x + F.linear(o, self.w(pre + "self_attn.o_proj.weight"),
                             self.w(o_bias) if self.has(o_bias) else None)
            hdn = rms_norm(x, self.w(pre + "post_attention_layernorm.weight"), eps)
            g = F.linear(hdn, self.w(pre + "mlp.gate_proj.weight"))
            u = F.linear(hdn, self.w(pre + "mlp.up_proj.weight"))
            x = x + F.linear(F.silu(g) * u, self.w(pre + "mlp.down_proj.weight"))
        x = rms_norm(x, self.w("model.norm.weight"), eps)
        head = "model.embed_tokens.weight" if cfg["tie_word_embeddings"] else "lm_head.weight"
        return F.linear(x, self.w(head)), new_cache


# ---------------------------------------------------------------------------------------------- safetensors

DTYPES = {torch.float32: "F32", torch.bfloat16: "BF16", torch.float16: "F16", torch.int64: "I64",
          torch.int32: "I32"}


def write_safetensors(path, tensors, metadata=None):
    header, offset, blobs = {}, 0, []
    for name in sorted(tensors):
        t = tensors[name].contiguous()
        if t.dtype in (torch.bfloat16, torch.float16):
            raw = t.view(torch.int16).numpy().astype("<i2").tobytes()
        else:
            raw = t.numpy().astype(t.numpy().dtype.newbyteorder("<")).tobytes()
        header[name] = {"dtype": DTYPES[t.dtype], "shape": list(t.shape),
                        "data_offsets": [offset, offset + len(raw)]}
        offset += len(raw)
        blobs.append(raw)
    if metadata:
        header["__metadata__"] = metadata
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for raw in blobs:
            f.write(raw)


def config(model_type, **kw):
    c = {"architectures": ["Qwen2ForCausalLM" if model_type == "qwen2" else "Qwen3ForCausalLM"],
         "model_type": model_type, "vocab_size": 64, "hidden_size": 32, "intermediate_size": 48,
         "num_hidden_layers": 2, "num_attention_heads": 4, "num_key_value_heads": 2, "head_dim": 8,
         "rope_theta": 10000.0, "rms_norm_eps": 1e-6, "tie_word_embeddings": True,
         "max_position_embeddings": 128, "hidden_act": "silu", "torch_dtype": "float32"}
    c.update(kw)
    return c


def write_fixture(out, name, cfg, seed, dtype=torch.float32, shards=1):
    gen = torch.Generator().manual_seed(seed)
    model = Qwen(cfg)
    model.randomize(gen, 0.3)
    if dtype != torch.float32:
        with torch.no_grad():  # the reference logits use exactly the weights the file holds
            for n in model.names:
                model.w(n).copy_(model.w(n).to(dtype).to(torch.float32))
    d = os.path.join(out, name)
    os.makedirs(d, exist_ok=True)
    cfg = dict(cfg, torch_dtype={torch.float32: "float32", torch.bfloat16: "bfloat16"}[dtype])
    with open(os.path.join(d, "config.json"), "w") as f:
        json.dump(cfg, f, indent=2)
    state = {n: t.to(dtype) for n, t in model.state().items()}
    if shards == 1:
        write_safetensors(os.path.join(d, "model.safetensors"), state, {"format": "pt"})
    else:
        names = sorted(state)
        weight_map = {}
        for s in range(shards):
            part = names[s::shards]
            file = f"model-{s + 1:05d}-of-{shards:05d}.safetensors"
            write_safetensors(os.path.join(d, file), {n: state[n] for n in part}, {"format": "pt"})
            weight_map.update({n: file for n in part})
        with open(os.path.join(d, "model.safetensors.index.json"), "w") as f:
            json.dump({"metadata": {}, "weight_map": weight_map}, f, indent=2)
    ids = torch.randint(0, cfg["vocab_size"], (2, 7), generator=gen)
    with torch.no_grad():
        logits, _ = model(ids)
    write_safetensors(os.path.join(d, "expected.safetensors"),
                      {"input_ids": ids.to(torch.int64), "logits": logits.contiguous()})


def write_tokenizer(path, vocab_size):
    """A small word-level tokenizer.json in the HuggingFace tokenizers format, with ChatML special tokens."""
    specials = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
    words = ["<unk>", "system", "user", "assistant", "push", "the", "box", "Up", "Down", "Left", "Right",
             "<", ">", "/", "answer", "||", "#", "_", "O", "X", "P", "S", "wall", "target", "player", "to"]
    vocab = {w: i for i, w in enumerate(specials + words)}
    assert len(vocab) <= vocab_size
    added = [{"id": vocab[t], "content": t, "single_word": False, "lstrip": False, "rstrip": False,
              "normalized": False, "special": True} for t in specials]
    tok = {"version": "1.0", "truncation": None, "padding": None, "added_tokens": added, "normalizer": None,
           "pre_tokenizer": {"type": "Whitespace"}, "post_processor": None, "decoder": None,
           "model": {"type": "WordLevel", "vocab": vocab, "unk_token": "<unk>"}}
    with open(path, "w") as f:
        json.dump(tok, f, indent=1)


def fixtures(out):
    os.makedirs(os.path.join(out, "qwen2"), exist_ok=True)
    write_tokenizer(os.path.join(out, "qwen2", "tokenizer.json"), 64)
    write_fixture(out, "qwen2", config("qwen2", rope_theta=10000.0, tie_word_embeddings=True), 11, shards=2)
    write_fixture(out, "qwen3", config("qwen3", rope_theta=1000000.0, tie_word_embeddings=False,
                                       num_attention_heads=4, num_key_value_heads=1, head_dim=16), 12)
    write_fixture(out, "qwen3-bf16", config("qwen3", rope_theta=1000000.0, tie_word_embeddings=False), 13,
                  dtype=torch.bfloat16)


# ---------------------------------------------------------------------------------------------- bench

BENCH_CONFIGS = {
    # Must match ModelConfig.tiny() and ModelConfig.small10m() in the Java code.
    "tiny": dict(hidden_size=64, intermediate_size=176, num_hidden_layers=2, num_attention_heads=4,
                 num_key_value_heads=2, head_dim=16),
    "small10m": dict(hidden_size=384, intermediate_size=1024, num_hidden_layers=6, num_attention_heads=6,
                     num_key_value_heads=2, head_dim=64),
}


def measurements(name, vocab):
    """The benchmark model for ``name`` and its measurements: {(kind, batch): step}, where one call of step
    does one unit of work and returns the tokens it processed."""
    cfg = config("qwen3", vocab_size=vocab, tie_word_embeddings=True, rope_theta=10000.0,
                 max_position_embeddings=4096, **BENCH_CONFIGS[name])
    torch.manual_seed(0)
    model = Qwen(cfg)
    model.randomize(torch.Generator().manual_seed(0), 0.02)
    nparams = sum(p.numel() for p in model.parameters())
    steps = {}

    # training: forward + backward + AdamW on [8, 128]
    b, t = 8, 128
    ids = torch.randint(0, vocab, (b, t))
    opt = torch.optim.AdamW(model.parameters(), lr=1e-4)

    def train_step():
        logits, _ = model(ids[:, :-1])
        loss = F.cross_entropy(logits.reshape(-1, vocab), ids[:, 1:].reshape(-1))
        opt.zero_grad(set_to_none=False)
        loss.backward()
        opt.step()
        return b * (t - 1)

    steps[("train", b)] = train_step

    # scoring: log-probs of given tokens, no grad, [8, 128]
    def score():
        with torch.no_grad():
            logits, _ = model(ids[:, :-1])
            logits.log_softmax(-1).gather(-1, ids[:, 1:, None])
        return b * (t - 1)

    steps[("score", b)] = score

    # generation: prompt of 32 tokens, 64 new tokens sampled with a KV cache
    prompt_len, new = 32, 64

    def generator(gb):
        prompt = torch.randint(0, vocab, (gb, prompt_len))

        def generate():
            with torch.no_grad():
                logits, cache = model(prompt)
                nxt = logits[:, -1]
                for _ in range(new):
                    probs = nxt.softmax(-1)
                    tok = torch.multinomial(probs, 1)
                    probs.log().gather(-1, tok)
                    logits, cache = model(tok, cache=cache)
                    nxt = logits[:, -1]
            return gb * new
        return generate

    for gb in (1, 8, 32):
        steps[("generate", gb)] = generator(gb)
    return nparams, steps


def measure(name, nparams, kind, batch, step, seconds):
    step()  # warm-up
    tokens, start = 0, time.perf_counter()
    while True:
        tokens += step()
        el = time.perf_counter() - start
        if el >= seconds:
            break
    r = {"impl": "pytorch-eager", "config": name, "params": nparams, "kind": kind, "batch": batch,
         "tokens_per_s": round(tokens / el, 1), "threads": torch.get_num_threads()}
    print(json.dumps(r), flush=True)
    return r


def bench(name, vocab, seconds):
    nparams, steps = measurements(name, vocab)
    return [measure(name, nparams, kind, batch, step, seconds) for (kind, batch), step in steps.items()]


def serve(name, vocab):
    """Measures on request, so a caller can interleave these measurements with its own: prints one
    {"ready": ...} line, then answers each stdin line "KIND BATCH SECONDS" with one JSON result line."""
    nparams, steps = measurements(name, vocab)
    print(json.dumps({"ready": True, "config": name, "params": nparams}), flush=True)
    for line in sys.stdin:
        parts = line.split()
        if not parts or parts[0] == "quit":
            break
        kind, batch, seconds = parts[0], int(parts[1]), float(parts[2])
        measure(name, nparams, kind, batch, steps[(kind, batch)], seconds)


def main(argv):
    if len(argv) >= 2 and argv[1] == "fixtures":
        out = argv[2] if len(argv) > 2 else os.path.join(os.path.dirname(__file__), "..", "resources", "parity")
        fixtures(out)
    elif len(argv) >= 2 and argv[1] in ("bench", "serve"):
        name = argv[argv.index("--config") + 1] if "--config" in argv else "tiny"
        vocab = int(argv[argv.index("--vocab") + 1]) if "--vocab" in argv else 512
        seconds = float(argv[argv.index("--seconds") + 1]) if "--seconds" in argv else 5.0
        if "--threads" in argv:
            torch.set_num_threads(int(argv[argv.index("--threads") + 1]))
        if argv[1] == "bench":
            bench(name, vocab, seconds)
        else:
            serve(name, vocab)
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
