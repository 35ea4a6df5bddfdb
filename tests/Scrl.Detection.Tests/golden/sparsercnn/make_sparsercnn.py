"""Sparse R-CNN oracle: the transcription in sparse_rcnn.py with name-hashed weights and inputs.

  keys OUT.txt    the authors' parameter names and shapes of a 100-proposal, 81-class model without its backbone;
                  committed as state_dict_keys.txt.
  parity OUT.pt   run at test time (nothing big is committed), writes:
                  head.*       a DynamicHead (6 stages, 100 proposals, K = 81, the paper's sizes) on hashed P2..P5 of two
                               padded 128x160 images (sizes 128x150 and 120x160), hashed proposal boxes and features:
                               every stage's class logits and boxes in float32, and in float64 (the algorithm without
                               float32 rounding);
                  loss.*       SetCriterion over six stages of hashed predictions for the same images with 5 and 3
                               boxes: the 18 weighted terms, each stage's matched (proposal, box) pairs and the cost
                               matrices SciPy assigned; loss_empty.* the same with the second image holding no box.
Weights and inputs come from hashed_init.py (same values as Scrl.Core.Tests/Support/HashedInit.cs): the head's
parameters under their state-dict names prefixed "head.", inputs under the names written below.
Run with Debian's PyTorch 1.13 and SciPy: /usr/bin/python3 make_sparsercnn.py parity /tmp/x.pt
"""
import os
import sys

import torch

_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, _HERE)
sys.path.insert(0, os.path.join(_HERE, ".."))
import detection_oracle  # noqa: E402,F401  (puts hashed_init on the path)
from hashed_init import uniform, values  # noqa: E402
from sparse_rcnn import DynamicHead, HungarianMatcher, SetCriterion, targets_for  # noqa: E402

torch.set_num_threads(1)

K = 81
PROPOSALS = 100
IMAGE_SIZES = [(128, 150), (120, 160)]
PADDED = (128, 160)


def hashed(name, shape, lo, hi):
    """Values in [lo, hi) from hashed_init.uniform (float64)."""
    u = torch.from_numpy(uniform(name, int(torch.Size(shape).numel()))).view(*shape)
    return lo + (u + 1) / 2 * (hi - lo)


def hashed_boxes(name, count, height, width):
    """[count, 4] xyxy inside a height x width image, sides 4..60% of the image."""
    c = hashed(name, (count, 4), 0, 1)
    w = 4 + c[:, 2] * (0.6 * width - 4)
    h = 4 + c[:, 3] * (0.6 * height - 4)
    x1 = c[:, 0] * (width - w)
    y1 = c[:, 1] * (height - h)
    return torch.stack([x1, y1, x1 + w, y1 + h], 1)


def head_inputs():
    """Rounded to float32 once, so that both precisions (and C#, which reads them as saved) start from the same values."""
    features = [hashed(f"features.{l}", (2, 256, PADDED[0] >> (l + 2), PADDED[1] >> (l + 2)), -2, 2).float() for l in range(4)]
    boxes = torch.stack([hashed_boxes(f"proposals.{i}", PROPOSALS, h, w) for i, (h, w) in enumerate(IMAGE_SIZES)]).float()
    init_features = hashed("proposal_features", (PROPOSALS, 256), -1, 1).float()
    return features, boxes, init_features


def build_head(dtype):
    head = DynamicHead(K)
    with torch.no_grad():
        for name, p in head.named_parameters():
            p.copy_(values("head." + name, tuple(p.shape), torch.float64))
    return head.to(dtype)


def head_parity(out):
    features, boxes, init_features = head_inputs()
    for name, dtype in (("float32", torch.float32), ("float64", torch.float64)):
        head = build_head(dtype)
        with torch.no_grad():
            logits, pred = head([f.to(dtype) for f in features], boxes.to(dtype), init_features.to(dtype))
        out[f"head.{name}.logits"] = logits
        out[f"head.{name}.boxes"] = pred
    for l, f in enumerate(features):
        out[f"head.features.{l}"] = f
    out["head.proposals"] = boxes
    out["head.proposal_features"] = init_features


def criterion_case(out, prefix, counts):
    logits = hashed(prefix + "logits", (6, 2, PROPOSALS, K), -6, 2).float()
    pred = torch.stack([torch.stack([hashed_boxes(f"{prefix}pred.{s}.{i}", PROPOSALS, h, w) for i, (h, w) in enumerate(IMAGE_SIZES)])
                        for s in range(6)]).float()
    labels = [1 + (hashed(f"{prefix}labels.{i}", (n,), 0, K - 1).floor().to(torch.int64)) for i, n in enumerate(counts)]
    gt = [hashed_boxes(f"{prefix}gt.{i}", n, h, w).float() for i, (n, (h, w)) in enumerate(zip(counts, IMAGE_SIZES))]
    criterion = SetCriterion(K, HungarianMatcher())
    losses, assignments = criterion(logits, pred, targets_for(gt, labels, IMAGE_SIZES))
    out[prefix + "logits"] = logits
    out[prefix + "pred"] = pred
    for i in range(2):
        out[f"{prefix}gt.boxes.{i}"] = gt[i]
        out[f"{prefix}gt.labels.{i}"] = labels[i]
    for k, v in losses.items():
        out[f"{prefix}term.{k}"] = v.detach().reshape(1)
    for s, (indices, cost) in enumerate(assignments):
        out[f"{prefix}cost.{s}"] = cost
        for i, (src, tgt) in enumerate(indices):
            out[f"{prefix}match.{s}.{i}"] = torch.stack([src, tgt]) if len(src) else torch.zeros(2, 0, dtype=torch.int64)


def write_keys(path):
    model = torch.nn.Module()
    model.init_proposal_features = torch.nn.Embedding(PROPOSALS, 256)
    model.init_proposal_boxes = torch.nn.Embedding(PROPOSALS, 4)
    model.head = DynamicHead(K)
    detection_oracle.write_keys(path, (("sparse", model),))


def main():
    mode, path = sys.argv[1], sys.argv[2]
    if mode == "keys":
        write_keys(path)
        return
    assert mode == "parity", mode
    out = {}
    head_parity(out)
    criterion_case(out, "loss.", (5, 3))
    criterion_case(out, "loss_empty.", (4, 0))
    torch.save(out, path)


if __name__ == "__main__":
    main()
