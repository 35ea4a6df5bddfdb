"""Fine-tuning optimizers in PyTorch 1.13, the reference for Scrl.Detection.Training's SgdUpdate and AdamWUpdate.

  OUT.pt   three float64 parameters (a matrix, a vector, a scalar-like [1]) with hashed values, four steps of hashed
           gradients (scaled 0.2x, 5x, 1x, 30x so that clipping to norm 1 is idle on some steps and binds on others), and
           the parameters after each step of:
             adamw  torch.optim.AdamW(lr, weight_decay=1e-4) after torch.nn.utils.clip_grad_norm_(params, 1.0),
                    with the learning rate changed between steps as a schedule does;
             sgd    torch.optim.SGD(lr, momentum=0.9, weight_decay=1e-4), unclipped.
Run with Debian's PyTorch 1.13: /usr/bin/python3 make_optimizers.py /tmp/x.pt
"""
import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import detection_oracle  # noqa: E402,F401  (puts hashed_init on the path)
from hashed_init import values  # noqa: E402

SHAPES = {"w": (4, 3), "b": (3,), "s": (1,)}
GRADIENT_SCALES = [0.2, 5.0, 1.0, 30.0]
LEARNING_RATES = [2.5e-3, 2.5e-2, 1e-2, 2.5e-2]


def run(name, make_optimizer, clip, out):
    params = {k: torch.nn.Parameter(values("param." + k, s, torch.float64)) for k, s in SHAPES.items()}
    optimizer = make_optimizer(list(params.values()))
    for step, (scale, lr) in enumerate(zip(GRADIENT_SCALES, LEARNING_RATES)):
        for k, p in params.items():
            p.grad = values(f"grad.{step}.{k}", SHAPES[k], torch.float64) * scale
        if clip:
            torch.nn.utils.clip_grad_norm_(params.values(), 1.0)
        for group in optimizer.param_groups:
            group["lr"] = lr
        optimizer.step()
        for k, p in params.items():
            out[f"{name}.{step}.{k}"] = p.detach().clone()


def main():
    out = {}
    for k, s in SHAPES.items():
        out[f"init.{k}"] = values("param." + k, s, torch.float64)
        for step, scale in enumerate(GRADIENT_SCALES):
            out[f"grad.{step}.{k}"] = values(f"grad.{step}.{k}", s, torch.float64) * scale
    run("adamw", lambda p: torch.optim.AdamW(p, lr=LEARNING_RATES[0], weight_decay=1e-4), True, out)
    run("sgd", lambda p: torch.optim.SGD(p, lr=LEARNING_RATES[0], momentum=0.9, weight_decay=1e-4), False, out)
    torch.save(out, sys.argv[1])


if __name__ == "__main__":
    main()
