"""Faster R-CNN R50-FPN oracle: torchvision 0.14 fasterrcnn_resnet50_fpn with name-hashed weights.

  keys OUT.txt       state-dict keys and shapes ("name d0,d1,..." per line), BatchNorm and FrozenBatchNorm bodies;
                     committed as state_dict_keys.txt.
  parity OUT.pt      run at test time (nothing big is committed): eval outputs for two images, the anchors,
                     proposals with their objectness (one rank past the cut, to tell ties), transformed
                     sizes, plus train-mode losses with sampling made deterministic
                     (quotas larger than the candidate sets, so every anchor/proposal is taken).
Weights come from hashed_init.py (same values as Scrl.Core.Tests/Support/HashedInit.cs).
Run with Debian's PyTorch 1.13 / torchvision 0.14: /usr/bin/python3 make_fasterrcnn.py parity /tmp/x.pt
"""
import os
import sys

import torch
from torchvision.models.detection import fasterrcnn_resnet50_fpn
from torchvision.models.detection.backbone_utils import _resnet_fpn_extractor
from torchvision.models.detection.faster_rcnn import FasterRCNN
from torchvision.models.detection.rpn import concat_box_prediction_layers
from torchvision.models import resnet50
from torchvision.ops import misc as misc_nn_ops

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import detection_oracle  # noqa: E402  (puts hashed_init on the path)
from hashed_init import values  # noqa: E402

torch.set_num_threads(2)


def write_keys(path):
    plain = fasterrcnn_resnet50_fpn(weights=None, weights_backbone=None)
    frozen = FasterRCNN(_resnet_fpn_extractor(resnet50(norm_layer=misc_nn_ops.FrozenBatchNorm2d), 3), 91)
    detection_oracle.write_keys(path, (("batchnorm", plain), ("frozen", frozen)))


# Hashed weights leave the random backbone's features in the hundreds; these layers are scaled so that
# logits and box deltas are O(1), as with trained weights (C# applies the same factors).
PREDICTION_SCALES = {
    "rpn.head.cls_logits.weight": 1e-3,
    "rpn.head.bbox_pred.weight": 1e-4,
    "roi_heads.box_head.fc6.weight": 1e-2,
    "roi_heads.box_predictor.cls_score.weight": 1e-1,
    "roi_heads.box_predictor.bbox_pred.weight": 1e-2,
}


def build():
    model = fasterrcnn_resnet50_fpn(weights=None, weights_backbone=None, min_size=320, max_size=512,
                                    box_score_thresh=0.0, box_detections_per_img=50)
    with torch.no_grad():
        for name, p in model.named_parameters():
            p.copy_(values(name, tuple(p.shape), p.dtype) * PREDICTION_SCALES.get(name, 1.0))
    return model


def ranked_objectness(rpn, tx, features, proposals_kept):
    """Scores of the RPN's kept proposals, in order, plus the first one its post-NMS cut drops. The boxes they rank
    must be the RPN's own proposals, so the scores belong to the rows the test compares."""
    levels = list(features.values())
    objectness, deltas = rpn.head(levels)
    anchors = rpn.anchor_generator(tx, levels)
    per_level = [o[0].numel() for o in objectness]
    objectness, deltas = concat_box_prediction_layers(objectness, deltas)
    proposals = rpn.box_coder.decode(deltas, anchors).view(len(anchors), -1, 4)
    rpn._post_nms_top_n["testing"] += 1
    try:
        boxes, scores = rpn.filter_proposals(proposals, objectness, tx.image_sizes, per_level)
    finally:
        rpn._post_nms_top_n["testing"] -= 1
    for b, kept in zip(boxes, proposals_kept):
        assert torch.equal(b[:len(kept)], kept), "ranked_objectness no longer replicates torchvision's RPN"
    return scores


def write_parity(path):
    model = build()
    images = [detection_oracle.image("image0", 240, 320), detection_oracle.image("image1", 200, 300)]
    out = {"image.0": images[0], "image.1": images[1]}

    model.eval()
    with torch.no_grad():
        tx, _ = model.transform(images)
        features = model.backbone(tx.tensors)
        anchors = model.rpn.anchor_generator(tx, list(features.values()))
        proposals, _ = model.rpn(tx, features)
        objectness = ranked_objectness(model.rpn, tx, features, proposals)
        detections = model(images)
    out["batch"] = tx.tensors
    out["image_sizes"] = torch.tensor(tx.image_sizes)
    for k, v in features.items():
        out[f"feature.{k}"] = v
    out["anchors.0"] = anchors[0]
    for i, (p, d) in enumerate(zip(proposals, detections)):
        out[f"proposals.{i}"] = p
        out[f"proposal_scores.{i}"] = objectness[i]
        out[f"boxes.{i}"] = d["boxes"]
        out[f"scores.{i}"] = d["scores"]
        out[f"labels.{i}"] = d["labels"]

    # Train mode: every candidate is sampled, so the losses are deterministic.
    model.rpn.fg_bg_sampler.batch_size_per_image = 10 ** 7
    model.roi_heads.fg_bg_sampler.batch_size_per_image = 10 ** 7
    targets = [
        {"boxes": torch.tensor([[20.0, 30.0, 150.0, 200.0], [160.0, 40.0, 300.0, 120.0]]), "labels": torch.tensor([3, 17])},
        {"boxes": torch.tensor([[50.0, 20.0, 120.0, 90.0]]), "labels": torch.tensor([1])},
    ]
    for t in targets:
        out[f"target_boxes.{len([k for k in out if k.startswith('target_boxes')])}"] = t["boxes"]
    out["target_labels.0"] = targets[0]["labels"]
    out["target_labels.1"] = targets[1]["labels"]
    model.train()
    losses = model(images, targets)
    for k, v in losses.items():
        out[f"loss.{k}"] = v.detach().reshape(1)
    torch.save(out, path)


if __name__ == "__main__":
    mode, target = sys.argv[1], sys.argv[2]
    write_keys(target) if mode == "keys" else write_parity(target)
