"""RetinaNet R50-FPN oracle: torchvision 0.14 retinanet_resnet50_fpn with name-hashed weights.

  keys OUT.txt       state-dict keys and shapes ("tag name d0,d1,..." per line), BatchNorm and FrozenBatchNorm
                     bodies; committed as state_dict_keys.txt.
  parity OUT.pt WEIGHTS.pt
                     run at test time (nothing big is committed): eval detections for two images with the scores
                     one rank past the cut (to tell ties), the transformed batch, anchors, head outputs, train-mode
                     losses with and without an image that has no boxes, and on their own torchvision's Matcher
                     on crafted IoU matrices and sigmoid_focal_loss on hashed logits; WEIGHTS.pt is the model's
                     state dict before any train-mode step (~140 MB, for the strict-load check).
Weights come from hashed_init.py (same values as Scrl.Core.Tests/Support/HashedInit.cs).
Run with Debian's PyTorch 1.13 / torchvision 0.14: /usr/bin/python3 make_retinanet.py parity /tmp/x.pt /tmp/w.pt
"""
import math
import os
import sys

import torch
from torchvision.models import resnet50
from torchvision.models.detection import retinanet_resnet50_fpn
from torchvision.models.detection._utils import Matcher
from torchvision.models.detection.backbone_utils import _resnet_fpn_extractor
from torchvision.models.detection.retinanet import RetinaNet
from torchvision.ops import misc as misc_nn_ops
from torchvision.ops import sigmoid_focal_loss
from torchvision.ops.feature_pyramid_network import LastLevelP6P7

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import detection_oracle  # noqa: E402  (puts hashed_init on the path)
from hashed_init import sample_indices, uniform, values  # noqa: E402

torch.set_num_threads(2)


def write_keys(path):
    plain = retinanet_resnet50_fpn(weights=None, weights_backbone=None)
    frozen = RetinaNet(_resnet_fpn_extractor(resnet50(norm_layer=misc_nn_ops.FrozenBatchNorm2d), 3, returned_layers=[2, 3, 4],
                                             extra_blocks=LastLevelP6P7(256, 256)), 91)
    detection_oracle.write_keys(path, (("batchnorm", plain), ("frozen", frozen)))


# Hashed weights leave the random backbone's features near 1e3; the prediction layers are scaled so that logits
# and box deltas are O(1), and the classification bias gets torchvision's prior-probability init (-log 99), so
# sigmoid scores spread over 0.05..0.5 and every cut (score threshold, per-level top-k, detections per image)
# binds. C# applies the same factors and offsets.
PREDICTION_SCALES = {
    "head.classification_head.cls_logits.weight": 5e-4,
    "head.regression_head.bbox_reg.weight": 1e-4,
}
PREDICTION_OFFSETS = {
    "head.classification_head.cls_logits.bias": -math.log((1 - 0.01) / 0.01),
}


def build():
    model = retinanet_resnet50_fpn(weights=None, weights_backbone=None, min_size=320, max_size=512)
    with torch.no_grad():
        for name, p in model.named_parameters():
            p.copy_(values(name, tuple(p.shape), p.dtype) * PREDICTION_SCALES.get(name, 1.0) + PREDICTION_OFFSETS.get(name, 0.0))
    return model


def ranked_scores(model, images, detections):
    """Scores of the kept detections plus the first one the detections-per-image cut drops."""
    model.detections_per_img += 1
    try:
        longer = model(images)
    finally:
        model.detections_per_img -= 1
    for d, more in zip(detections, longer):
        assert torch.equal(more["boxes"][:len(d["boxes"])], d["boxes"]), "one more detection changed the kept ones"
    return [d["scores"] for d in longer]


def matcher_cases(out):
    """Thresholds hit exactly (0.5 foreground, 0.4 ignored), ignored and background columns that are some ground
    truth's best (kept by allow_low_quality_matches, one best twice), and a ground truth that overlaps nothing
    (its best, 0, is every column's value, so every column falls back to its argmax)."""
    q = torch.tensor([
        [0.9, 0.5, 0.45, 0.4, 0.39, 0.1, 0.0, 0.3, 0.2, 0.0, 0.5, 0.1],
        [0.1, 0.6, 0.2, 0.0, 0.0, 0.3, 0.3, 0.1, 0.0, 0.0, 0.0, 0.0],
        [0.0, 0.0, 0.0, 0.2, 0.1, 0.0, 0.35, 0.0, 0.25, 0.35, 0.0, 0.0],
        [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.42],
    ])
    matcher = Matcher(0.5, 0.4, allow_low_quality_matches=True)
    cases = [q, torch.cat([q, torch.zeros(1, q.shape[1])], 0)]
    for k, quality in enumerate(cases):
        out[f"matcher.quality.{k}"] = quality
        out[f"matcher.matches.{k}"] = matcher(quality)


def focal_cases(out):
    logits = torch.from_numpy(uniform("focal.logits", 64 * 91).reshape(64, 91) * 6.0).float()
    targets = (torch.from_numpy(uniform("focal.targets", 64 * 91).reshape(64, 91)) > 0.9).float()
    out["focal.logits"] = logits
    out["focal.targets"] = targets
    out["focal.none"] = sigmoid_focal_loss(logits, targets, reduction="none")
    out["focal.sum"] = sigmoid_focal_loss(logits, targets, reduction="sum").reshape(1)


def write_parity(path, weights_path):
    model = build()
    torch.save(model.state_dict(), weights_path)
    images = [detection_oracle.image("image0", 240, 320), detection_oracle.image("image1", 200, 300)]
    out = {"image.0": images[0], "image.1": images[1]}

    model.eval()
    with torch.no_grad():
        tx, _ = model.transform(images)
        features = list(model.backbone(tx.tensors).values())
        head = model.head(features)
        anchors = model.anchor_generator(tx, features)
        detections = model(images)
        ranked = ranked_scores(model, images, detections)
    out["batch"] = tx.tensors
    out["image_sizes"] = torch.tensor(tx.image_sizes)
    out["level_sizes"] = torch.tensor([list(f.shape[-2:]) for f in features])
    out["anchors.0"] = anchors[0]
    out["bbox_regression"] = head["bbox_regression"]
    logits = head["cls_logits"].flatten()
    index = torch.from_numpy(sample_indices(logits.numel(), 4096))
    out["cls_logits.index"] = index
    out["cls_logits.sample"] = logits[index]
    for i, d in enumerate(detections):
        out[f"boxes.{i}"] = d["boxes"]
        out[f"scores.{i}"] = d["scores"]
        out[f"labels.{i}"] = d["labels"]
        out[f"ranked_scores.{i}"] = ranked[i]

    # Train mode (batch statistics); in the second batch image 1 has no boxes, so all its anchors are background.
    targets = [
        {"boxes": torch.tensor([[20.0, 30.0, 150.0, 200.0], [160.0, 40.0, 300.0, 120.0]]), "labels": torch.tensor([3, 17])},
        # The thin box overlaps no anchor by 0.4: only allow_low_quality_matches makes its best anchors foreground.
        {"boxes": torch.tensor([[50.0, 20.0, 120.0, 90.0], [10.0, 150.0, 290.0, 158.0]]), "labels": torch.tensor([1, 5])},
    ]
    empty = [targets[0], {"boxes": torch.zeros(0, 4), "labels": torch.zeros(0, dtype=torch.int64)}]
    for i, t in enumerate(targets):
        out[f"target_boxes.{i}"] = t["boxes"]
        out[f"target_labels.{i}"] = t["labels"]
    model.train()
    for tag, batch in (("loss", targets), ("loss_empty", empty)):
        losses = model(images, batch)
        for k, v in losses.items():
            out[f"{tag}.{k}"] = v.detach().reshape(1)

    matcher_cases(out)
    focal_cases(out)
    torch.save(out, path)


if __name__ == "__main__":
    mode, target = sys.argv[1], sys.argv[2]
    write_keys(target) if mode == "keys" else write_parity(target, sys.argv[3])
