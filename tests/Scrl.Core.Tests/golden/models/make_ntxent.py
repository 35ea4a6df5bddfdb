"""Golden values of SimCLR's NT-Xent loss for Scrl.Core.Models.NtXentLoss.

The loss is a PyTorch transcription of google-research/simclr tf2/objective.py `add_contrastive_loss` on one replica
(strategy=None), line for line: tf.math.l2_normalize (x * rsqrt(max(sum x^2, 1e-12))), the split into hidden1 and
hidden2, one-hot labels over 2M columns, masks = one_hot(range(M), M) subtracted times LARGE_NUM = 1e9 from the
self-similarities, and loss = mean(loss_a + loss_b) with softmax cross-entropy over [logits_ab, logits_aa] and
[logits_ba, logits_bb]. The gradient w.r.t. the projections is recorded too: it reaches every negative.
Run with Debian's /usr/bin/python3 (torch 1.13); the output is deterministic.
"""
import os

import torch

torch.set_num_threads(1)
torch.manual_seed(20210406)
LARGE_NUM = 1e9


def l2_normalize(x, axis=-1, epsilon=1e-12):
    # tf.math.l2_normalize
    return x * torch.rsqrt(torch.clamp((x * x).sum(axis, keepdim=True), min=epsilon))


def softmax_cross_entropy_with_logits(labels, logits):
    # tf.nn.softmax_cross_entropy_with_logits: per row, -sum(labels * log_softmax(logits))
    return -(labels * torch.log_softmax(logits, dim=1)).sum(1)


def add_contrastive_loss(hidden, hidden_norm=True, temperature=1.0):
    if hidden_norm:
        hidden = l2_normalize(hidden, -1)
    hidden1, hidden2 = torch.split(hidden, hidden.shape[0] // 2, 0)
    batch_size = hidden1.shape[0]
    hidden1_large = hidden1
    hidden2_large = hidden2
    labels = torch.nn.functional.one_hot(torch.arange(batch_size), batch_size * 2).to(hidden.dtype)
    masks = torch.nn.functional.one_hot(torch.arange(batch_size), batch_size).to(hidden.dtype)

    logits_aa = torch.matmul(hidden1, hidden1_large.t()) / temperature
    logits_aa = logits_aa - masks * LARGE_NUM
    logits_bb = torch.matmul(hidden2, hidden2_large.t()) / temperature
    logits_bb = logits_bb - masks * LARGE_NUM
    logits_ab = torch.matmul(hidden1, hidden2_large.t()) / temperature
    logits_ba = torch.matmul(hidden2, hidden1_large.t()) / temperature

    loss_a = softmax_cross_entropy_with_logits(labels, torch.cat([logits_ab, logits_aa], 1))
    loss_b = softmax_cross_entropy_with_logits(labels, torch.cat([logits_ba, logits_bb], 1))
    return torch.mean(loss_a + loss_b)


cases = [  # (name, pairs M, width D, temperature)
    ("one_pair", 1, 8, 0.1),
    ("small", 5, 8, 0.1),
    ("rois", 40, 16, 0.2),
    ("warm", 12, 32, 0.5),
]
out = {}
for name, m, d, t in cases:
    x = torch.randn(2 * m, d) * 3
    if name == "rois":
        x[m + 3] = x[3] + 0.01 * torch.randn(d)  # a near-duplicate positive
        x[7] = 0.0                               # a zero row: l2_normalize's epsilon
    x = x.clone().requires_grad_(True)
    loss = add_contrastive_loss(x, temperature=t)
    loss.backward()
    out[f"{name}.input"] = x.detach().clone()
    out[f"{name}.temperature"] = torch.tensor(t, dtype=torch.float64)
    out[f"{name}.loss"] = loss.detach().clone()
    out[f"{name}.grad"] = x.grad.clone()

torch.save(out, os.path.join(os.path.dirname(os.path.abspath(__file__)), "ntxent.pt"))
print({k: float(v) for k, v in out.items() if k.endswith(".loss")})
