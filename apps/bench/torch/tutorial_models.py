"""The five tutorial models in torch, their training settings, and the MNIST IDX reader.

Shared by bench_torch.py (step windows, --describe) and epoch_torch.py (--epoch).
"""

import numpy as np
import torch
import torch.nn as nn


def read_idx(path):
    with open(path, "rb") as f:
        raw = f.read()
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] != 0x08:
        raise ValueError(f"{path}: not an unsigned-byte IDX file")
    ndim = raw[3]
    dims = [int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim)]
    offset = 4 + 4 * ndim
    count = int(np.prod(dims))
    if len(raw) - offset != count:
        raise ValueError(f"{path}: expected {count} data bytes, got {len(raw) - offset}")
    return np.frombuffer(raw, dtype=np.uint8, offset=offset).reshape(dims)


# The five tutorial models, written as nn.Sequential so that the module order is the forward
# order (--describe relies on it). 000 and 001 use F.max_pool2d / F.relu / F.dropout /
# F.log_softmax in their tutorials; the modules below compute the same functions.
def net000():
    return nn.Sequential(
        nn.Conv2d(1, 32, 5, padding=2), nn.MaxPool2d(2), nn.ReLU(),
        nn.Conv2d(32, 64, 5, padding=2), nn.MaxPool2d(2), nn.ReLU(),
        nn.Flatten(),
        nn.Linear(3136, 1024), nn.ReLU(), nn.Dropout(0.5),
        nn.Linear(1024, 10), nn.LogSoftmax(dim=1),
    )


def net001():
    return nn.Sequential(
        nn.Conv2d(1, 150, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(150, 64, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(3136, 1024), nn.ReLU(), nn.Dropout(0.5),
        nn.Linear(1024, 500), nn.ReLU(), nn.Dropout(0.5),
        nn.Linear(500, 10), nn.LogSoftmax(dim=1),
    )


def net002():
    return nn.Sequential(
        nn.Conv2d(1, 10, 5), nn.MaxPool2d(2), nn.ReLU(),
        nn.Conv2d(10, 20, 5), nn.MaxPool2d(2), nn.ReLU(),
        nn.Flatten(), nn.Linear(320, 10),
    )


def net003():
    return nn.Sequential(
        nn.Conv2d(1, 16, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(1568, 10),
    )


def net004():
    return nn.Sequential(
        nn.Conv2d(1, 5, 3, padding=1), nn.ReLU(),
        nn.Conv2d(5, 10, 3, padding=1), nn.MaxPool2d(2), nn.ReLU(), nn.BatchNorm2d(10),
        nn.Conv2d(10, 20, 3, padding=1), nn.ReLU(), nn.BatchNorm2d(20),
        nn.Conv2d(20, 40, 3, padding=1), nn.MaxPool2d(2), nn.ReLU(), nn.BatchNorm2d(40),
        nn.Flatten(),
        nn.Linear(1960, 200), nn.ReLU(), nn.Dropout(0.5),
        nn.Linear(200, 500), nn.ReLU(),
        nn.Linear(500, 10),
    )


# id -> constructor, batch size, test batch size, optimizer (torch.optim class and keyword arguments),
# normalisation (mean, std) or None, and the loss: "nll" for the models that end in
# log_softmax (the tutorials pass their log-probabilities to nn.CrossEntropyLoss, which then
# equals nll_loss), "cross-entropy" on logits for the others.
MODELS = {
    "000": dict(build=net000, batch=50, test_batch=1000, opt=("SGD", dict(lr=3e-4, momentum=0.0)), norm=None, loss="nll"),
    "001": dict(build=net001, batch=50, test_batch=1000, opt=("SGD", dict(lr=1e-2, momentum=0.95)), norm=None, loss="nll"),
    "002": dict(build=net002, batch=128, test_batch=128, opt=("SGD", dict(lr=1e-2, momentum=0.5)), norm=(0.1307, 0.3081),
                loss="cross-entropy"),
    "003": dict(build=net003, batch=4, test_batch=4, opt=("Adam", dict(lr=1e-3, weight_decay=0.0)), norm=None,
                loss="cross-entropy"),
    "004": dict(build=net004, batch=100, test_batch=100, opt=("Adam", dict(lr=3e-4, weight_decay=1e-3)), norm=(0.5, 0.5),
                loss="cross-entropy"),
}


def make_optimizer(spec, params):
    name, kwargs = spec["opt"]
    return getattr(torch.optim, name)(params, **kwargs)


def make_criterion(spec):
    return nn.NLLLoss() if spec["loss"] == "nll" else nn.CrossEntropyLoss()


def to_input(images, norm):
    x = torch.from_numpy(images.astype(np.float32) / 255.0).unsqueeze(1)
    if norm is not None:
        x = (x - norm[0]) / norm[1]
    return x.contiguous()
