"""PyTorch peer for bench/run.ts: the standard workloads written as idiomatic PyTorch.

Prints one JSON line per result on stdout, e.g.
  {"peer": "torch-1t", "workload": "W1", "metric": "tokens/s", "value": 12345.6, "higherIsBetter": true, ...}
The workload table mirrors bench/workloads.ts (test/bench/workloads.test.ts compares them via --list)
and the timing protocol mirrors bench/measure.ts: warm-up steps, then single steps timed until the
window is spent (at least --min-steps), median step reported.

Run with Debian's interpreter, which has torch:
  OMP_NUM_THREADS=1 OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 bench/peers/torch_bench.py --threads 1
"""

import argparse
import json
import os
import re
import resource
import statistics
import sys
import time

CHAR_LM = dict(inputSize=28, batch=32, seqLen=35, outputSize=28, loss="cross-entropy", training=True,
               metric="tokens/s", higherIsBetter=True)
INFERENCE = dict(cell="lstm", inputSize=28, hiddenSize=256, numLayers=1, bidirectional=False, seqLen=100,
                 outputSize=0, loss="none", training=False)

WORKLOADS = [
    dict(id="W1", cell="lstm", hiddenSize=256, numLayers=1, bidirectional=False, **CHAR_LM),
    dict(id="W2-gru", cell="gru", hiddenSize=256, numLayers=1, bidirectional=False, **CHAR_LM),
    dict(id="W2-rnn", cell="rnn", hiddenSize=256, numLayers=1, bidirectional=False, **CHAR_LM),
    dict(id="W3-lstm2", cell="lstm", hiddenSize=256, numLayers=2, bidirectional=False, **CHAR_LM),
    dict(id="W3-bilstm", cell="lstm", hiddenSize=128, numLayers=1, bidirectional=True, **CHAR_LM),
    dict(id="W4-b1", batch=1, metric="ms/seq", higherIsBetter=False, **INFERENCE),
    dict(id="W4-b64", batch=64, metric="seq/s", higherIsBetter=True, **INFERENCE),
    dict(id="W5", cell="lstm", inputSize=1, hiddenSize=64, numLayers=1, bidirectional=False, batch=64, seqLen=50,
         outputSize=1, loss="mse", training=True, metric="steps/s", higherIsBetter=True),
    dict(id="W6", cell="lstm", inputSize=64, hiddenSize=128, numLayers=1, bidirectional=True, batch=64, seqLen=60,
         outputSize=2, loss="cross-entropy", training=True, metric="tokens/s", higherIsBetter=True,
         masked=dict(vocab=5000, minLen=10)),
    dict(id="W7", cell="gru", inputSize=256, hiddenSize=256, numLayers=2, bidirectional=False, batch=64, seqLen=9,
         outputSize=211, loss="cross-entropy", training=True, metric="tokens/s", higherIsBetter=True,
         seq2seq=dict(sourceVocab=194, minLen=3, dropout=0.2, lr=0.005)),
]

LEARNING_RATE = 0.1


def select(only):
    if not only:
        return list(WORKLOADS)
    names = [n.strip().upper() for n in only.split(",") if n.strip()]
    for n in names:
        if not any(matches(w, n) for w in WORKLOADS):
            sys.exit(f"torch_bench: --only names an unknown workload {n!r}")
    return [w for w in WORKLOADS if any(matches(w, n) for n in names)]


def matches(w, name):
    wid = w["id"].upper()
    return wid == name or wid.startswith(name + "-")


def masked_lengths(w):
    """Real length of each sequence of a masked workload: as maskedLengths in bench/workloads.ts."""
    lo = (w.get("masked") or w["seq2seq"])["minLen"]
    width = w["seqLen"] - lo + 1
    return [lo + (37 * b) % width for b in range(w["batch"])]


def tokens_per_step(w):
    return sum(masked_lengths(w)) if "masked" in w or "seq2seq" in w else w["batch"] * w["seqLen"]


def metric_value(w, seconds):
    return {
        "tokens/s": lambda: tokens_per_step(w) / seconds,
        "steps/s": lambda: 1.0 / seconds,
        "ms/seq": lambda: seconds * 1000.0 / w["batch"],
        "seq/s": lambda: w["batch"] / seconds,
    }[w["metric"]]()


def rss_mib():
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    return pages * resource.getpagesize() / 2**20


def measure(step, args):
    peak = rss_mib()
    for _ in range(args.warmup):
        step()
        peak = max(peak, rss_mib())
    times = []
    start = time.perf_counter()
    cpu_start = time.process_time()
    while len(times) < args.max_steps and (len(times) < args.min_steps or time.perf_counter() - start < args.window):
        t0 = time.perf_counter()
        step()
        times.append(time.perf_counter() - t0)
        peak = max(peak, rss_mib())
    cpu_share = (time.process_time() - cpu_start) / (time.perf_counter() - start)
    return statistics.median(times), len(times), peak, cpu_share


def build_masked_step(w):
    """W6: padded ids (T, B) -> nn.Embedding(padding_idx=0) -> pack_padded_sequence -> LSTM ->
    h_n of both directions -> Linear -> cross-entropy, the idiomatic PyTorch classifier."""
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
    from torch.nn.utils.rnn import pack_padded_sequence

    T, B, H = w["seqLen"], w["batch"], w["hiddenSize"]
    lengths = torch.tensor(masked_lengths(w))
    ids = torch.zeros(T, B, dtype=torch.long)
    for b, n in enumerate(masked_lengths(w)):
        ids[:n, b] = torch.randint(1, w["masked"]["vocab"], (n,))
    targets = torch.randint(0, w["outputSize"], (B,))
    embedding = nn.Embedding(w["masked"]["vocab"], w["inputSize"], padding_idx=0)
    rnn = nn.LSTM(w["inputSize"], H, num_layers=w["numLayers"], bidirectional=w["bidirectional"])
    directions = 2 if w["bidirectional"] else 1
    dense = nn.Linear(directions * H, w["outputSize"])
    params = list(embedding.parameters()) + list(rnn.parameters()) + list(dense.parameters())
    opt = torch.optim.SGD(params, lr=LEARNING_RATE)

    def train():
        opt.zero_grad()
        packed = pack_padded_sequence(embedding(ids), lengths, enforce_sorted=False)
        _, (h_n, _) = rnn(packed)
        last = h_n[-directions:].transpose(0, 1).reshape(B, directions * H)
        F.cross_entropy(dense(last), targets).backward()
        opt.step()
    return train


def build_seq2seq_step(w):
    """W7 as d2l writes it (section "Sequence-to-Sequence Learning"): Seq2SeqEncoder (Embedding ->
    GRU, reading every step, padding included, as d2l's does), Seq2SeqDecoder (the encoder's
    last-layer final output repeated as context beside each embedding -> GRU started from the
    encoder's state -> Linear), teacher forcing, cross-entropy ignoring the padding, Adam.
    Time-major throughout, so d2l's transposes are left out."""
    import torch
    import torch.nn as nn
    import torch.nn.functional as F

    spec = w["seq2seq"]
    T, B, E, H, L, V = w["seqLen"], w["batch"], w["inputSize"], w["hiddenSize"], w["numLayers"], w["outputSize"]

    class Seq2SeqEncoder(nn.Module):
        def __init__(self):
            super().__init__()
            self.embedding = nn.Embedding(spec["sourceVocab"], E)
            self.rnn = nn.GRU(E, H, L, dropout=spec["dropout"])

        def forward(self, X):
            return self.rnn(self.embedding(X))

    class Seq2SeqDecoder(nn.Module):
        def __init__(self):
            super().__init__()
            self.embedding = nn.Embedding(V, E)
            self.rnn = nn.GRU(E + H, H, L, dropout=spec["dropout"])
            self.dense = nn.Linear(H, V)

        def forward(self, X, state):
            enc_outputs, hidden = state
            embs = self.embedding(X)
            context = enc_outputs[-1].repeat(embs.shape[0], 1, 1)
            outputs, hidden = self.rnn(torch.cat((embs, context), -1), hidden)
            return self.dense(outputs), hidden

    lengths = masked_lengths(w)
    src = torch.zeros(T, B, dtype=torch.long)
    labels = torch.zeros(T, B, dtype=torch.long)
    for b, n in enumerate(lengths):
        src[:n, b] = torch.randint(1, spec["sourceVocab"], (n,))
        labels[:n, b] = torch.randint(1, V, (n,))
    # The decoder reads a start token, then the target shifted by one step.
    tgt_in = torch.cat((torch.randint(1, V, (1, B)), labels[:-1]), 0)
    encoder, decoder = Seq2SeqEncoder(), Seq2SeqDecoder()
    encoder.train()
    decoder.train()
    opt = torch.optim.Adam(list(encoder.parameters()) + list(decoder.parameters()), lr=spec["lr"])

    def train():
        opt.zero_grad()
        logits, _ = decoder(tgt_in, encoder(src))
        F.cross_entropy(logits.reshape(T * B, V), labels.reshape(-1), ignore_index=0).backward()
        opt.step()
    return train


def build_step(w):
    import torch
    import torch.nn as nn
    import torch.nn.functional as F

    if "masked" in w:
        return build_masked_step(w)
    if "seq2seq" in w:
        return build_seq2seq_step(w)

    T, B, I = w["seqLen"], w["batch"], w["inputSize"]
    rnn_class = {"lstm": nn.LSTM, "gru": nn.GRU, "rnn": nn.RNN}[w["cell"]]
    rnn = rnn_class(I, w["hiddenSize"], num_layers=w["numLayers"], bidirectional=w["bidirectional"])
    directions = 2 if w["bidirectional"] else 1

    if w["loss"] == "cross-entropy":
        x = F.one_hot(torch.randint(0, I, (T, B)), I).float()
        targets = torch.randint(0, w["outputSize"], (T * B,))
    else:
        x = torch.randn(T, B, I)
        targets = torch.randn(T * B, w["outputSize"]) if w["training"] else None

    if not w["training"]:
        rnn.eval()

        def infer():
            with torch.no_grad():
                rnn(x)
        return infer

    dense = nn.Linear(directions * w["hiddenSize"], w["outputSize"])
    params = list(rnn.parameters()) + list(dense.parameters())
    opt = torch.optim.SGD(params, lr=LEARNING_RATE)

    def train():
        opt.zero_grad()
        out, _ = rnn(x)
        pred = dense(out.reshape(T * B, -1))
        if w["loss"] == "cross-entropy":
            loss = F.cross_entropy(pred, targets)
        else:
            loss = F.mse_loss(pred, targets)
        loss.backward()
        opt.step()
    return train


def blas_info(torch):
    """BLAS_INFO from the build, plus the library Debian's alternatives resolve to: with the
    reference (netlib) libblas3 every GEMM is unoptimised, which the report must show."""
    match = re.search(r"BLAS_INFO=(\w+)", torch.__config__.show())
    info = match.group(1) if match else "unknown"
    alt = "/etc/alternatives/libblas.so.3-x86_64-linux-gnu"
    if info == "generic" and os.path.exists(alt):
        info += " -> " + os.path.realpath(alt)
    return info


def gemm_peak_gflops(torch):
    """Best of 5 (1024, 1024) @ (1024, 1024) products, GFLOP/s: the BLAS peak at this thread count."""
    a = torch.rand(1024, 1024) - 0.5
    b = torch.rand(1024, 1024) - 0.5
    torch.mm(a, b)
    best = float("inf")
    for _ in range(5):
        t0 = time.perf_counter()
        torch.mm(a, b)
        best = min(best, time.perf_counter() - t0)
    return 2 * 1024**3 / best / 1e9


def emit(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--threads", type=int, default=1, help="torch.set_num_threads (default 1)")
    p.add_argument("--window", type=float, default=5.0, help="seconds of timed steps per workload (default 5)")
    p.add_argument("--warmup", type=int, default=2, help="untimed steps first (default 2)")
    p.add_argument("--min-steps", type=int, default=3, help="timed steps even past the window (default 3)")
    p.add_argument("--max-steps", type=int, default=sys.maxsize, help="cap on timed steps (default none)")
    p.add_argument("--only", default="", help="comma-separated workload ids or groups, e.g. W1,W4")
    p.add_argument("--list", action="store_true", help="print the workload table as JSON and exit")
    args = p.parse_args()

    if args.list:
        emit({"workloads": WORKLOADS, "learningRate": LEARNING_RATE})
        return

    import torch
    torch.manual_seed(0)
    torch.set_num_threads(args.threads)
    peer = f"torch-{args.threads}t"
    emit({"peer": peer, "meta": {
        "torch": torch.__version__,
        "threads": str(torch.get_num_threads()),
        "OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS", "unset"),
        "OMP_WAIT_POLICY": os.environ.get("OMP_WAIT_POLICY", "unset"),
        "blas": blas_info(torch),
        "gemmPeakGflops": f"{gemm_peak_gflops(torch):.1f}",
    }})
    for w in select(args.only):
        try:
            step = build_step(w)
            seconds, steps, peak, cpu_share = measure(step, args)
        except Exception as e:  # a peer failing one workload must not hide the others
            emit({"peer": peer, "workload": w["id"], "error": f"{type(e).__name__}: {e}"})
            continue
        emit({"peer": peer, "workload": w["id"], "metric": w["metric"], "value": metric_value(w, seconds),
              "higherIsBetter": w["higherIsBetter"], "steps": steps, "medianMs": seconds * 1000.0,
              "peakRssMiB": peak, "cpuShare": cpu_share})


if __name__ == "__main__":
    main()
