"""Learning rates and EMA momenta of the official SCRL schedulers, for LrScheduleTests and EmaScheduleTests.

Runs official_scrl's transcriptions as the official trainer does (trainer/trainer.py): per iteration,
scheduler.step() before the optimizer step, the rate read from the optimizer's groups (both share it), then
_decay_ema_momentum(global_step) with the 0-based global step. Writes schedules.json: per configuration its
arguments and, at the recorded steps (all of a short run; the warmup boundary, a stride and the ends of a long
one), the 0-based step, the rate it trains with and the EMA momentum after it.
"""
import json
import os

import torch

import official_scrl as official

HERE = os.path.dirname(os.path.abspath(__file__))
CONFIGS = [
    # name, cfg lr, per-GPU batch, GPUs, len(loader), max_epochs, warmup_epochs, m
    ("short", 0.45, 512, 1, 10, 20, 5, 0.97),
    ("scrl_200ep", 0.45, 256, 32, 157, 200, 10, 0.97),      # config/scrl_200ep.yaml at the README's 32 GPUs
    ("scrl_1000ep", 0.2, 256, 32, 157, 1000, 10, 0.996),    # config/scrl_1000ep.yaml
    ("odd_steps", 0.3, 96, 1, 7, 9, 2, 0.99),               # 1/7 of an epoch per step is inexact in binary
]


def run(name, lr, batch, world, steps_per_epoch, epochs, warmup, m_base):
    weight, bn = torch.nn.Parameter(torch.zeros(2, 2)), torch.nn.Parameter(torch.zeros(2))
    groups = official.official_param_groups([("conv.weight", weight), ("bn1.weight", bn)])
    sgd = torch.optim.SGD(groups, lr=official.scale_learning_rate(lr, batch, world), momentum=0.9, weight_decay=1e-6)
    optimizer = official.CustomLARS(sgd)
    scheduler = official.official_scheduler(optimizer, epochs, warmup, steps_per_epoch)
    total = steps_per_epoch * epochs
    keep = set(range(total)) if total <= 200 else (
        set(range(3)) | set(range(warmup * steps_per_epoch - 3, warmup * steps_per_epoch + 3))
        | set(range(0, total, 997)) | set(range(total - 3, total)))
    steps = []
    for epoch in range(1, epochs + 1):
        for step in range(1, steps_per_epoch + 1):
            scheduler.step()
            rates = [g["lr"] for g in optimizer.param_groups]
            assert rates[0] == rates[1]
            global_step = steps_per_epoch * (epoch - 1) + step - 1
            if global_step in keep:
                m = official.decay_ema_momentum(m_base, global_step, total)
                steps.append({"step": global_step, "lr": rates[0], "ema": m})
    return {"name": name, "baseLearningRate": lr, "globalBatchSize": batch * world, "stepsPerEpoch": steps_per_epoch,
            "epochs": epochs, "warmupEpochs": warmup, "baseEmaMomentum": m_base, "steps": steps}


if __name__ == "__main__":
    with open(os.path.join(HERE, "schedules.json"), "w") as f:
        json.dump([run(*c) for c in CONFIGS], f, indent=1)
        f.write("\n")
