"""One full training epoch of a tutorial model in torch, with data loading and a test-set evaluation.

The counterpart of the benchmark's --epoch mode: the clock covers reading the IDX files and
scaling the pixels, one epoch over the (shuffled) training set at the tutorial's batch size and
optimizer, then the test accuracy at the tutorial's test batch size. Batches are gathered from
tensors held in memory by a seeded permutation, the quickest plain-torch way to feed a CPU model
(a DataLoader over a TensorDataset collates sample by sample and would slow the reference down).
"""

import time

import torch

from tutorial_models import MODELS, make_criterion, make_optimizer, read_idx, to_input


def load(files, norm, limit, test_limit):
    """The four IDX files as float NCHW images (scaled, normalised) and int64 labels, cut to the limits."""
    train_x = to_input(read_idx(files["train_images"])[:limit], norm)
    train_y = torch.from_numpy(read_idx(files["train_labels"])[:limit].astype("int64"))
    test_x = to_input(read_idx(files["test_images"])[:test_limit], norm)
    test_y = torch.from_numpy(read_idx(files["test_labels"])[:test_limit].astype("int64"))
    return train_x, train_y, test_x, test_y


def epoch_model(name, files, limit, test_limit, seed):
    """Times load, one epoch and the test pass of model `name`; returns a row of the report."""
    spec = MODELS[name]
    torch.manual_seed(seed)
    t0 = time.perf_counter()
    train_x, train_y, test_x, test_y = load(files, spec["norm"], limit, test_limit)
    t_load = time.perf_counter()
    c_load = time.process_time()

    model = spec["build"]()
    opt = make_optimizer(spec, model.parameters())
    criterion = make_criterion(spec)
    batch = spec["batch"]
    order = torch.randperm(train_x.shape[0], generator=torch.Generator().manual_seed(seed))
    model.train()
    loss_sum = 0.0
    steps = 0
    for start in range(0, train_x.shape[0], batch):
        idx = order[start : start + batch]
        opt.zero_grad()
        loss = criterion(model(train_x[idx]), train_y[idx])
        loss.backward()
        opt.step()
        loss_sum += loss.item() * idx.shape[0]
        steps += 1
    t_train = time.perf_counter()
    c_train = time.process_time()

    model.eval()
    correct = 0
    test_batch = spec["test_batch"]
    with torch.no_grad():
        for start in range(0, test_x.shape[0], test_batch):
            pred = model(test_x[start : start + test_batch]).argmax(1)
            correct += int((pred == test_y[start : start + test_batch]).sum())
    t_eval = time.perf_counter()

    return {
        "model": name,
        "batch": batch,
        "test_batch": test_batch,
        "train_images": int(train_x.shape[0]),
        "test_images": int(test_x.shape[0]),
        "steps": steps,
        "load_seconds": t_load - t0,
        "train_seconds": t_train - t_load,
        "eval_seconds": t_eval - t_train,
        "train_cpu_seconds": c_train - c_load,
        "train_loss": loss_sum / train_x.shape[0],
        "test_accuracy": correct / test_x.shape[0],
    }
