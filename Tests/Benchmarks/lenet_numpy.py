#!/usr/bin/env python3
"""LeNet-5 in numpy with im2col: the baseline the kit's `kit bench` compares with.

The same network as Solutions/10-ConvolutionalNetwork/LeNet5.swift:
conv 5x5 1->6, ReLU, max pool 2, conv 5x5 6->16, ReLU, max pool 2, flatten,
dense 256->120, ReLU, dense 120->84, ReLU, dense 84->10, softmax cross-entropy,
SGD with momentum, mini-batches of 64. Each convolution is one matrix product
per batch on an im2col patch matrix; col2im adds the patches back with one
slice per kernel tap.

    python3 Tests/Benchmarks/lenet_numpy.py                    # float32, random images
    python3 Tests/Benchmarks/lenet_numpy.py --dtype float64
    python3 Tests/Benchmarks/lenet_numpy.py --data ../shared/datasets/fashion-mnist --epochs 2

Prints the seconds per epoch of 60,000 images (with --data: Fashion-MNIST's
training images, and the test accuracy after each epoch).
"""
import argparse
import gzip
import os
import time

import numpy as np


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def im2col(x, f):
    """[N, C, H, W] -> [N*Ho*Wo, C*f*f] (stride 1, no padding)."""
    n, c, h, w = x.shape
    ho, wo = h - f + 1, w - f + 1
    windows = np.lib.stride_tricks.sliding_window_view(x, (f, f), axis=(2, 3))  # [N, C, Ho, Wo, f, f]
    return windows.transpose(0, 2, 3, 1, 4, 5).reshape(n * ho * wo, c * f * f), (n, c, h, w, ho, wo)


def col2im(dcols, geometry, f):
    """The adjoint of im2col: [N*Ho*Wo, C*f*f] -> [N, C, H, W]."""
    n, c, h, w, ho, wo = geometry
    d = dcols.reshape(n, ho, wo, c, f, f).transpose(0, 3, 4, 5, 1, 2)  # [N, C, f, f, Ho, Wo]
    dx = np.zeros((n, c, h, w), dtype=dcols.dtype)
    for u in range(f):
        for v in range(f):
            dx[:, :, u:u + ho, v:v + wo] += d[:, :, u, v]
    return dx


class Conv:
    def __init__(self, c, k, f, rng, dtype):
        self.f = f
        self.w = (rng.standard_normal((k, c * f * f)) * np.sqrt(2 / (c * f * f))).astype(dtype)
        self.b = np.zeros(k, dtype=dtype)

    def forward(self, x):
        self.cols, self.geometry = im2col(x, self.f)
        y = self.cols @ self.w.T + self.b  # [N*Ho*Wo, K]
        n, _, _, _, ho, wo = self.geometry
        return y.reshape(n, ho, wo, -1).transpose(0, 3, 1, 2)

    def backward(self, dy):
        dflat = dy.transpose(0, 2, 3, 1).reshape(-1, self.w.shape[0])  # [N*Ho*Wo, K]
        self.dw = dflat.T @ self.cols
        self.db = dflat.sum(axis=0)
        return col2im(dflat @ self.w, self.geometry, self.f)

    def params(self):
        return [(self.w, "dw"), (self.b, "db")]


class MaxPool2:
    def forward(self, x):
        n, c, h, w = x.shape
        self.shape = x.shape
        windows = x.reshape(n, c, h // 2, 2, w // 2, 2).transpose(0, 1, 2, 4, 3, 5).reshape(n, c, h // 2, w // 2, 4)
        self.index = windows.argmax(axis=-1)[..., None]
        return np.take_along_axis(windows, self.index, axis=-1)[..., 0]

    def backward(self, dy):
        n, c, h, w = self.shape
        d = np.zeros((n, c, h // 2, w // 2, 4), dtype=dy.dtype)
        np.put_along_axis(d, self.index, dy[..., None], axis=-1)
        return d.reshape(n, c, h // 2, w // 2, 2, 2).transpose(0, 1, 2, 4, 3, 5).reshape(n, c, h, w)


class ReLU:
    def forward(self, x):
        self.mask = x > 0
        return x * self.mask

    def backward(self, dy):
        return dy * self.mask


class Flatten:
    def forward(self, x):
        self.shape = x.shape
        return x.reshape(x.shape[0], -1)

    def backward(self, dy):
        return dy.reshape(self.shape)


class Dense:
    def __init__(self, i, o, rng, dtype):
        self.w = (rng.standard_normal((i, o)) * np.sqrt(2 / i)).astype(dtype)
        self.b = np.zeros(o, dtype=dtype)

    def forward(self, x):
        self.x = x
        return x @ self.w + self.b

    def backward(self, dy):
        self.dw = self.x.T @ dy
        self.db = dy.sum(axis=0)
        return dy @ self.w.T

    def params(self):
        return [(self.w, "dw"), (self.b, "db")]


def lenet(rng, dtype):
    return [Conv(1, 6, 5, rng, dtype), ReLU(), MaxPool2(), Conv(6, 16, 5, rng, dtype), ReLU(), MaxPool2(), Flatten(),
            Dense(256, 120, rng, dtype), ReLU(), Dense(120, 84, rng, dtype), ReLU(), Dense(84, 10, rng, dtype)]


def logits(layers, x):
    for layer in layers:
        x = layer.forward(x)
    return x


def train_epoch(layers, velocities, x, y, batch, lr, momentum, rng):
    order = rng.permutation(len(x))
    total = 0.0
    for start in range(0, len(x), batch):
        idx = order[start:start + batch]
        z = logits(layers, x[idx])
        z = z - z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        labels = y[idx]
        total += -np.log(p[np.arange(len(idx)), labels] + 1e-12).mean()
        p[np.arange(len(idx)), labels] -= 1
        g = p / len(idx)
        for layer in reversed(layers):
            g = layer.backward(g)
        for layer in layers:
            if hasattr(layer, "params"):
                for value, name in layer.params():
                    grad = getattr(layer, name)
                    v = velocities.setdefault(id(value), np.zeros_like(value))
                    v *= momentum
                    v -= lr * grad
                    value += v
    return total / ((len(x) + batch - 1) // batch)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dtype", default="float32", choices=["float32", "float64"])
    parser.add_argument("--data", help="a Fashion-MNIST (or MNIST) folder with the four IDX .gz files")
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--lr", type=float, default=0.01)
    parser.add_argument("--momentum", type=float, default=0.9)
    args = parser.parse_args()
    dtype = np.dtype(args.dtype)
    rng = np.random.default_rng(0)
    if args.data:
        x = (read_idx(os.path.join(args.data, "train-images-idx3-ubyte.gz")) / 255).astype(dtype)[:, None]
        y = read_idx(os.path.join(args.data, "train-labels-idx1-ubyte.gz")).astype(np.int64)
        tx = (read_idx(os.path.join(args.data, "t10k-images-idx3-ubyte.gz")) / 255).astype(dtype)[:, None]
        ty = read_idx(os.path.join(args.data, "t10k-labels-idx1-ubyte.gz")).astype(np.int64)
    else:
        x = rng.random((60_000, 1, 28, 28)).astype(dtype)
        y = rng.integers(0, 10, 60_000)
        tx = ty = None
    layers = lenet(rng, dtype)
    velocities = {}
    print(f"numpy {np.__version__}, {dtype}, batch {args.batch}, {len(x):,} images an epoch")
    for epoch in range(1, args.epochs + 1):
        start = time.perf_counter()
        loss = train_epoch(layers, velocities, x, y, args.batch, args.lr, args.momentum, rng)
        seconds = time.perf_counter() - start
        line = f"epoch {epoch}: {seconds:.2f} s, loss {loss:.4f}"
        if tx is not None:
            predictions = np.concatenate([logits(layers, tx[i:i + 1000]).argmax(axis=1) for i in range(0, len(tx), 1000)])
            line += f", test accuracy {100 * (predictions == ty).mean():.2f}%"
        print(line, flush=True)


if __name__ == "__main__":
    main()
