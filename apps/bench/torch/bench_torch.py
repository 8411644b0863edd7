"""PyTorch reference for the engine benchmark (apps/bench).

Builds the five tutorial models in torch (tutorial_models.py), trains each at its tutorial
batch size on real MNIST images in timed windows of at least --seconds (and --steps steps)
and times inference on the test set the same way; each figure is the median of --repeats
windows. With --epoch it instead times one full epoch per model with data loading and the
test accuracy (epoch_torch.py). Reads the IDX files whose paths are given on the command
line (never downloads) and prints one JSON object on stdout, with the reference report of
reference_info.py (version, threads, the BLAS really loaded); progress goes to stderr.

With --describe it needs no data: it prints the architectures (layers in forward
order, their settings and parameter shapes in torch's layouts) and the training
settings as JSON. packages/zoo/test/fixtures/torch-models.json is that output, and
the zoo's tests compare @cnn/zoo with it. Regenerate it by hand after changing a model:

    python3 apps/bench/torch/bench_torch.py --describe > packages/zoo/test/fixtures/torch-models.json
"""

import argparse
import json
import statistics
import sys
import time

import torch
import torch.nn as nn

from epoch_torch import epoch_model
from reference_info import reference_info
from tutorial_models import MODELS, make_criterion, make_optimizer, read_idx, to_input


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



def timed_window(run_once, min_count, seconds):
    """Calls run_once() (which returns how many images it did) at least min_count times and until
    `seconds` have passed; returns (calls, images, seconds, CPU seconds of the process)."""
    calls = images = 0
    t0 = time.perf_counter()
    c0 = time.process_time()
    while True:
        images += run_once()
        calls += 1
        elapsed = time.perf_counter() - t0
        if calls >= min_count and elapsed >= seconds:
            return calls, images, elapsed, time.process_time() - c0


def bench_model(name, data, args):
    spec = MODELS[name]
    batch, norm = spec["batch"], spec["norm"]
    train_x = to_input(data["train_images"], norm)
    train_y = torch.from_numpy(data["train_labels"].astype("int64"))
    test_x = to_input(data["test_images"][: args.infer_images], norm)
    model = spec["build"]()
    params = sum(p.numel() for p in model.parameters())
    opt = make_optimizer(spec, model.parameters())
    criterion = make_criterion(spec)
    n_train = train_x.shape[0]
    state = {"i": 0, "loss": float("nan")}

    def step():
        start = (state["i"] * batch) % (n_train - batch + 1)
        state["i"] += 1
        x = train_x[start : start + batch]
        y = train_y[start : start + batch]
        opt.zero_grad()
        loss = criterion(model(x), y)
        loss.backward()
        opt.step()
        state["loss"] = loss.item()
        return batch

    model.train()
    warmup_end = time.perf_counter() + args.warmup_seconds
    done = 0
    while done < args.warmup or time.perf_counter() < warmup_end:
        step()
        done += 1
    train = [timed_window(step, args.steps, args.seconds) for _ in range(args.repeats)]

    def infer_pass():
        predicted = 0
        for start in range(0, test_x.shape[0], args.infer_batch):
            predicted += int(model(test_x[start : start + args.infer_batch]).argmax(1).numpy().size)
        return predicted

    model.eval()
    with torch.no_grad():
        model(test_x[: args.infer_batch]).argmax(1).numpy()  # warm-up batch
        infer = [timed_window(infer_pass, 1, args.seconds) for _ in range(args.repeats)]

    train_rates = [n / s for _, n, s, _ in train]
    infer_rates = [n / s for _, n, s, _ in infer]
    return {
        "model": name,
        "params": params,
        "batch": batch,
        "warmup": args.warmup,
        "repeats": args.repeats,
        "train_steps_all": [c for c, _, _, _ in train],
        "train_seconds_all": [s for _, _, s, _ in train],
        "train_img_s_all": train_rates,
        "train_img_s": statistics.median(train_rates),
        "train_cpu_ms_per_step": statistics.median(cpu * 1000 / c for c, _, _, cpu in train),
        "final_loss": state["loss"],
        "infer_images_all": [n for _, n, _, _ in infer],
        "infer_batch": args.infer_batch,
        "infer_seconds_all": [s for _, _, s, _ in infer],
        "infer_img_s_all": infer_rates,
        "infer_img_s": statistics.median(infer_rates),
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--describe", action="store_true",
                    help="print the architectures and training settings as JSON and exit (no data needed)")
    ap.add_argument("--reference", action="store_true",
                    help="print only the reference report (version, threads, BLAS) as JSON and exit")
    ap.add_argument("--train-images")
    ap.add_argument("--train-labels")
    ap.add_argument("--test-images")
    ap.add_argument("--test-labels", help="needed by --epoch (test accuracy)")
    ap.add_argument("--models", default=",".join(MODELS))
    ap.add_argument("--steps", type=int, default=30, help="at least this many steps per timed window")
    ap.add_argument("--seconds", type=float, default=2.0, help="at least this long per timed window")
    ap.add_argument("--warmup", type=int, default=5, help="untimed steps first...")
    ap.add_argument("--warmup-seconds", type=float, default=3.0, help="...for at least this long")
    ap.add_argument("--infer-images", type=int, default=10000)
    ap.add_argument("--infer-batch", type=int, default=1000)
    ap.add_argument("--repeats", type=int, default=3, help="timed windows (or epochs); the median counts")
    ap.add_argument("--threads", type=int, default=None, help="torch.set_num_threads (default: keep torch's own)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--epoch", action="store_true", help="time one full epoch per model (see epoch_torch.py)")
    ap.add_argument("--limit", type=int, default=None, help="--epoch: first N training and test images")
    args = ap.parse_args()
    if args.describe:
        print(json.dumps({"torch_version": torch.__version__, "models": describe()}, indent=2))
        return
    if (args.threads is not None and args.threads < 1) or args.repeats < 1 or args.steps < 1 or args.seconds < 0:
        ap.error("--threads, --repeats and --steps must be at least 1, --seconds at least 0")
    reference = reference_info(args.threads)
    if args.reference:
        print(json.dumps({"reference": reference}))
        return
    needed = ["train_images", "train_labels", "test_images"] + (["test_labels"] if args.epoch else [])
    missing = [f for f in needed if getattr(args, f) is None]
    if missing:
        ap.error("the following arguments are required: " + ", ".join("--" + f.replace("_", "-") for f in missing))
    names = args.models.split(",")
    unknown = [n for n in names if n not in MODELS]
    if unknown:
        ap.error(f"unknown model {', '.join(unknown)}; known: {', '.join(MODELS)}")

    torch.manual_seed(args.seed)
    results = []
    if args.epoch:
        files = {f: getattr(args, f) for f in needed}
        for name in names:
            for r in range(args.repeats):
                print(f"[pytorch] {name} epoch {r + 1}/{args.repeats} ...", file=sys.stderr, flush=True)
                results.append(epoch_model(name, files, args.limit, args.limit, args.seed))
    else:
        data = {
            "train_images": read_idx(args.train_images),
            "train_labels": read_idx(args.train_labels),
            "test_images": read_idx(args.test_images),
        }
        for name in names:
            print(f"[pytorch] {name} ...", file=sys.stderr, flush=True)
            results.append(bench_model(name, data, args))
    print(json.dumps({"reference": reference, "results": results}))


if __name__ == "__main__":
    main()
