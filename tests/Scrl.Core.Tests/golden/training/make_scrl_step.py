"""Three full SCRL (and BYOL) training steps in PyTorch with the official structure, for ScrlStepParityTests.

Builds kakaobrain/scrl's networks at small sizes (resnet18 encoder as nn.Sequential, projector 512->64->32,
predictor 32->64->32, online classifier 512->10), runs SCRLTrainer's step three times on the same batch (float64, so
the comparison tests the algorithm, not float32 rounding), and saves losses, rates, and samples of every state
tensor's change plus the LARS momentum buffers. Initial weights and views come from hashed_init (not stored).
Two steps warm up and the third is on the cosine branch; the rates come from the official LinearWarmupScheduler
over CosineAnnealingLR, the EMA momentum from _decay_ema_momentum, and SCRL's optimizer is torchlars' LARS under the
official CustomLARS, all run from their transcriptions in official_scrl.py.

  scrl_step.pt: SCRL boxes, online classifier, CustomLARS over torchlars 0.1.2 (official name-based exclusion, lr²).
  byol_step.pt: BYOL (GAP features), no classifier, deepmind BYOL LARS (1-D tensors excluded, plain lr).
  scrl_step_float32.pt: scrl_step in float32, the training dtype, for the two warmup steps. Parameter changes are
      ~1e-6 of the weights there, below float32 resolution, so only losses and momentum buffers (the update
      directions) are stored. A third float32 step is not compared: the first convolution's weight gradient, a sum
      over every pixel nearly cancelled by the BatchNorm backward, then depends on summation order by ~2.5e-3.
      The same sensitivity makes this file depend on the CPU that writes it: Debian's PyTorch on a Zen CPU gives
      momentum buffers up to 0.5% away from the committed file, which another CPU wrote (and which our float32 step
      matches to 1.5e-5). Regenerate it only for a change that alters the float32 run;
      `python3 make_scrl_step.py scrl_step.pt byol_step.pt` writes the float64 files alone.
"""
import math
import os

import numpy as np
import torch
import torch.nn.functional as F
import torchvision
from torchvision import ops

import hashed_init
import official_scrl as official

torch.set_num_threads(2)
B, S, K, CLASSES = 4, 64, 3, 10
BASE_LR, WD, MOMENTUM, M_BASE = 0.45, 1e-6, 0.9, 0.97
STEPS_PER_EPOCH, EPOCHS, WARMUP = 2, 4, 1
STEPS = 3                                        # steps 0 and 1 warm up (epoch 0.5, 1.0); step 2 is on the cosine (1.5)
FLOAT32_STEPS = 2                                # see scrl_step_float32 below
SAMPLES = 128
HERE = os.path.dirname(os.path.abspath(__file__))


# ---- official structure (kakaobrain/scrl models/heads.py, models/backbone.py) -------------------------------
class TwoLayerLinearHead(torch.nn.Module):
    def __init__(self, i, h, o):
        super().__init__()
        self.net = torch.nn.Sequential(torch.nn.Linear(i, h), torch.nn.BatchNorm1d(h), torch.nn.ReLU(inplace=True),
                                       torch.nn.Linear(h, o, bias=False))

    def forward(self, x):
        return self.net(x)


class SingleLayerLinearHead(torch.nn.Module):
    def __init__(self, i, o):
        super().__init__()
        self.linear = torch.nn.Linear(i, o)

    def forward(self, x):
        return self.linear(x)


class Backbone(torch.nn.Module):
    def __init__(self, scrl):
        super().__init__()
        self.scrl_enabled = scrl
        self.encoder = torch.nn.Sequential(*list(torchvision.models.resnet18().children())[:-1])
        self.roi_align = ops.RoIAlign(output_size=(1, 1), sampling_ratio=-1, spatial_scale=0.03125, aligned=False)
        self.projector = TwoLayerLinearHead(512, 64, 32)

    def forward(self, x, boxes=None):
        for n, layer in enumerate(self.encoder):
            x = layer(x)
            if n == len(self.encoder) - 2:
                h_pre_gap = x
        h = x.squeeze()
        if self.scrl_enabled:
            return self.projector(self.roi_align(h_pre_gap, boxes).squeeze()), h
        return self.projector(h), h


def regression_loss(x, y):
    x = F.normalize(x, p=2, dim=1)
    y = F.normalize(y, p=2, dim=1)
    return 2 - 2 * (x * y).sum(dim=1)


def criterion(p_online, p_target):
    q1, q2 = p_online.chunk(2)
    z1, z2 = p_target.chunk(2)
    return (regression_loss(q1, z2) + regression_loss(q2, z1)).mean()


# ---- deepmind BYOL LARS (byol/utils/optimizers.py): 1-D params excluded, trust eta*||p||/||g+wd*p|| -----------
class ByolLARS(torch.optim.Optimizer):
    """An Optimizer, so the official schedulers set its rate as they set CustomLARS's."""

    def __init__(self, params, lr, wd, momentum, eta=1e-3):
        super().__init__(params, {"lr": lr})
        self.wd, self.momentum, self.eta = wd, momentum, eta

    @torch.no_grad()
    def step(self):
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                update = p.grad.clone()
                if p.dim() > 1:
                    update = update + self.wd * p
                    param_norm, update_norm = p.norm(), update.norm()
                    trust = torch.where(param_norm > 0,
                                        torch.where(update_norm > 0, self.eta * param_norm / update_norm, torch.ones_like(param_norm)),
                                        torch.ones_like(param_norm))
                    update = update * trust
                state = self.state[p]
                if "momentum_buffer" not in state:
                    state["momentum_buffer"] = update.clone()
                else:
                    state["momentum_buffer"].mul_(self.momentum).add_(update)
                p.sub_(group["lr"] * state["momentum_buffer"])


# ---- our names <-> official modules ----------------------------------------------------------------------------
def ours(prefix, official_name):
    """Backbone/head state-dict key in the official layout -> ScrlLearner key."""
    if official_name.startswith("encoder."):
        index, rest = official_name[len("encoder."):].split(".", 1)
        trunk = {0: "conv1", 1: "bn1", 4: "layer1", 5: "layer2", 6: "layer3", 7: "layer4"}[int(index)]
        return f"{prefix}.encoder.{trunk}.{rest}"
    if official_name.startswith("linear."):
        return f"{prefix}.{official_name[len('linear.'):]}"
    return f"{prefix}.{official_name}"


def run(scrl, dtype):
    modules = {"online": Backbone(scrl), "predictor": TwoLayerLinearHead(32, 64, 32), "target": Backbone(scrl)}
    if scrl:
        modules["classifier"] = SingleLayerLinearHead(512, CLASSES)
    state = {}
    for prefix, module in modules.items():
        module.to(dtype).train()
        with torch.no_grad():
            for name, p in module.named_parameters():
                p.copy_(hashed_init.values(ours(prefix, name), tuple(p.shape), dtype))
        state.update({ours(prefix, k): v for k, v in module.state_dict().items()})
    before = {k: v.clone() for k, v in state.items()}
    for p in modules["target"].parameters():
        p.requires_grad = False

    views = hashed_init.values("views", (2 * B, 3, S, S), dtype)
    gen = torch.Generator().manual_seed(0)
    labels = torch.randint(0, CLASSES, (B,), generator=gen)
    boxes = []
    for view in range(2):
        for b in range(B):
            for _ in range(K):
                x1, y1 = (torch.rand(2, generator=gen, dtype=torch.float64) * 24).tolist()
                w, h = (32 + torch.rand(2, generator=gen, dtype=torch.float64) * (S - 32 - torch.tensor([x1, y1], dtype=torch.float64))).tolist()
                boxes.append([b + view * B, x1, y1, x1 + w, y1 + h])
    rois = torch.tensor(boxes, dtype=dtype)                                       # [2*B*K, 5], pair-aligned rows

    trainable = {k: v for k, v in modules.items() if k != "target"}
    peak = official.scale_learning_rate(BASE_LR, B)                                # global batch = B image pairs
    if scrl:
        sgd = torch.optim.SGD(official.official_param_groups(
            [(n, p) for m in trainable.values() for n, p in m.named_parameters()]), lr=peak, momentum=MOMENTUM, weight_decay=WD)
        optimizer = official.CustomLARS(sgd)
    else:
        optimizer = ByolLARS([p for m in trainable.values() for p in m.parameters()], peak, WD, MOMENTUM)
    scheduler = official.official_scheduler(optimizer, EPOCHS, WARMUP, STEPS_PER_EPOCH)

    out = {"views_checksum": views.double().sum().reshape(1)}
    for step in range(STEPS if dtype == torch.float64 else FLOAT32_STEPS):
        # SCRLTrainer._forward
        p_online, h_online = modules["online"](views, rois if scrl else None)
        with torch.no_grad():
            p_target, _ = modules["target"](views, rois if scrl else None)
        loss = criterion(modules["predictor"](p_online), p_target)
        out[f"regression_loss.{step}"] = loss.detach().reshape(1)
        if scrl:
            logits = modules["classifier"](h_online.detach())
            eval_loss = F.cross_entropy(logits, torch.cat((labels,) * 2))
            out[f"classification_loss.{step}"] = eval_loss.detach().reshape(1)
            loss = loss + eval_loss
        out[f"loss.{step}"] = loss.detach().reshape(1)
        # trainer/trainer.py: scheduler.step(); zero_grad; backward; optimizer.step; EMA with the 0-based global step
        scheduler.step()
        out[f"lr.{step}"] = torch.tensor([optimizer.param_groups[0]["lr"]], dtype=torch.float64)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        m = official.decay_ema_momentum(M_BASE, step, STEPS_PER_EPOCH * EPOCHS)
        out[f"ema_momentum.{step}"] = torch.tensor([m], dtype=torch.float64)
        with torch.no_grad():
            for pt, po in zip(modules["target"].parameters(), modules["online"].parameters()):
                pt.data = pt.data * m + po.data * (1.0 - m)

    if dtype == torch.float32:
        after = {}
    else:
        after = {ours(prefix, k): v for prefix, module in modules.items() for k, v in module.state_dict().items()}
        assert after.keys() == before.keys()
    for key in sorted(after):
        delta = (after[key] - before[key]).flatten()
        idx = torch.from_numpy(hashed_init.sample_indices(delta.numel(), SAMPLES))
        out[f"delta.{key}"] = delta[idx]
        if delta.is_floating_point():
            out[f"delta_norm.{key}"] = delta.norm().reshape(1)
    buffers = optimizer.optim.state if scrl else optimizer.state
    for prefix, module in trainable.items():
        for name, p in module.named_parameters():
            buf = buffers[p]["momentum_buffer"].flatten()
            idx = torch.from_numpy(hashed_init.sample_indices(buf.numel(), SAMPLES))
            out[f"momentum.{ours(prefix, name)}"] = buf[idx].clone()
            out[f"momentum_norm.{ours(prefix, name)}"] = buf.norm().reshape(1)
    out["rois"] = rois
    out["labels"] = labels
    return {k: v.contiguous() for k, v in out.items()}


if __name__ == "__main__":
    import sys
    wanted = set(sys.argv[1:])
    for scrl, dtype, file in [(True, torch.float64, "scrl_step.pt"), (False, torch.float64, "byol_step.pt"),
                              (True, torch.float32, "scrl_step_float32.pt")]:
        if not wanted or file in wanted:
            torch.save(run(scrl, dtype), os.path.join(HERE, file))
