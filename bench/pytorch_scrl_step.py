#!/usr/bin/env python3
"""One SCRL pretraining step in PyTorch, timed the same way `scrl bench pretrain` times ours.

The step is the official one (kakaobrain/scrl trainer): online encoder + projector + predictor on both
views, target encoder + projector under no_grad, RoIAlign 1x1 on C5 (adaptive sampling, aligned=False),
symmetric loss, LARS with the official name-based exclusion, EMA on parameters. Inputs are synthetic
tensors with fixed boxes, so only compute is measured. `--channels-last` runs the same step on channels-last
tensors (the official code runs NCHW), for a like-for-like comparison with our default layout.

Usage: python3 bench/pytorch_scrl_step.py --arch resnet50 --size 224 --batch 16 --steps 5
Prints one JSON line: median step seconds (wall and process CPU), pairs/s and peak RSS.
"""
import argparse
import json
import math
import resource
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision
from torchvision.ops import roi_align


def mlp(i, h, o):
    return nn.Sequential(nn.Linear(i, h), nn.BatchNorm1d(h), nn.ReLU(inplace=True), nn.Linear(h, o, bias=False))


class Network(nn.Module):
    def __init__(self, arch, hidden, out):
        super().__init__()
        r = getattr(torchvision.models, arch)()
        self.encoder = nn.Sequential(*list(r.children())[:-2])
        self.projector = mlp(r.fc.in_features, hidden, out)

    def forward(self, x, boxes):
        c5 = self.encoder(x)
        h = roi_align(c5, boxes, (1, 1), 1 / 32, -1, False).flatten(1)
        return self.projector(h)


def regression(x, y):
    return 2 - 2 * (F.normalize(x, dim=1) * F.normalize(y, dim=1)).sum(1)


def fixed_boxes(batch, size, k, gen):
    rows = []
    for view in range(2):
        for b in range(batch):
            for _ in range(k):
                w, h = torch.randint(32, size // 2 + 1, (2,), generator=gen).tolist()
                x, y = torch.randint(0, size - w + 1, (1,), generator=gen).item(), torch.randint(0, size - h + 1, (1,), generator=gen).item()
                rows.append([b + view * batch, x, y, x + w, y + h])
    return torch.tensor(rows, dtype=torch.float32)


def lars_step(groups, lr, momentum, buffers, trust=1e-3, eps=1e-8):
    with torch.no_grad():
        for params, wd, adapt in groups:
            for p in params:
                if p.grad is None:
                    continue
                g = p.grad
                if adapt:
                    pn, gn = p.norm(), g.norm()
                    a = torch.where((pn > 0) & (gn > 0), trust * pn / (gn + wd * pn + eps), torch.ones_like(pn))
                    g = (g + wd * p) * a
                else:
                    g = g * lr
                buf = buffers.get(p)
                if buf is None:
                    buffers[p] = buf = g.clone()
                else:
                    buf.mul_(momentum).add_(g)
                p.add_(buf, alpha=-lr)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--arch", default="resnet50")
    ap.add_argument("--size", type=int, default=224)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--boxes", type=int, default=10)
    ap.add_argument("--hidden", type=int, default=4096)
    ap.add_argument("--out", type=int, default=256)
    ap.add_argument("--steps", type=int, default=5)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--channels-last", action="store_true")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    online, target = Network(a.arch, a.hidden, a.out), Network(a.arch, a.hidden, a.out)
    predictor = mlp(a.out, a.hidden, a.out)
    for p in target.parameters():
        p.requires_grad = False
    named = [(f"online.{n}", p) for n, p in online.named_parameters()] + [(f"predictor.{n}", p) for n, p in predictor.named_parameters()]
    excluded = [p for n, p in named if "bn" in n or "bias" in n]
    adapted = [p for n, p in named if not ("bn" in n or "bias" in n)]
    groups = [(adapted, 1e-6, True), (excluded, 0.0, False)]
    buffers = {}
    gen = torch.Generator().manual_seed(0)
    views = torch.randn(2 * a.batch, 3, a.size, a.size, generator=gen)
    if a.channels_last:
        views = views.contiguous(memory_format=torch.channels_last)
        for net in (online, target):
            net.to(memory_format=torch.channels_last)
    boxes = fixed_boxes(a.batch, a.size, a.boxes, gen)
    times, cpu_times = [], []
    for step in range(a.warmup + a.steps):
        t0, c0 = time.perf_counter(), time.process_time()
        q = predictor(online(views, boxes))
        with torch.no_grad():
            z = target(views, boxes)
        q1, q2 = q.chunk(2)
        z1, z2 = z.chunk(2)
        loss = (regression(q1, z2) + regression(q2, z1)).mean()
        online.zero_grad(set_to_none=True)
        predictor.zero_grad(set_to_none=True)
        loss.backward()
        lars_step(groups, 0.45 * a.batch / 256, 0.9, buffers)
        m = 1 - (1 - 0.97) * (math.cos(math.pi * step / 1000) + 1) / 2
        with torch.no_grad():
            for pt, po in zip(target.parameters(), online.parameters()):
                pt.mul_(m).add_(po, alpha=1 - m)
        loss.item()
        if step >= a.warmup:
            times.append(time.perf_counter() - t0)
            cpu_times.append(time.process_time() - c0)
    med = statistics.median(times)
    print(json.dumps({
        "framework": f"pytorch {torch.__version__}", "arch": a.arch, "size": a.size, "batch": a.batch,
        "median_step_s": round(med, 4), "median_step_cpu_s": round(statistics.median(cpu_times), 4), "pairs_per_s": round(a.batch / med, 3),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "steps": a.steps, "threads": torch.get_num_threads(), "channels_last": a.channels_last}))


if __name__ == "__main__":
    main()
