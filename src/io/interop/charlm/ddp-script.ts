/**
 * `train_ddp.py`, written beside a char-LM run's PyTorch export: the run's training in PyTorch,
 * continuing from the exported weights on as many processes and machines as `torchrun` starts
 * (DistributedDataParallel; NCCL on GPUs, gloo on CPUs). It reads everything from the export
 * folder: `Model` and `load_safetensors` from model.py (which also defines the PeepholeLSTM or
 * LayerNormLSTM module a run of those cells needs; their state is (h, c) as nn.LSTM's, so the
 * loop below is the same for every cell), the weights from model.safetensors, the
 * vocabulary and the run's config (text, maxTokens, batch size, steps, sampler, optimiser, lr,
 * clip, seed) from charlm.json. The pipeline is the char LM's (src/tasks/charlm):
 *
 * - the text's lines with every run of non-letters made one space, trimmed and lower-cased
 *   (data/text/preprocess.ts), as characters, the first maxTokens of them;
 * - d2l's sequential sampler (random offset in [0, T], B rows of consecutive text, state carried
 *   and detached between batches) or random sampler (offset in [0, T-1], shuffled subsequences,
 *   fresh state per batch);
 * - mean cross-entropy over every step of every row; SGD or Adam; global gradient-norm clipping.
 *
 * Scaling out: each process reads its own contiguous shard of the corpus (1/N of it), so one
 * step sees N·B rows and DDP averages the N gradients; every process runs the same number of
 * batches per epoch (the smallest shard's count). The sampler draws from Python's `random`, and
 * the optimiser's moments start fresh, so the numbers are not the single-process run's, bit for
 * bit; the math is. After every epoch rank 0 writes `--out`/model.safetensors (atomically, in the
 * safetensors format, by the safetensors package or by the writer in the file) and a copy of
 * charlm.json, which `recurrent import` reads back into a run folder.
 */

/** The script's file name in a PyTorch export. */
export const DDP_SCRIPT_FILE = "train_ddp.py";

const SCRIPT = `"""Continue training a recurrent char LM in PyTorch, on one process or many (DistributedDataParallel).

Written by \`recurrent export RUN_DIR --format pytorch\` beside model.py, model.safetensors and
charlm.json, which it reads.

    python3 train_ddp.py --epochs 5                                   # one process
    torchrun --nproc_per_node=4 train_ddp.py --epochs 5               # 4 processes on this machine
    torchrun --nnodes=2 --node_rank=0 --master_addr=HOST --master_port=29500 \\
             --nproc_per_node=8 train_ddp.py --epochs 5               # on each of 2 machines

torchrun only sets RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR and MASTER_PORT and starts one
process per rank; where it cannot start (Debian's torch 1.13 under Python 3.11 fails in
torch.distributed.elastic with "'NoneType' object has no attribute 'get'"), start them yourself:

    for r in 0 1; do MASTER_ADDR=127.0.0.1 MASTER_PORT=29500 WORLD_SIZE=2 RANK=$r LOCAL_RANK=$r \
        python3 train_ddp.py --epochs 5 & done; wait

NCCL on GPUs (one per process), gloo on CPUs. Each process trains on its own 1/N of the text;
DDP averages the gradients, so a step sees N times the batch. After every epoch rank 0 writes
OUT/model.safetensors and OUT/charlm.json; bring them back with
\`recurrent import OUT --out RUN_DIR\`.
"""
import argparse
import hashlib
import json
import math
import os
import random
import re
import shutil
import struct
import sys
import time

import torch
import torch.distributed as dist
import torch.nn.functional as F
from torch.nn.parallel import DistributedDataParallel

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from model import Model, load_safetensors  # noqa: E402


def parse_args():
    p = argparse.ArgumentParser(description="Continue a recurrent char LM run under DistributedDataParallel.")
    p.add_argument("--epochs", type=int, default=10, help="epochs to train (default 10)")
    p.add_argument("--out", default=os.path.join(HERE, "ddp"), help="folder for model.safetensors and charlm.json (default ./ddp)")
    p.add_argument("--text", default=None, help="the training text (default: the path charlm.json records)")
    p.add_argument("--lr", type=float, default=None, help="learning rate (default: the run's)")
    p.add_argument("--backend", choices=["auto", "gloo", "nccl"], default="auto", help="process group backend (default: nccl with CUDA, else gloo)")
    return p.parse_args()


def preprocess(text):
    """The char LM's lines: runs of non-letters become one space, trimmed, lower-cased."""
    lines = re.split(r"\\r\\n|\\r|\\n", text)
    if lines and lines[-1] == "":
        lines.pop()
    return [re.sub(r"[^A-Za-z]+", " ", line).strip().lower() for line in lines]


def load_corpus(path, tokens, max_tokens, sha256):
    with open(path, encoding="utf-8-sig") as f:
        text = f.read()
    if hashlib.sha256(text.encode("utf-8")).hexdigest() != sha256:
        print(f"note: {path} is not the text the run was trained on (its SHA-256 differs)", file=sys.stderr)
    index = {t: i for i, t in enumerate(tokens)}
    corpus = [index.get(ch, 0) for line in preprocess(text) for ch in line]
    return corpus[:max_tokens] if max_tokens > 0 else corpus


def sequential_batches(corpus, B, T, rng):
    """d2l's seq_data_iter_sequential: row r of batch k+1 continues row r of batch k."""
    offset = rng.randint(0, T)
    cols = max(0, (len(corpus) - offset - 1) // B)
    for b in range(cols // T):
        rows = [offset + r * cols + b * T for r in range(B)]
        yield [corpus[j : j + T] for j in rows], [corpus[j + 1 : j + 1 + T] for j in rows]


def random_batches(corpus, B, T, rng):
    """d2l's seq_data_iter_random: shuffled subsequences, unrelated from batch to batch."""
    data = corpus[rng.randint(0, T - 1) :]
    starts = list(range(0, max(0, (len(data) - 1) // T) * T, T))
    rng.shuffle(starts)
    for b in range(len(starts) // B):
        rows = starts[b * B : (b + 1) * B]
        yield [data[j : j + T] for j in rows], [data[j + 1 : j + 1 + T] for j in rows]


def save_safetensors(tensors, path):
    """Writes tensors as float32 safetensors, atomically (a temporary file, then a rename)."""
    tensors = {k: v.detach().to("cpu", torch.float32).contiguous() for k, v in tensors.items()}
    tmp = f"{path}.tmp-{os.getpid()}"
    try:
        from safetensors.torch import save_file
    except ImportError:
        save_file = None
    if save_file is not None:
        save_file(tensors, tmp, metadata={"format": "pt"})
    else:
        header, blobs, offset = {"__metadata__": {"format": "pt"}}, [], 0
        for name in sorted(tensors):
            t = tensors[name]
            raw = t.numpy().astype("<f4").tobytes()
            header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
            blobs.append(raw)
            offset += len(raw)
        head = json.dumps(header, separators=(",", ":")).encode("utf-8")
        head += b" " * (-len(head) % 8)
        with open(tmp, "wb") as f:
            f.write(struct.pack("<Q", len(head)))
            f.write(head)
            for raw in blobs:
                f.write(raw)
    os.replace(tmp, path)


def detach(state):
    return tuple(s.detach() for s in state) if isinstance(state, tuple) else state.detach()


def main():
    args = parse_args()
    with open(os.path.join(HERE, "charlm.json"), encoding="utf-8") as f:
        side = json.load(f)
    cfg, tokens = side["config"], side["vocab"]["idxToToken"]
    distributed = "WORLD_SIZE" in os.environ
    backend = args.backend if args.backend != "auto" else ("nccl" if torch.cuda.is_available() else "gloo")
    if distributed:
        dist.init_process_group(backend)
    rank = dist.get_rank() if distributed else 0
    world = dist.get_world_size() if distributed else 1
    if backend == "nccl":
        local = int(os.environ.get("LOCAL_RANK", "0"))
        torch.cuda.set_device(local)
        device = torch.device("cuda", local)
    else:
        device = torch.device("cpu")

    corpus = load_corpus(args.text or cfg["textPath"], tokens, cfg["maxTokens"], cfg["textSha256"])
    shard = corpus[rank * len(corpus) // world : (rank + 1) * len(corpus) // world]
    B, T, V = cfg["batchSize"], cfg["numSteps"], len(tokens)
    torch.manual_seed(cfg["seed"] + rank)
    rng = random.Random(cfg["seed"] * 1000003 + rank)
    sampler = sequential_batches if cfg["sampler"] == "sequential" else random_batches

    model = Model()
    model.load_state_dict(load_safetensors(os.path.join(HERE, "model.safetensors")), strict=True)
    model.to(device)
    net = DistributedDataParallel(model, device_ids=[device.index] if device.type == "cuda" else None) if distributed else model
    lr = args.lr if args.lr is not None else cfg["lr"]
    opt = torch.optim.Adam(model.parameters(), lr=lr) if cfg["optimizer"] == "adam" else torch.optim.SGD(model.parameters(), lr=lr)
    one_hot = getattr(model, "embedding", None) is None

    if rank == 0:
        os.makedirs(args.out, exist_ok=True)
    for epoch in range(1, args.epochs + 1):
        start = time.time()
        batches = list(sampler(shard, B, T, rng))
        count = torch.tensor([len(batches)])
        if distributed:
            dist.all_reduce(count, op=dist.ReduceOp.MIN)
        net.train()
        state, total, n = None, 0.0, 0
        for xs, ys in batches[: int(count.item())]:
            X = torch.tensor(xs, dtype=torch.long, device=device).t()  # (T, B)
            Y = torch.tensor(ys, dtype=torch.long, device=device).t().reshape(-1)
            x = F.one_hot(X, V).float() if one_hot else X
            if cfg["sampler"] != "sequential":
                state = None
            elif state is not None:
                state = detach(state)
            logits, state = net(x, state)
            loss = F.cross_entropy(logits.reshape(-1, V), Y)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), cfg["clip"])
            opt.step()
            total += loss.item() * Y.numel()
            n += Y.numel()
        sums = torch.tensor([total, float(n)], dtype=torch.float64)
        if distributed:
            dist.all_reduce(sums)
        mean = sums[0].item() / max(sums[1].item(), 1.0)
        if rank == 0:
            save_safetensors(model.state_dict(), os.path.join(args.out, "model.safetensors"))
            shutil.copyfile(os.path.join(HERE, "charlm.json"), os.path.join(args.out, "charlm.json"))
            seconds = time.time() - start
            print(json.dumps({"epoch": epoch, "loss": mean, "perplexity": math.exp(mean), "processes": world, "tokensPerSecond": sums[1].item() / max(seconds, 1e-9)}), flush=True)
    if distributed:
        dist.destroy_process_group()


if __name__ == "__main__":
    main()
`;

/** The text of train_ddp.py (it reads the run's settings from charlm.json at run time). */
export function ddpScript(): string {
  return SCRIPT;
}
