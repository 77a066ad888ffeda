#!/usr/bin/env python3
"""The network of `swift run -c release kit bench`, in plain numpy (float64).

784 → 100 (ReLU) → 10 (softmax), He-normal weights, zero biases, SGD with
momentum on shuffled mini-batches, the mean cross-entropy loss — the same
computation per batch as the kit's reference training loop (stage 9's
`trainEpoch`): forward, loss, running accuracy, backward, update.

    python3 Tests/Benchmarks/mlp_numpy.py                 # 60,000 random 28×28 examples, 3 epochs
    python3 Tests/Benchmarks/mlp_numpy.py --json
    OPENBLAS_NUM_THREADS=1 python3 Tests/Benchmarks/mlp_numpy.py

Compare with `swift run -c release kit bench` on the same machine. Like the
kit, it reports the fastest epoch (the machine may be busy with other work).
With --data-dir it trains on Fashion-MNIST's or MNIST's real images instead
and prints the test accuracy (a cross-check of the kit's accuracy figures).
"""
import argparse
import gzip
import json
import os
import struct
import sys
import time

import numpy as np


def read_idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def find(directory, dataset, name):
    folders = {"mnist": ["mnist", "mnist-t10k"], "fashion-mnist": ["fashion-mnist"]}[dataset]
    for folder in [os.path.join(directory, f) for f in folders] + [directory]:
        for candidate in (name + ".gz", name):
            path = os.path.join(folder, candidate)
            if os.path.isfile(path):
                return path
    return None


def load(directory, dataset, split):
    prefix = "train" if split == "train" else "t10k"
    images = find(directory, dataset, prefix + "-images-idx3-ubyte")
    labels = find(directory, dataset, prefix + "-labels-idx1-ubyte")
    if images is None or labels is None:
        return None
    x = read_idx(images).reshape(-1, 784).astype(np.float64) / 255.0
    return x, read_idx(labels).astype(np.int64)


def parse_range(text, count):
    lower, upper = text.split("..<") if "..<" in text else text.split(":")
    return slice(int(lower or 0), min(int(upper) if upper else count, count))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=60000)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--hidden", type=int, default=100)
    parser.add_argument("--learning-rate", type=float, default=0.05)
    parser.add_argument("--momentum", type=float, default=0.9)
    parser.add_argument("--decay", type=float, default=0.85, help="learning rate factor per epoch")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--data-dir", help="train on real images (a folder with mnist/ or fashion-mnist/)")
    parser.add_argument("--dataset", default="fashion-mnist", choices=["mnist", "fashion-mnist"])
    parser.add_argument("--train-split", default="train", choices=["train", "test"])
    parser.add_argument("--train-range", help="e.g. 0:8000")
    parser.add_argument("--test-range", help="e.g. 8000:10000")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    rng = np.random.default_rng(args.seed)
    test = None
    if args.data_dir:
        train = load(args.data_dir, args.dataset, args.train_split)
        test = load(args.data_dir, args.dataset, "test")
        if train is None or test is None:
            sys.exit(f"no {args.dataset} {args.train_split}/test files in {args.data_dir}")
        if args.train_range:
            s = parse_range(args.train_range, len(train[1]))
            train = (train[0][s], train[1][s])
        if args.test_range:
            s = parse_range(args.test_range, len(test[1]))
            test = (test[0][s], test[1][s])
        x, labels = train
    else:
        # Random pixels in [0, 1) and random labels: the speed does not depend on the values.
        x = rng.random((args.examples, 784))
        labels = rng.integers(0, 10, args.examples)
    n, inputs = x.shape
    targets = np.eye(10)[labels]

    w1 = rng.normal(0, np.sqrt(2 / inputs), (inputs, args.hidden))
    b1 = np.zeros(args.hidden)
    w2 = rng.normal(0, np.sqrt(2 / args.hidden), (args.hidden, 10))
    b2 = np.zeros(10)
    params = [w1, b1, w2, b2]
    velocities = [np.zeros_like(p) for p in params]
    mu = args.momentum

    times = []
    for epoch in range(1, args.epochs + 1):
        start = time.perf_counter()
        lr = args.learning_rate * args.decay ** (epoch - 1)
        order = rng.permutation(n)
        total_loss, correct = 0.0, 0
        for first in range(0, n, args.batch_size):
            batch = order[first:first + args.batch_size]
            xb, yb, tb = x[batch], labels[batch], targets[batch]
            m = len(batch)
            h = xb @ w1 + b1
            a = np.maximum(h, 0)
            z = a @ w2 + b2
            e = np.exp(z - z.max(axis=1, keepdims=True))
            p = e / e.sum(axis=1, keepdims=True)
            total_loss += -np.log(np.maximum(p[np.arange(m), yb], 1e-12)).sum()
            correct += int((z.argmax(axis=1) == yb).sum())
            dz = (p - tb) / m
            dw2 = a.T @ dz
            db2 = dz.sum(axis=0)
            dh = (dz @ w2.T) * (h > 0)
            dw1 = xb.T @ dh
            db1 = dh.sum(axis=0)
            for param, velocity, grad in zip(params, velocities, [dw1, db1, dw2, db2]):
                velocity *= mu
                velocity -= lr * grad
                param += velocity
        seconds = time.perf_counter() - start
        times.append(seconds)
        line = f"epoch {epoch}: loss {total_loss / n:.4f}, train accuracy {correct / n:.4f}, {seconds:.3f} s, {n / seconds:,.0f} samples/s"
        if test is not None:
            hidden = np.maximum(test[0] @ w1 + b1, 0)
            accuracy = float(((hidden @ w2 + b2).argmax(axis=1) == test[1]).mean())
            line += f", test accuracy {accuracy:.4f}"
        if not args.json:
            print(line, flush=True)
    best = min(times)
    result = {
        "implementation": "numpy float64",
        "numpy": np.__version__,
        "examples": n,
        "batch_size": args.batch_size,
        "seconds_per_epoch": round(best, 4),
        "samples_per_second": round(n / best),
        "OPENBLAS_CORETYPE": os.environ.get("OPENBLAS_CORETYPE"),
        "OPENBLAS_L2_SIZE": os.environ.get("OPENBLAS_L2_SIZE"),
    }
    if args.json:
        print(json.dumps(result))
    else:
        print(f"numpy float64, 784-{args.hidden}-10, batch {args.batch_size}: best epoch {best:.3f} s, {n / best:,.0f} samples/s")


if __name__ == "__main__":
    main()
