"""Two full SCRL (and BYOL) training steps in PyTorch with the official structure, for ScrlStepParityTests.

Builds kakaobrain/scrl's networks at small sizes (resnet18 encoder as nn.Sequential, projector 512->64->32,
predictor 32->64->32, online classifier 512->10), runs SCRLTrainer's step twice on the same batch (float64, so the
comparison tests the algorithm, not float32 rounding), and saves losses, rates, and samples of every state tensor's
change plus the LARS momentum buffers. Initial weights and views come from hashed_init (not stored).

  scrl_step.pt: SCRL boxes, online classifier, CustomLARS over torchlars 0.1.2 (official name-based exclusion, lr²).
  byol_step.pt: BYOL (GAP features), no classifier, deepmind BYOL LARS (1-D tensors excluded, plain lr).
  scrl_step_float32.pt: scrl_step in float32, the training dtype. Parameter changes are ~1e-6 of the weights there,
      below float32 resolution, so only losses and momentum buffers (the update directions) are stored.
"""
import math
import os

import numpy as np
import torch
import torch.nn.functional as F
import torchvision
from torchvision import ops

import hashed_init

torch.set_num_threads(2)
B, S, K, CLASSES = 4, 64, 3, 10
BASE_LR, WD, MOMENTUM, M_BASE = 0.45, 1e-6, 0.9, 0.97
STEPS_PER_EPOCH, EPOCHS, WARMUP = 2, 4, 1
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


# ---- official optimizer: torchlars 0.1.2 LARS + kakaobrain/scrl optim/optim.py CustomLARS --------------------
class CustomLARS:
    def __init__(self, optimizer, eps=1e-8, trust_coef=0.001):
        self.optim, self.eps, self.trust_coef = optimizer, eps, trust_coef

    def step(self):
        weight_decays = []
        for group in self.optim.param_groups:              # hide_weight_decays
            weight_decays.append(group["weight_decay"])
            group["weight_decay"] = 0
        with torch.no_grad():
            for group, weight_decay in zip(self.optim.param_groups, weight_decays):
                for p in group["params"]:
                    if p.grad is None:
                        continue
                    if group.get("lars_adaptation", True):
                        param_norm, grad_norm = p.norm(), p.grad.norm()
                        if param_norm > 0 and grad_norm > 0:   # compute_adaptive_lr (adaptive_lr.cc)
                            adaptive_lr = param_norm / (grad_norm + weight_decay * param_norm + self.eps) * self.trust_coef
                        else:
                            adaptive_lr = torch.ones_like(param_norm)
                    else:
                        adaptive_lr = group["lr"]
                    p.grad.add_(p.data, alpha=weight_decay)
                    p.grad.mul_(adaptive_lr)
        self.optim.step()
        for group, weight_decay in zip(self.optim.param_groups, weight_decays):
            group["weight_decay"] = weight_decay


def official_groups(named_params):
    """optim/getters.py bisect_params_with_names(criterion=['bn', 'bias'])."""
    default, bn_bias = [], []
    for name, p in named_params:
        (bn_bias if any(c in name for c in ["bn", "bias"]) else default).append(p)
    return [{"params": default, "lars_adaptation": True},
            {"params": bn_bias, "lars_adaptation": False, "weight_decay": 0.0}]


# ---- deepmind BYOL LARS (byol/utils/optimizers.py): 1-D params excluded, trust eta*||p||/||g+wd*p|| -----------
class ByolLARS:
    def __init__(self, params, wd, momentum, eta=1e-3):
        self.params, self.wd, self.momentum, self.eta, self.state = list(params), wd, momentum, eta, {}

    @torch.no_grad()
    def step(self, lr):
        for p in self.params:
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
            buf = self.state.get(p)
            self.state[p] = buf = update.clone() if buf is None else buf.mul_(self.momentum).add_(update)
            p.sub_(lr * buf)

    def zero_grad(self):
        for p in self.params:
            p.grad = None


def learning_rate(global_step):
    peak = BASE_LR * B / 256                     # global batch = B image pairs
    e = (global_step + 1) / STEPS_PER_EPOCH
    if e <= WARMUP:
        return peak * e / WARMUP
    return peak * 0.5 * (1 + math.cos(math.pi * (e - WARMUP) / (EPOCHS - WARMUP)))


def ema_momentum(global_step):
    return 1 - (1 - M_BASE) * (math.cos(math.pi * global_step / (STEPS_PER_EPOCH * EPOCHS)) + 1) / 2


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
    if scrl:
        sgd = torch.optim.SGD(official_groups(
            [(n, p) for m in trainable.values() for n, p in m.named_parameters()]), lr=0.0, momentum=MOMENTUM, weight_decay=WD)
        optimizer = CustomLARS(sgd)
    else:
        optimizer = ByolLARS([p for m in trainable.values() for p in m.parameters()], WD, MOMENTUM)

    out = {"views_checksum": views.double().sum().reshape(1)}
    for step in range(2):
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
        # scheduler.step(); zero_grad; backward; optimizer.step; EMA (trainer/base.py)
        lr = learning_rate(step)
        out[f"lr.{step}"] = torch.tensor([lr], dtype=torch.float64)
        if scrl:
            for group in optimizer.optim.param_groups:
                group["lr"] = lr
            optimizer.optim.zero_grad()
        else:
            optimizer.zero_grad()
        loss.backward()
        optimizer.step() if scrl else optimizer.step(lr)
        m = ema_momentum(step)
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
            buf = (buffers[p]["momentum_buffer"] if scrl else buffers[p]).flatten()
            idx = torch.from_numpy(hashed_init.sample_indices(buf.numel(), SAMPLES))
            out[f"momentum.{ours(prefix, name)}"] = buf[idx].clone()
            out[f"momentum_norm.{ours(prefix, name)}"] = buf.norm().reshape(1)
    out["rois"] = rois
    out["labels"] = labels
    return {k: v.contiguous() for k, v in out.items()}


if __name__ == "__main__":
    for scrl, dtype, file in [(True, torch.float64, "scrl_step.pt"), (False, torch.float64, "byol_step.pt"),
                              (True, torch.float32, "scrl_step_float32.pt")]:
        torch.save(run(scrl, dtype), os.path.join(HERE, file))
