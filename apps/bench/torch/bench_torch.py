"""PyTorch reference for the engine benchmark (apps/bench).

Builds the five tutorial models in torch, trains each for a fixed number of steps
at its tutorial batch size on real MNIST images and times inference on the test
set. Reads the IDX files whose paths are given on the command line and prints one
JSON object on stdout; progress goes to stderr.

With --describe it needs no data: it prints the architectures (layers in forward
order, their settings and parameter shapes in torch's layouts) and the training
settings as JSON. packages/zoo/test/fixtures/torch-models.json is that output, and
the zoo's tests compare @cnn/zoo with it. Regenerate it by hand after changing a model:

    python3 apps/bench/torch/bench_torch.py --describe > packages/zoo/test/fixtures/torch-models.json
"""

import argparse
import json
import os
import sys
import time

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


# id -> constructor, batch size, optimizer (torch.optim class and keyword arguments),
# normalisation (mean, std) or None, and the loss: "nll" for the models that end in
# log_softmax (the tutorials pass their log-probabilities to nn.CrossEntropyLoss, which then
# equals nll_loss), "cross-entropy" on logits for the others.
MODELS = {
    "000": dict(build=net000, batch=50, opt=("SGD", dict(lr=3e-4, momentum=0.0)), norm=None, loss="nll"),
    "001": dict(build=net001, batch=50, opt=("SGD", dict(lr=1e-2, momentum=0.95)), norm=None, loss="nll"),
    "002": dict(build=net002, batch=128, opt=("SGD", dict(lr=1e-2, momentum=0.5)), norm=(0.1307, 0.3081),
                loss="cross-entropy"),
    "003": dict(build=net003, batch=4, opt=("Adam", dict(lr=1e-3, weight_decay=0.0)), norm=None,
                loss="cross-entropy"),
    "004": dict(build=net004, batch=100, opt=("Adam", dict(lr=3e-4, weight_decay=1e-3)), norm=(0.5, 0.5),
                loss="cross-entropy"),
}


def make_optimizer(spec, params):
    name, kwargs = spec["opt"]
    return getattr(torch.optim, name)(params, **kwargs)


def make_criterion(spec):
    return nn.NLLLoss() if spec["loss"] == "nll" else nn.CrossEntropyLoss()


def layer_config(module):
    """The hyper-parameters of one layer, named as in torch."""
    if isinstance(module, nn.Conv2d):
        return {"in_channels": module.in_channels, "out_channels": module.out_channels,
                "kernel_size": list(module.kernel_size), "stride": list(module.stride),
                "padding": list(module.padding)}
    if isinstance(module, nn.Linear):
        return {"in_features": module.in_features, "out_features": module.out_features}
    if isinstance(module, nn.MaxPool2d):
        pair = lambda v: list(v) if isinstance(v, (tuple, list)) else [v, v]
        return {"kernel_size": pair(module.kernel_size), "stride": pair(module.stride)}
    if isinstance(module, nn.Dropout):
        return {"p": module.p}
    if isinstance(module, nn.BatchNorm2d):
        return {"num_features": module.num_features, "eps": module.eps, "momentum": module.momentum}
    if isinstance(module, nn.LogSoftmax):
        return {"dim": module.dim}
    return {}


def describe():
    """Every model as JSON: training settings and the layers in forward order with parameter shapes."""
    out = {}
    for name, spec in MODELS.items():
        model = spec["build"]()
        opt_name, opt_kwargs = spec["opt"]
        layers = [{
            "type": type(m).__name__,
            "config": layer_config(m),
            "params": [{"name": n, "shape": list(p.shape)} for n, p in m.named_parameters()],
        } for m in model]
        out[name] = {
            "batch": spec["batch"],
            "optimizer": {"kind": opt_name.lower(), **opt_kwargs},
            "normalize": None if spec["norm"] is None else {"mean": spec["norm"][0], "std": spec["norm"][1]},
            "loss": spec["loss"],
            "params": sum(p.numel() for p in model.parameters()),
            "layers": layers,
        }
    return out


def to_input(images, norm):
    x = torch.from_numpy(images.astype(np.float32) / 255.0).unsqueeze(1)
    if norm is not None:
        x = (x - norm[0]) / norm[1]
    return x.contiguous()


def bench_model(name, data, args):
    spec = MODELS[name]
    batch, norm = spec["batch"], spec["norm"]
    train_x = to_input(data["train_images"], norm)
    train_y = torch.from_numpy(data["train_labels"].astype(np.int64))
    test_x = to_input(data["test_images"][: args.infer_images], norm)
    model = spec["build"]()
    params = sum(p.numel() for p in model.parameters())
    opt = make_optimizer(spec, model.parameters())
    criterion = make_criterion(spec)
    n_train = train_x.shape[0]

    def step(i):
        start = (i * batch) % (n_train - batch + 1)
        x = train_x[start : start + batch]
        y = train_y[start : start + batch]
        opt.zero_grad()
        loss = criterion(model(x), y)
        loss.backward()
        opt.step()
        return loss.item()

    model.train()
    for i in range(args.warmup):
        step(i)
    train_all = []
    loss = float("nan")
    i = args.warmup
    for _ in range(args.repeats):
        t0 = time.perf_counter()
        for _ in range(args.steps):
            loss = step(i)
            i += 1
        train_all.append(time.perf_counter() - t0)
    train_s = min(train_all)

    model.eval()
    infer_all = []
    with torch.no_grad():
        model(test_x[: args.infer_batch]).argmax(1).numpy()  # warm-up batch
        for _ in range(args.repeats):
            t0 = time.perf_counter()
            predicted = 0
            for start in range(0, test_x.shape[0], args.infer_batch):
                pred = model(test_x[start : start + args.infer_batch]).argmax(1).numpy()
                predicted += int(pred.size)
            infer_all.append(time.perf_counter() - t0)
    infer_s = min(infer_all)

    return {
        "model": name,
        "params": params,
        "batch": batch,
        "steps": args.steps,
        "warmup": args.warmup,
        "repeats": args.repeats,
        "train_seconds": train_s,
        "train_seconds_all": train_all,
        "train_img_s": args.steps * batch / train_s,
        "final_loss": loss,
        "infer_images": predicted,
        "infer_batch": args.infer_batch,
        "infer_seconds": infer_s,
        "infer_seconds_all": infer_all,
        "infer_img_s": predicted / infer_s,
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--describe", action="store_true",
                    help="print the architectures and training settings as JSON and exit (no data needed)")
    ap.add_argument("--train-images")
    ap.add_argument("--train-labels")
    ap.add_argument("--test-images")
    ap.add_argument("--models", default=",".join(MODELS))
    ap.add_argument("--steps", type=int, default=30)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--infer-images", type=int, default=10000)
    ap.add_argument("--infer-batch", type=int, default=1000)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    if args.describe:
        print(json.dumps({"torch_version": torch.__version__, "models": describe()}, indent=2))
        return
    missing = [f for f in ("train_images", "train_labels", "test_images") if getattr(args, f) is None]
    if missing:
        ap.error("the following arguments are required: " + ", ".join("--" + f.replace("_", "-") for f in missing))

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    data = {
        "train_images": read_idx(args.train_images),
        "train_labels": read_idx(args.train_labels),
        "test_images": read_idx(args.test_images),
    }
    results = []
    for name in args.models.split(","):
        if name not in MODELS:
            raise SystemExit(f"bench_torch.py: unknown model {name!r}; known: {', '.join(MODELS)}")
        print(f"[pytorch] {name} ...", file=sys.stderr, flush=True)
        results.append(bench_model(name, data, args))
    print(json.dumps({
        "torch_version": torch.__version__,
        "python": sys.version.split()[0],
        "python_executable": sys.executable,
        "threads": torch.get_num_threads(),
        "mkldnn": torch.backends.mkldnn.is_available(),
        "env": {k: v for k, v in os.environ.items() if k.startswith(("OPENBLAS", "OMP_", "MKL", "GOMP"))},
        "results": results,
    }))


if __name__ == "__main__":
    main()
